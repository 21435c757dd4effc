// Typed template parameters: declaring them and checking a value against one. The same check runs on a
// template's defaults when it is loaded and on a person's values before anything is submitted. A pattern runs
// on RE2 (no backtracking: linear in the value's length) and only on values of bounded length.
import { RE2JS } from 're2js';
import { InputError } from '../errors';

export type ParamType = 'string' | 'int' | 'number' | 'bool' | 'choice';

export interface TemplateParameter {
  name: string;
  type: ParamType;
  default?: string | number | boolean;
  /** A regular expression the whole value must match (strings). */
  pattern?: string;
  /** The allowed values (choice). */
  values?: string[];
  /** Inclusive bounds (int, number). */
  min?: number;
  max?: number;
  description?: string;
  /** No default: the person must give a value. */
  required?: boolean;
  /** The value may start with `-` where it lands in a command line (it may then read as an option). */
  allowOption?: boolean;
}

/** The longest value any parameter takes: patterns and checks never see more. */
export const MAX_VALUE_LENGTH = 1000;
/** The longest pattern a template may declare. */
export const MAX_PATTERN_LENGTH = 500;

const compiled = new Map<string, RE2JS>();

/** The whole-value matcher of a pattern (RE2 syntax: no lookaround or backreferences); throws if invalid. */
export function compilePattern(pattern: string): RE2JS {
  let re = compiled.get(pattern);
  if (!re) {
    if (pattern.length > MAX_PATTERN_LENGTH) throw new Error(`longer than ${MAX_PATTERN_LENGTH} characters`);
    re = RE2JS.compile(pattern);
    // Templates are few; the cache only spares recompiling on every submit.
    compiled.set(pattern, re);
  }
  return re;
}

/** Strings with no declared pattern: no spaces, no shell characters. */
export const DEFAULT_STRING_PATTERN = /^[\w.,:/=+-]*$/;

export interface ParamValue {
  /** Canonical text substituted into strings ("7", not "007"; "true", not "yes"). */
  text: string;
  /** The typed value, used when a placeholder is the whole JSON string (`"nodeCount": "{{nodes}}"`). */
  typed: string | number | boolean;
}

const bad = (p: TemplateParameter, expected: string, raw: string) =>
  new InputError('TemplateBadValue', `Parameter ${p.name}: expected ${expected}, got ${JSON.stringify(raw)}.`);

function bounds(p: TemplateParameter): string {
  if (p.min !== undefined && p.max !== undefined) return ` from ${p.min} to ${p.max}`;
  if (p.min !== undefined) return ` ≥ ${p.min}`;
  return p.max !== undefined ? ` ≤ ${p.max}` : '';
}

function inBounds(p: TemplateParameter, n: number): boolean {
  return (p.min === undefined || n >= p.min) && (p.max === undefined || n <= p.max);
}

export function checkParam(p: TemplateParameter, raw: string): ParamValue {
  // Said by its length only: the value may be a secret, and a prefix of it is not masked where it is shown.
  if (raw.length > MAX_VALUE_LENGTH) {
    throw new InputError(
      'TemplateBadValue',
      `Parameter ${p.name}: expected at most ${MAX_VALUE_LENGTH} characters, got ${raw.length}.`,
    );
  }
  switch (p.type) {
    case 'int': {
      const n = /^-?\d{1,15}$/.test(raw.trim()) ? Number(raw) : NaN;
      if (!Number.isSafeInteger(n) || !inBounds(p, n)) throw bad(p, `a whole number${bounds(p)}`, raw);
      return { text: String(n), typed: n };
    }
    case 'number': {
      const n = /^-?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(raw.trim()) ? Number(raw) : NaN;
      if (!Number.isFinite(n) || !inBounds(p, n)) throw bad(p, `a number${bounds(p)}`, raw);
      return { text: String(n), typed: n };
    }
    case 'bool': {
      const v = raw.trim().toLowerCase();
      if (['true', 'yes', '1', 'on'].includes(v)) return { text: 'true', typed: true };
      if (['false', 'no', '0', 'off'].includes(v)) return { text: 'false', typed: false };
      throw bad(p, 'true or false', raw);
    }
    case 'choice':
      if (!p.values?.includes(raw)) throw bad(p, `one of ${(p.values ?? []).join(', ')}`, raw);
      return { text: raw, typed: raw };
    case 'string': {
      const ok = p.pattern ? compilePattern(p.pattern).matches(raw) : DEFAULT_STRING_PATTERN.test(raw);
      if (!ok) {
        throw bad(
          p,
          p.pattern ? `a value matching ${p.pattern}` : 'letters, digits and . , : / = + - _ only (no spaces)',
          raw,
        );
      }
      return { text: raw, typed: raw };
    }
  }
}

/** The parameter's value from the person's values or its default; undefined if neither. */
export function resolveParam(p: TemplateParameter, given: string | undefined): ParamValue | undefined {
  if (given !== undefined) return checkParam(p, given);
  return p.default === undefined ? undefined : checkParam(p, String(p.default));
}
