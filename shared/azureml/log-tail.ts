// The end of an Azure ML log or output file by byte range: its URL is an expiring blob link (run history's log
// files, artifact content URLs), read with no token: a HEAD for the size (unless the listing had it), then one
// ranged GET of at most `maxBytes`, of the file as it was when sized. Never a download of the whole file: a
// training log can be gigabytes.
import {
  createDefaultHttpClient,
  createHttpHeaders,
  createPipelineFromOptions,
  createPipelineRequest,
  type HttpClient,
} from '@azure/core-rest-pipeline';
import { ProtocolError } from '../errors';
import { armError } from '../batchai/arm-error';
import { parseEndpoint } from '../http/endpoint';
import { describeRequest } from '../http/json-body';
import { retryPolicy } from '../http/retry';
import { sendOrUnreachable } from '../http/send';
import { tailLines, type TailLines } from '../storage/file-tail-lines';

export interface RangedTail extends TailLines {
  /** Bytes of the file received. */
  bytesRead: number;
  requests: number;
}

export interface UrlTailOptions {
  maxBytes: number;
  maxLines: number;
  /** The file's size when it was listed: no HEAD then. */
  size?: number;
  httpClient?: HttpClient;
}

/** The size of the file at `url` (one HEAD). */
export async function urlFileSize(url: string, httpClient?: HttpClient): Promise<number> {
  return (await sender(url, httpClient)).size();
}

function sender(url: string, httpClient: HttpClient | undefined) {
  const target = parseEndpoint(url, 'Azure ML log file', 'https://<account>.blob.core.windows.net/…');
  const pipeline = createPipelineFromOptions({ userAgentOptions: { userAgentPrefix: 'batchai-chatops' } });
  pipeline.removePolicy({ name: 'defaultRetryPolicy' });
  pipeline.addPolicy(retryPolicy(), { phase: 'Retry' });
  const http = httpClient ?? createDefaultHttpClient();
  const send = async (method: 'HEAD' | 'GET', range?: string) => {
    const headers = createHttpHeaders({ 'x-ms-version': '2021-08-06' });
    if (range) headers.set('x-ms-range', range);
    const request = createPipelineRequest({
      url,
      method,
      headers,
      allowInsecureConnection: target.protocol === 'http:',
      // Bytes, not text: a range may cut a UTF-8 character, which tailLines handles.
      streamResponseStatusCodes: new Set(method === 'GET' ? [200, 206] : []),
    });
    const r = await sendOrUnreachable(pipeline, http, request, (m) =>
      armError('ServiceUnreachable', m, 0, undefined, 'azureml'),
    );
    if (r.status >= 400) {
      throw armError(
        r.status === 404 ? 'LogFileNotFound' : `Http${r.status}`,
        `${describeRequest(method, url)} answered HTTP ${r.status}.`,
        r.status,
        undefined,
        'azureml',
      );
    }
    return r;
  };
  return {
    send,
    async size(): Promise<number> {
      const head = await send('HEAD');
      const size = Number(head.headers.get('content-length'));
      if (!Number.isSafeInteger(size) || size < 0)
        throw new ProtocolError(
          `${describeRequest('HEAD', url)}: expected a Content-Length, got "${head.headers.get('content-length')}".`,
        );
      return size;
    },
  };
}

export async function readUrlTail(url: string, opts: UrlTailOptions): Promise<RangedTail> {
  const s = sender(url, opts.httpClient);
  const size = opts.size ?? (await s.size());
  const requests = opts.size === undefined ? 2 : 1;
  if (size === 0) return { lines: [], truncated: false, bytesRead: 0, requests: requests - 1 };
  const count = Math.min(size, opts.maxBytes);
  const offset = size - count;
  const r = await s.send('GET', `bytes=${offset}-${size - 1}`);
  // A server that ignored the range would send the head of the file: worse than no tail.
  if (offset > 0 && !(r.status === 206 && r.headers.get('content-range')?.startsWith(`bytes ${offset}-`))) {
    throw new ProtocolError(
      `Expected the log file's server to answer bytes ${offset}- of it, got HTTP ${r.status} ` +
        `with Content-Range "${r.headers.get('content-range') ?? ''}".`,
    );
  }
  const body = r.readableStreamBody;
  if (!body) throw new ProtocolError(`${describeRequest('GET', url)}: the log file came without a body.`);
  const chunks: Buffer[] = [];
  let received = 0;
  for await (const chunk of body) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    chunks.push(buf);
    received += buf.length;
    // Never more than asked, whatever the server sends.
    if (received >= count) break;
  }
  if ('destroy' in body && typeof body.destroy === 'function') body.destroy();
  const bytes = Buffer.concat(chunks).subarray(0, count);
  return { ...tailLines(bytes, offset, opts.maxLines), bytesRead: bytes.length, requests };
}
