// Pure: text that came over the wire (a chat activity, a Slack event) checked before anything uses it. A lone
// surrogate (malformed UTF-16) passes JSON.parse but breaks whatever encodes the text later (a URL, a table key),
// far from the field that held it; an id with control characters or of any length breaks keys and logs. Each
// check names the field and says what was expected.

/** At most this deep and this many strings are looked at: the bodies checked here are small. */
const MAX_DEPTH = 64;

// A surrogate on its own: with the u flag a well-formed pair is one code point and does not match.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/** The dotted path of the first string (or key) in `v` that is not well-formed UTF-16, or undefined. */
export function malformedTextAt(v: unknown, path = '', depth = 0): string | undefined {
  if (typeof v === 'string') return LONE_SURROGATE.test(v) ? path || '(the body)' : undefined;
  if (typeof v !== 'object' || v === null || depth > MAX_DEPTH) return undefined;
  for (const [k, x] of Object.entries(v)) {
    const at = Array.isArray(v) ? `${path}[${k}]` : path ? `${path}.${k}` : k;
    if (LONE_SURROGATE.test(k)) return at;
    const found = malformedTextAt(x, at, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** What a malformed string at `path` should have been, for a 400. */
export const wellFormedExpected = (path: string): string =>
  `"${path}" as well-formed Unicode text (it holds a lone UTF-16 surrogate)`;

/** Why `v` is not an id of at most `max` printable characters, or undefined when it is. */
export function idProblem(v: string, max = 1024): string | undefined {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: it refuses control characters on purpose
  if (/[\x00-\x1f\x7f]/.test(v) || v.length > max) return `at most ${max.toLocaleString('en-US')} printable characters`;
  return undefined;
}

/** The value at a dotted path of plain objects, or undefined. */
export function valueAt(o: unknown, path: string): unknown {
  let v = o;
  for (const k of path.split('.'))
    v = typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[k] : undefined;
  return v;
}

/**
 * Why the ids at `paths` of `body` (each absent, or a string of at most 1,024 printable characters) are not
 * usable, as "whose "<path>" is …", or undefined when they are.
 */
export function idFieldsProblem(body: unknown, paths: readonly string[]): string | undefined {
  for (const path of paths) {
    const v = valueAt(body, path);
    if (v === undefined || v === null) continue;
    if (typeof v !== 'string') return `whose "${path}" is a string`;
    const problem = idProblem(v);
    if (problem) return `whose "${path}" is ${problem}`;
  }
  return undefined;
}
