// Small checks for hand-written JSON (templates): each failure names the field's path and what was expected.
import { InputError } from '../errors';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export function shapeError(path: string, expected: string, got?: unknown): InputError {
  const shown = got === undefined ? '' : `, got ${describe(got)}`;
  return new InputError('TemplateInvalid', `${path}: expected ${expected}${shown}.`);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  const s = JSON.stringify(v);
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}

/** A service's answer as an error message shows it: its kind and the start of its JSON. */
export function describeAnswer(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  const s = JSON.stringify(v);
  return `${typeof v} ${s.length > 60 ? `${s.slice(0, 60)}…` : s}`;
}

/** A plain object (not null, not an array): the one check every parser of untyped JSON starts with. */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function isObject(v: unknown): v is JsonObject {
  return isRecord(v);
}

export function object(v: unknown, path: string): JsonObject {
  if (!isObject(v)) throw shapeError(path, 'an object', v);
  return v;
}

export function array(v: unknown, path: string): Json[] {
  if (!Array.isArray(v)) throw shapeError(path, 'an array', v);
  return v;
}

export function string(v: unknown, path: string): string {
  if (typeof v !== 'string' || v === '') throw shapeError(path, 'a non-empty string', v);
  return v;
}

export function optional<T>(
  o: JsonObject,
  key: string,
  path: string,
  check: (v: unknown, path: string) => T,
): T | undefined {
  return o[key] === undefined ? undefined : check(o[key], `${path}.${key}`);
}

export function onlyKeys(o: JsonObject, allowed: readonly string[], path: string): void {
  for (const k of Object.keys(o)) {
    if (!allowed.includes(k)) throw shapeError(`${path}.${k}`, `no such field here (allowed: ${allowed.join(', ')})`);
  }
}
