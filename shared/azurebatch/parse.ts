// Batch data-plane answers → typed values. The service is consistent, so this checks the structure a caller
// relies on (an entity is an object; a list has a `value` array and maybe an `odata.nextLink`) and fixes the
// one known sloppiness: file sizes sent as strings. Fields are otherwise kept as sent.
import { describeAnswer, isRecord } from '../core/json-shape';
import { ProtocolError } from '../errors';
import type { NodeFile } from './types';

export function parseEntity<T>(body: unknown, what: string, where: string): T {
  if (!isRecord(body))
    throw new ProtocolError(`${where}: expected a JSON object (${what}), got ${describeAnswer(body)}.`);
  return body as T;
}

export interface Page<T> {
  items: T[];
  nextLink?: string;
}

export function parsePage<T>(body: unknown, what: string, where: string): Page<T> {
  const value = isRecord(body) ? body.value : undefined;
  if (!Array.isArray(value)) {
    throw new ProtocolError(
      `${where}: expected a list {"value": [${what}, ...], "odata.nextLink"?}, got ${describeAnswer(body)}.`,
    );
  }
  const next = (body as Record<string, unknown>)['odata.nextLink'];
  if (next !== undefined && next !== null && typeof next !== 'string') {
    throw new ProtocolError(`${where}.odata.nextLink: expected a URL string, got ${describeAnswer(next)}.`);
  }
  return { items: value.map((x, i) => parseEntity<T>(x, what, `${where}.value[${i}]`)), nextLink: next || undefined };
}

/** A file entry with `properties.contentLength` as a number (the service sends int64 as a string). */
export function normaliseNodeFile(f: NodeFile, where: string): NodeFile {
  const raw: unknown = f.properties?.contentLength;
  if (raw === undefined || typeof raw === 'number') return f;
  const n = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (Number.isNaN(n))
    throw new ProtocolError(`${where}.properties.contentLength: expected a byte count, got ${describeAnswer(raw)}.`);
  return { ...f, properties: { ...f.properties, contentLength: n } };
}
