// The properties Azure Files reports for a file or directory, derived from a stat: shared by HEAD/GET
// responses and by directory listings so both always agree.
import type { Stats } from 'node:fs';

/** Opaque, changes whenever the content may have: modification time (100 ns ticks) and size. */
export function etagOf(stats: Stats): string {
  return `"0x${Math.round(stats.mtimeMs * 1e4)
    .toString(16)
    .toUpperCase()}${stats.size.toString(16).toUpperCase()}"`;
}

/** Azure's 7-digit fraction form, e.g. 2024-01-02T03:04:05.1230000Z. */
export function fileTime(d: Date): string {
  return d.toISOString().replace(/\.(\d{3})Z$/, '.$10000Z');
}

export function propertyHeaders(stats: Stats): Record<string, string> {
  return {
    ETag: etagOf(stats),
    'Last-Modified': stats.mtime.toUTCString(),
    'x-ms-file-attributes': stats.isDirectory() ? 'Directory' : 'Archive',
    'x-ms-file-creation-time': fileTime(stats.birthtime),
    'x-ms-file-last-write-time': fileTime(stats.mtime),
    'x-ms-file-change-time': fileTime(stats.ctime),
    'x-ms-file-id': String(stats.ino),
    'x-ms-server-encrypted': 'false',
  };
}
