// Small node:http helpers for the chat server: JSON in and out, and errors in the Bot Framework's shape
// `{"error": {"code", "message"}}`.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { InputError } from '../../shared/errors';
import { readBodyText } from '../http-body';

const MAX_BODY_BYTES = 1024 * 1024;

export async function readJson(req: IncomingMessage): Promise<unknown> {
  const text = await readBodyText(
    req,
    MAX_BODY_BYTES,
    () => new InputError('BodyTooLarge', 'Request body is larger than 1 MiB.'),
  );
  if (!text.trim()) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new InputError('BodyInvalid', 'Request body is not valid JSON.');
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }).end(text);
}

export function sendError(res: ServerResponse, status: number, code: string, message: string): void {
  sendJson(res, status, { error: { code, message } });
}
