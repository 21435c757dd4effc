// Response bodies and request descriptions shared by the REST clients. Descriptions name the method and path
// only: never the query (it may hold a SAS), headers or credentials.
import { ProtocolError } from '../errors';
import { redactText } from '../core/redact';

export function describeRequest(method: string, url: string): string {
  const u = new URL(url);
  return `${method} ${u.pathname}`;
}

/** Parsed JSON, or undefined for an empty body; anything else is a ProtocolError with a redacted snippet. */
export function parseJsonBody(method: string, url: string, status: number, text: string | null | undefined): unknown {
  if (!text?.trim()) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    const snippet = redactText(text.replace(/\s+/g, ' ').trim()).slice(0, 120);
    throw new ProtocolError(
      `${describeRequest(method, url)} answered ${status} with a body that is not JSON: "${snippet}"; expected JSON.`,
    );
  }
}

/** Tries JSON, for error bodies where plain text or HTML is a legitimate answer (gateways, proxies). */
export function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined; // not JSON: the caller falls back to the raw text
  }
}
