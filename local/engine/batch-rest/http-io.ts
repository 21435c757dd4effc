// Reading requests and writing answers for the Batch facade: JSON bodies as the service writes them
// (`application/json;odata=minimalmetadata`), file bytes, and OData error bodies.
import { createReadStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BatchHttpError } from './batch-http-error';
import { readBody } from '../../http-body';
import { MAX_JSON_DEPTH, nestedDeeperThan } from '../quota';

export interface Reply {
  status: number;
  headers?: Record<string, string | number>;
  json?: unknown;
  /** A byte range of a file, streamed (a 1 GiB stdout.txt is never held in memory). */
  file?: { path: string; start: number; end: number };
}

const MAX_BODY = 4 * 1024 * 1024;

/** The body's bytes; one above 4 MiB is refused with 413, as the engine's ARM facade refuses it. */
export function readRawBody(req: IncomingMessage): Promise<Buffer> {
  return readBody(
    req,
    MAX_BODY,
    () => new BatchHttpError(413, 'RequestBodyTooLarge', `The request body is larger than ${MAX_BODY} bytes.`),
  );
}

export function parseJson(raw: Buffer): unknown {
  const text = raw.toString('utf8');
  if (!text.trim()) return undefined;
  if (nestedDeeperThan(text, MAX_JSON_DEPTH)) {
    throw new BatchHttpError(
      400,
      'InvalidRequestBody',
      `The specified Request Body is not syntactically valid: expected JSON nested at most ${MAX_JSON_DEPTH} levels.`,
    );
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new BatchHttpError(
      400,
      'InvalidRequestBody',
      'The specified Request Body is not syntactically valid: expected JSON.',
    );
  }
}

export function errorReply(e: BatchHttpError, baseUrl: string, requestId: string): Reply {
  // 304 Not Modified is an answer, not an error: it has no body.
  if (e.status === 304) return { status: 304, headers: { ...e.headers, 'request-id': requestId } };
  return {
    status: e.status,
    headers: { ...e.headers, 'request-id': requestId },
    json: {
      'odata.metadata': `${baseUrl}/$metadata#Microsoft.Azure.Batch.Protocol.Entities.Container.errors/@Element`,
      code: e.code,
      message: { lang: 'en-US', value: `${e.message}\nRequestId:${requestId}\nTime:${new Date().toISOString()}` },
      ...(e.values.length ? { values: e.values } : {}),
    },
  };
}

export function send(res: ServerResponse, r: Reply, head: boolean): void {
  const headers: Record<string, string | number> = { ...r.headers };
  if (r.file) {
    headers['Content-Length'] = r.file.end - r.file.start + 1;
    res.writeHead(r.status, headers);
    if (head || r.file.end < r.file.start) return void res.end();
    createReadStream(r.file.path, { start: r.file.start, end: r.file.end })
      .on('error', () => res.destroy())
      .pipe(res);
    return;
  }
  const body = r.json === undefined ? undefined : Buffer.from(JSON.stringify(r.json));
  if (body) {
    headers['Content-Type'] = 'application/json;odata=minimalmetadata';
    headers['Content-Length'] = body.length;
  }
  res.writeHead(r.status, headers);
  res.end(head ? undefined : body);
}
