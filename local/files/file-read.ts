// File and directory properties (HEAD/GET) and file content (GET, whole or one range), streamed from an open
// descriptor so the size, the headers and the bytes sent all come from the same file even while a job
// keeps appending to it.
import type { IncomingMessage } from 'node:http';
import { open } from 'node:fs/promises';
import { FilesError } from './files-error';
import { propertyHeaders } from './file-props';
import { parseRange } from './ranges';
import type { Reply } from './reply';
import type { Resolved } from './request-path';

export function directoryPropertiesReply(target: Resolved): Reply {
  if (!target.stats.isDirectory()) throw new FilesError(404, 'ResourceNotFound');
  return { status: 200, headers: { ...propertyHeaders(target.stats), 'Content-Length': 0 } };
}

const single = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);

/** HEAD → properties only; GET → 200 with the whole file or 206 with the range asked for. */
export async function fileReply(req: IncomingMessage, target: Resolved): Promise<Reply> {
  // Anything but a regular file (a directory, a FIFO a job made) is not a file to Azure, and opening a FIFO
  // would block.
  if (!target.stats.isFile()) throw new FilesError(404, 'ResourceNotFound');
  const handle = await open(target.real, 'r');
  try {
    const stats = await handle.stat();
    const range = parseRange(single(req.headers['x-ms-range']), single(req.headers.range), stats.size);
    const headers = {
      ...propertyHeaders(stats),
      'x-ms-type': 'File',
      'Content-Type': 'application/octet-stream',
      'Accept-Ranges': 'bytes',
    };
    if (req.method === 'HEAD' || stats.size === 0) {
      await handle.close();
      return { status: 200, headers: { ...headers, 'Content-Length': req.method === 'HEAD' ? stats.size : 0 } };
    }
    const start = range?.start ?? 0;
    const end = range?.end ?? stats.size - 1;
    const contentRange: Record<string, string> = range
      ? { 'Content-Range': `bytes ${start}-${end}/${stats.size}` }
      : {};
    return {
      status: range ? 206 : 200,
      headers: { ...headers, ...contentRange, 'Content-Length': end - start + 1 },
      // The stream owns the descriptor from here and closes it when it ends or is destroyed (client gone).
      body: handle.createReadStream({ start, end }),
    };
  } catch (e) {
    await handle.close();
    throw e;
  }
}
