// Lenient parsing of Batch AI responses into the wire types (types.ts), driven by the swagger's structure
// (schema.ts). Lenient where the real service and older proxies were sloppy: key case (`Properties`,
// `executionstate`), timestamps with trimmed or extra fraction digits or no zone, numbers sent as strings,
// nulls, absent arrays. Strict where a caller would otherwise read garbage: a resource that is not an object,
// a list without a `value` array — those are ProtocolErrors that say what was expected.
import { describeAnswer, isRecord } from '../core/json-shape';
import { ProtocolError } from '../errors';
import { PROPERTY_NAMES, SHAPES, type FieldKind } from './schema';

type JsonObject = Record<string, unknown>;

const CANONICAL = new Map(PROPERTY_NAMES.map((n) => [n.toLowerCase(), n]));
// Keys as sent → their canonical names: a tick meets the same few dozen keys on 100,000 jobs. Bounded, since the
// keys come from the service.
const KEYS_SEEN = new Map<string, string>();
const MAX_KEYS_SEEN = 1000;

function canonicalKey(raw: string): string {
  let key = KEYS_SEEN.get(raw);
  if (key === undefined) {
    key = CANONICAL.get(raw.toLowerCase()) ?? raw;
    if (KEYS_SEEN.size < MAX_KEYS_SEEN) KEYS_SEEN.set(raw, key);
  }
  return key;
}

export const isObject: (v: unknown) => v is JsonObject = isRecord;

/** Reads a key case-insensitively (for bodies outside the swagger's definitions, e.g. operation status). */
export function pick(obj: JsonObject, name: string): unknown {
  if (name in obj) return obj[name];
  const lower = name.toLowerCase();
  const key = Object.keys(obj).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : obj[key];
}

const HAS_ZONE = /(?:[zZ]|[+-]\d\d:?\d\d)$/;
// Already the canonical form (what the engine and most ARM answers send): kept as is, without a parse. A poll
// tick reads a few of these per job, 100,000 jobs a tick.
const CANONICAL_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** ISO 8601 with milliseconds and 'Z'; ARM times without a zone are UTC. Unparseable text is kept as sent. */
export function isoTimestamp(s: string): string {
  if (CANONICAL_TIME.test(s)) return s;
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(s)) return s;
  const ms = Date.parse(HAS_ZONE.test(s) ? s : `${s}Z`);
  return Number.isNaN(ms) ? s : new Date(ms).toISOString();
}

/** `where` + `key`: the field's place, joined only for an error or a nested value (a tick parses every field). */
function field(v: unknown, kind: FieldKind | undefined, where: string, key: string): unknown {
  if (kind === undefined || kind === 'map' || kind === 'any') return v;
  if (kind === 'date') {
    if (typeof v !== 'string')
      throw new ProtocolError(`${where}.${key}: expected a date-time string, got ${describeAnswer(v)}.`);
    return isoTimestamp(v);
  }
  if (kind === 'num') {
    const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
    if (typeof n !== 'number' || Number.isNaN(n))
      throw new ProtocolError(`${where}.${key}: expected a number, got ${describeAnswer(v)}.`);
    return n;
  }
  if (kind.startsWith('[')) {
    if (!Array.isArray(v)) throw new ProtocolError(`${where}.${key}: expected an array, got ${describeAnswer(v)}.`);
    const item = kind.slice(1, -1);
    if (!item) return v;
    const place = `${where}.${key}`;
    return v.map((x, i) => normalise(x, item, `${place}[${i}]`));
  }
  return normalise(v, kind, `${where}.${key}`);
}

/**
 * Copies `value` as the swagger definition `shape`: keys in the swagger's camelCase, nulls dropped, nested
 * values normalised, absent arrays as []. `where` names the place for error messages (e.g. "GET .../jobs/x").
 */
export function normalise(value: unknown, shape: string, where: string): JsonObject {
  if (!isObject(value))
    throw new ProtocolError(`${where}: expected a JSON object (${shape}), got ${describeAnswer(value)}.`);
  const fields = SHAPES[shape] ?? {};
  const out: JsonObject = {};
  for (const raw in value) {
    const v = value[raw];
    if (v === null || v === undefined) continue;
    const key = canonicalKey(raw);
    out[key] = field(v, fields[key], where, key);
  }
  for (const [key, kind] of Object.entries(fields)) {
    if (kind.startsWith('[') && out[key] === undefined) out[key] = [];
  }
  return out;
}

/** One resource of type T (the caller names its swagger definition). */
export function parseResource<T>(body: unknown, shape: string, where: string): T {
  return normalise(body, shape, where) as T;
}

export interface Page<T> {
  items: T[];
  nextLink?: string;
}

/** A list page `{ value: T[], nextLink? }`. */
export function parsePage<T>(body: unknown, itemShape: string, where: string): Page<T> {
  const value = isObject(body) ? pick(body, 'value') : undefined;
  if (!Array.isArray(value)) {
    throw new ProtocolError(
      `${where}: expected a list {"value": [${itemShape}, ...], "nextLink"?}, got ${describeAnswer(body)}.`,
    );
  }
  const next = pick(body as JsonObject, 'nextLink');
  if (next !== undefined && next !== null && typeof next !== 'string') {
    throw new ProtocolError(`${where}.nextLink: expected a URL string, got ${describeAnswer(next)}.`);
  }
  return {
    items: value.map((x, i) => parseResource<T>(x, itemShape, `${where}.value[${i}]`)),
    nextLink: next ? next : undefined,
  };
}
