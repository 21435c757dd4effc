// Pure: a queue message's text → the value a queue-triggered handler receives, as the Functions runtime does:
// base64-decoded (host.json messageEncoding, default base64), then JSON-parsed when it is JSON, else the string.
import type { QueueSettings } from './host-json';

function decodeBase64(text: string): string | undefined {
  if (text.length === 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) return undefined;
  return Buffer.from(text, 'base64').toString('utf8');
}

/**
 * Decodes a message. Text that is not valid base64 is taken as it is even in base64 mode: a producer that
 * forgot to encode (raw JSON contains `{`, never valid base64) still gets through instead of being poisoned.
 */
export function decodeQueueMessage(text: string, encoding: QueueSettings['messageEncoding']): unknown {
  const plain = encoding === 'base64' ? (decodeBase64(text) ?? text) : text;
  try {
    return JSON.parse(plain);
  } catch {
    return plain;
  }
}

/** What a producer should send so that the host (and Azure) decodes it back to `value`. */
export function encodeQueueMessage(value: unknown, encoding: QueueSettings['messageEncoding'] = 'base64'): string {
  const json = typeof value === 'string' ? value : JSON.stringify(value);
  return encoding === 'base64' ? Buffer.from(json, 'utf8').toString('base64') : json;
}
