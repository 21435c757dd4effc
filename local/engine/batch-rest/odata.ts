// OData query options of Batch lists: $filter (comparisons eq/ne/gt/ge/lt/le on top-level properties, and/or/
// not, parentheses, startswith(prop,'x'), DateTime'…' literals), $select (top-level properties), and paging
// with maxresults and an `odata.nextLink` that carries a $skiptoken plus the original query.
import { BatchHttpError } from './batch-http-error';
import { MAX_FILTER_DEPTH, MAX_FILTER_TERMS } from '../quota';

type Entity = Record<string, unknown>;
type Predicate = (e: Entity) => boolean;

function badFilter(filter: string, reason: string): BatchHttpError {
  return new BatchHttpError(
    400,
    'InvalidQueryParameterValue',
    `The value for one of the query parameters specified in the request URI is invalid: $filter: ${reason}.`,
    [
      { key: 'QueryParameterName', value: '$filter' },
      { key: 'QueryParameterValue', value: filter },
      { key: 'Reason', value: reason },
    ],
  );
}

const TOKEN = /\s*(\(|\)|,|'(?:[^']|'')*'|DateTime'[^']*'|[A-Za-z_][\w.]*|-?\d+(?:\.\d+)?)/y;

function tokenize(filter: string): string[] {
  const out: string[] = [];
  TOKEN.lastIndex = 0;
  let pos = 0;
  while (pos < filter.length) {
    if (!filter.slice(pos).trim()) break;
    TOKEN.lastIndex = pos;
    const m = TOKEN.exec(filter);
    if (!m) throw badFilter(filter, `unexpected text at "${filter.slice(pos, pos + 20)}"`);
    out.push(m[1]);
    pos = TOKEN.lastIndex;
  }
  return out;
}

function literal(t: string): unknown {
  if (t.startsWith("DateTime'")) return Date.parse(t.slice(9, -1));
  if (t.startsWith("'")) return t.slice(1, -1).replace(/''/g, "'");
  if (t === 'true' || t === 'false') return t === 'true';
  if (/^-?\d/.test(t)) return Number(t);
  return undefined;
}

function value(e: Entity, prop: string): unknown {
  const v = e[prop];
  // Times compare as times whatever their text form.
  return typeof v === 'string' && /^\d{4}-\d\d-\d\dT/.test(v) ? Date.parse(v) : v;
}

const OPS: Record<string, (a: unknown, b: unknown) => boolean> = {
  eq: (a, b) => (typeof a === 'string' && typeof b === 'string' ? a.toLowerCase() === b.toLowerCase() : a === b),
  ne: (a, b) => !OPS.eq(a, b),
  gt: (a, b) => (a as number) > (b as number),
  ge: (a, b) => (a as number) >= (b as number),
  lt: (a, b) => (a as number) < (b as number),
  le: (a, b) => (a as number) <= (b as number),
};

export function parseFilter(text: string | null): Predicate {
  if (!text?.trim()) return () => true;
  const filter = text;
  const t = tokenize(filter);
  let i = 0;
  const peek = (): string | undefined => t[i];
  const take = (want?: string): string => {
    const x = t[i++];
    if (x === undefined || (want && x.toLowerCase() !== want))
      throw badFilter(filter, want ? `expected '${want}'` : 'unexpected end');
    return x;
  };
  let depth = 0;
  let terms = 0;
  // The local quota: a nesting or a chain this long is no list query, and evaluating it would recurse as deep.
  const nested = <T>(f: () => T): T => {
    if (++depth > MAX_FILTER_DEPTH) throw badFilter(filter, `expected at most ${MAX_FILTER_DEPTH} levels of nesting`);
    const p = f();
    depth--;
    return p;
  };
  function primary(): Predicate {
    if (peek() === '(') {
      take('(');
      const p = nested(or);
      take(')');
      return p;
    }
    if (peek()?.toLowerCase() === 'not') {
      take();
      const p = nested(primary);
      return (e) => !p(e);
    }
    if (++terms > MAX_FILTER_TERMS) throw badFilter(filter, `expected at most ${MAX_FILTER_TERMS} comparisons`);
    const name = take();
    if (name.toLowerCase() === 'startswith') {
      take('(');
      const prop = take();
      take(',');
      const prefix = String(literal(take()) ?? '');
      take(')');
      return (e) =>
        String(e[prop] ?? '')
          .toLowerCase()
          .startsWith(prefix.toLowerCase());
    }
    const op = take().toLowerCase();
    const cmp = OPS[op];
    if (!cmp) throw badFilter(filter, `unknown operator '${op}'`);
    const right = literal(take());
    if (right === undefined) throw badFilter(filter, `expected a literal after ${name} ${op}`);
    return (e) => cmp(value(e, name), right);
  }
  function and(): Predicate {
    let p = primary();
    while (peek()?.toLowerCase() === 'and') {
      take();
      const l = p;
      const r = primary();
      p = (e) => l(e) && r(e);
    }
    return p;
  }
  function or(): Predicate {
    let p = and();
    while (peek()?.toLowerCase() === 'or') {
      take();
      const l = p;
      const r = and();
      p = (e) => l(e) || r(e);
    }
    return p;
  }
  const p = or();
  if (i !== t.length) throw badFilter(filter, `unexpected '${t[i]}'`);
  return p;
}

/** Top-level properties only, as named (the service ignores unknown names). */
export function select<T extends Entity>(e: T, selectText: string | null): Entity {
  if (!selectText?.trim()) return e;
  const names = selectText
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return Object.fromEntries(names.filter((n) => n in e).map((n) => [n, e[n]]));
}

export interface PageOf<T> {
  items: T[];
  nextLink?: string;
}

/** The window a list request asks for: $skiptoken (from) and maxresults (1..1000, default 1000). */
export function pageWindow(url: URL): { skip: number; size: number } {
  const max = url.searchParams.get('maxresults');
  const size = max === null ? 1000 : Number(max);
  if (!Number.isInteger(size) || size < 1 || size > 1000) {
    throw new BatchHttpError(
      400,
      'InvalidQueryParameterValue',
      'The value for one of the query parameters specified in the request URI is invalid: ' +
        `maxresults=${max}: expected 1 to 1000.`,
      [
        { key: 'QueryParameterName', value: 'maxresults' },
        { key: 'QueryParameterValue', value: String(max) },
      ],
    );
  }
  return { skip: Number(url.searchParams.get('$skiptoken') ?? 0) || 0, size };
}

/** One page of `items` (pageWindow); the next link repeats the query. */
export function page<T>(items: T[], url: URL, baseUrl: string): PageOf<T> {
  const { skip, size } = pageWindow(url);
  const slice = items.slice(skip, skip + size);
  if (skip + size >= items.length) return { items: slice };
  const next = new URL(url.pathname + url.search, baseUrl);
  next.searchParams.set('$skiptoken', String(skip + size));
  return { items: slice, nextLink: next.href };
}
