// What an operation answers, before it is written: the router logs the request line first, so a log reader
// (a test counting requests) sees it before the client can see the body.
import type { Readable } from 'node:stream';

export interface Reply {
  status: number;
  headers: Record<string, string | number>;
  /** A string, or a stream that owns an open file and closes it when it ends or is destroyed. */
  body?: string | Readable;
}
