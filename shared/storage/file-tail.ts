// The product's one way to read the end of a log file (stdout.txt, stderr.txt): exactly one ranged GET of
// the last `maxBytes` of the file, sized from the length listOutputFiles reported, cut to whole lines.
// Never a download of the whole file: a training log can be gigabytes. The Files SDK is required on the first
// tail read, not when the Batch AI backend loads: a chat turn that shows no log never pays for it.
import type { IHttpClient } from '@azure/storage-file-share';
import { InputError, ProtocolError } from '../errors';
import { tailLines } from './file-tail-lines';

export interface ReadTailOptions {
  /** How much of the end of the file to fetch (one request of at most this many bytes). */
  maxBytes: number;
  /** At most this many lines are returned (the last ones). */
  maxLines: number;
  /** The SDK's transport (its v1 `IHttpClient` shape), for tests and proxies. */
  httpClient?: IHttpClient;
}

export interface Tail {
  lines: string[];
  /** Earlier content exists that is not in `lines`. */
  truncated: boolean;
  /** Bytes received from the share. */
  bytesRead: number;
}

function positiveInt(name: string, v: number): void {
  if (!Number.isSafeInteger(v) || v < 1)
    throw new InputError('InvalidTailOptions', `${name} must be a whole number of at least 1, got ${v}.`);
}

/**
 * The last lines of the file at `downloadUrl` (a signed URL, e.g. from listOutputFiles), whose size is
 * `size` bytes. Content appended after `size` is not read: the tail is of the file as it was listed.
 * Storage errors surface as the SDK's RestError (statusCode 403 for an expired URL, 404 for a missing file).
 */
export async function readTail(downloadUrl: string, size: number, opts: ReadTailOptions): Promise<Tail> {
  if (!Number.isSafeInteger(size) || size < 0)
    throw new InputError('InvalidTailOptions', `size must be a whole number of bytes (0 or more), got ${size}.`);
  positiveInt('maxBytes', opts.maxBytes);
  positiveInt('maxLines', opts.maxLines);
  if (size === 0) return { lines: [], truncated: false, bytesRead: 0 };

  const count = Math.min(size, opts.maxBytes);
  const offset = size - count;
  const { ShareFileClient } = require('@azure/storage-file-share') as typeof import('@azure/storage-file-share');
  const client = new ShareFileClient(downloadUrl, undefined, opts.httpClient ? { httpClient: opts.httpClient } : {});
  const response = await client.download(offset, count);
  // A server that ignored the range would send the head of the file: worse than no tail.
  if (offset > 0 && !response.contentRange?.startsWith(`bytes ${offset}-`)) {
    throw new ProtocolError(
      `Expected the file share to answer bytes ${offset}- of the log, ` +
        `got Content-Range "${response.contentRange ?? ''}".`,
    );
  }
  const body = response.readableStreamBody;
  if (!body) throw new ProtocolError('The file share answered the log download without a body.');
  const chunks: Buffer[] = [];
  let bytesRead = 0;
  for await (const chunk of body) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    chunks.push(buf);
    bytesRead += buf.length;
  }
  return { ...tailLines(Buffer.concat(chunks, bytesRead), offset, opts.maxLines), bytesRead };
}
