// The body of a node:http request (bytes or text), for the local servers and fakes. A body above `maxBytes` is refused
// with the caller's error (each server answers in its own protocol's shape). Past the limit the rest is read and
// dropped, never held: a client still sending gets the refusal instead of a reset connection.
import type { IncomingMessage } from 'node:http';

export async function readBody(req: IncomingMessage, maxBytes = Infinity, tooLarge?: () => Error): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size <= maxBytes) chunks.push(chunk as Buffer);
  }
  if (size > maxBytes) throw tooLarge ? tooLarge() : new Error(`The request body is larger than ${maxBytes} bytes.`);
  return Buffer.concat(chunks);
}

export async function readBodyText(req: IncomingMessage, maxBytes = Infinity, tooLarge?: () => Error): Promise<string> {
  return (await readBody(req, maxBytes, tooLarge)).toString('utf8');
}
