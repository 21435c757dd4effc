// `GET <dir>?restype=directory&comp=list`: one page of a directory, as the EnumerationResults XML Azure Files
// answers. Entries are sorted by name (UTF-16 order) and only the page's entries are stat'ed, so a directory
// of many files costs one readdir per page. The marker is the next name, base64url-encoded: opaque like
// Azure's, and it still works when that entry was deleted in between.
import { readdir, realpath, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { join, sep } from 'node:path';
import { FilesError } from './files-error';
import { etagOf, fileTime } from './file-props';
import { escapeXml, nameElement } from './xml';

export interface ListQuery {
  prefix: string;
  marker: string;
  maxResults: number | undefined;
  include: Set<string>;
  extendedInfo: boolean;
}

const MAX_RESULTS = 5000;
const INCLUDES = ['timestamps', 'etag', 'attributes', 'permissionkey'];

const badParam = (name: string, value: string, expected: string): FilesError =>
  new FilesError(400, 'InvalidQueryParameterValue', {
    QueryParameterName: name,
    QueryParameterValue: value,
    Reason: expected,
  });

export function parseListQuery(q: URLSearchParams, extendedInfoHeader: string | undefined): ListQuery {
  const max = q.get('maxresults');
  if (max !== null && !/^[1-9]\d{0,9}$/.test(max))
    throw badParam('maxresults', max, 'Expected a whole number of at least 1.');
  const include = new Set(
    (q.get('include') ?? '')
      .split(',')
      .filter(Boolean)
      .map((s) => s.trim().toLowerCase()),
  );
  for (const i of include) {
    if (!INCLUDES.includes(i))
      throw badParam(
        'include',
        q.get('include') ?? '',
        'Expected a comma list of Timestamps, ETag, Attributes, PermissionKey.',
      );
  }
  return {
    prefix: q.get('prefix') ?? '',
    marker: q.get('marker') ?? '',
    maxResults: max === null ? undefined : Math.min(Number(max), MAX_RESULTS),
    include,
    extendedInfo: extendedInfoHeader === 'true',
  };
}

interface Entry {
  name: string;
  stats: Stats;
}

/** Stats an entry, following symlinks that stay inside the share; anything else (gone, escaping, FIFO) is left out. */
async function statEntry(dir: string, name: string, shareReal: string): Promise<Entry | undefined> {
  try {
    const real = await realpath(join(dir, name));
    if (!real.startsWith(shareReal + sep)) return undefined;
    const stats = await stat(real);
    return stats.isFile() || stats.isDirectory() ? { name, stats } : undefined;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

function entryXml(e: Entry, q: ListQuery): string {
  const isDir = e.stats.isDirectory();
  const props: string[] = [];
  if (!isDir) props.push(`<Content-Length>${e.stats.size}</Content-Length>`);
  if (q.include.has('timestamps')) {
    props.push(
      `<CreationTime>${fileTime(e.stats.birthtime)}</CreationTime>`,
      `<LastAccessTime>${fileTime(e.stats.atime)}</LastAccessTime>`,
      `<LastWriteTime>${fileTime(e.stats.mtime)}</LastWriteTime>`,
      `<ChangeTime>${fileTime(e.stats.ctime)}</ChangeTime>`,
      `<Last-Modified>${e.stats.mtime.toUTCString()}</Last-Modified>`,
    );
  }
  if (q.include.has('etag')) props.push(`<Etag>${escapeXml(etagOf(e.stats))}</Etag>`);
  const tag = isDir ? 'Directory' : 'File';
  return (
    `<${tag}>` +
    (q.extendedInfo ? `<FileId>${e.stats.ino}</FileId>` : '') +
    nameElement('Name', e.name) +
    (props.length ? `<Properties>${props.join('')}</Properties>` : '<Properties />') +
    (q.include.has('attributes') ? `<Attributes>${isDir ? 'Directory' : 'Archive'}</Attributes>` : '') +
    `</${tag}>`
  );
}

export interface ListTarget {
  serviceEndpoint: string;
  share: string;
  directoryPath: string;
  dirReal: string;
  dirStats: Stats;
  shareReal: string;
}

export async function listDirectoryXml(t: ListTarget, q: ListQuery): Promise<string> {
  const after = Buffer.from(q.marker, 'base64url').toString('utf8');
  const names = (await readdir(t.dirReal))
    .filter((n) => n.startsWith(q.prefix) && n >= after)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const pageSize = q.maxResults ?? MAX_RESULTS;
  const entries: Entry[] = [];
  let next = '';
  for (let i = 0; i < names.length; i++) {
    if (entries.length === pageSize) {
      next = Buffer.from(names[i]!, 'utf8').toString('base64url');
      break;
    }
    const e = await statEntry(t.dirReal, names[i]!, t.shareReal);
    if (e) entries.push(e);
  }
  return (
    '<?xml version="1.0" encoding="utf-8"?>' +
    `<EnumerationResults ServiceEndpoint="${escapeXml(t.serviceEndpoint)}" ShareName="${escapeXml(t.share)}" ` +
    `DirectoryPath="${escapeXml(t.directoryPath)}">` +
    (q.marker ? `<Marker>${escapeXml(q.marker)}</Marker>` : '') +
    (q.prefix ? nameElement('Prefix', q.prefix) : '') +
    (q.maxResults !== undefined ? `<MaxResults>${q.maxResults}</MaxResults>` : '') +
    (q.extendedInfo ? `<DirectoryId>${t.dirStats.ino}</DirectoryId>` : '') +
    `<Entries>${entries.map((e) => entryXml(e, q)).join('')}</Entries>` +
    (next ? `<NextMarker>${next}</NextMarker>` : '<NextMarker />') +
    '</EnumerationResults>'
  );
}
