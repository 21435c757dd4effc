// Masking secrets in text that the product never saw them in: a job's log tail, read long after the submit.
// At submit, each secret (at least 6 characters, so that masking never eats ordinary text) becomes a print:
// its length and an HMAC of it under a random key kept beside the prints. Stored, the prints give no secret
// back; later, every window of a line with a printed length is hashed the same way and masked on a match (a
// keyed rolling hash picks the windows worth an HMAC, so a long tail costs linear time, not an HMAC per window).
import { createHmac, randomBytes } from 'node:crypto';
import { REDACTED } from './redact';

/** Shorter values are left alone: masking them would eat ordinary words. */
export const MIN_SECRET_LENGTH = 6;
/** Longer secrets are matched by their first characters: a window never exceeds this. */
const MAX_WINDOW = 1024;

export interface SecretPrints {
  /** base64 HMAC key, random per submit. */
  key: string;
  /**
   * base64 HMAC-SHA256 of each secret's first MAX_WINDOW characters, by that length; `roll`, a rolling hash of the
   * same characters keyed by the same key, lets a scan hash each window in constant time and run the HMAC only
   * where it matches (rows written before it have none: every window is then HMACed, as before).
   */
  prints: Array<{ length: number; hmac: string; roll?: number }>;
}

const hmac = (key: Buffer, text: string): string => createHmac('sha256', key).update(text).digest('base64');

/** A prime below 2^31: with a base below 2^21, products stay below 2^52, exact in a double. */
const MOD = 2147483647;
const baseOf = (key: Buffer): number => 2 + (key.readUIntBE(0, 3) % ((1 << 21) - 3));

function rollOf(text: string, base: number): number {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (h * base + text.charCodeAt(i)) % MOD;
  return h;
}

/** The starts of the windows of `length` in `line` whose rolling hash is one of `rolls`. */
function rollingMatches(line: string, length: number, base: number, rolls: ReadonlySet<number>): number[] {
  if (line.length < length) return [];
  let top = 1; // base^(length-1): the weight of the character that leaves the window
  for (let i = 1; i < length; i++) top = (top * base) % MOD;
  let h = rollOf(line.slice(0, length), base);
  const out = rolls.has(h) ? [0] : [];
  for (let i = length; i < line.length; i++) {
    h = (h - ((line.charCodeAt(i - length) * top) % MOD) + MOD) % MOD;
    h = (h * base + line.charCodeAt(i)) % MOD;
    if (rolls.has(h)) out.push(i - length + 1);
  }
  return out;
}

/** The prints of `values` (short ones and repeats left out); undefined when none is long enough. */
export function secretPrints(values: readonly string[], key: Buffer = randomBytes(32)): SecretPrints | undefined {
  const kept = [...new Set(values.map((v) => v.slice(0, MAX_WINDOW)).filter((v) => v.length >= MIN_SECRET_LENGTH))];
  if (kept.length === 0) return undefined;
  const base = baseOf(key);
  return {
    key: key.toString('base64'),
    prints: kept.map((v) => ({ length: v.length, hmac: hmac(key, v), roll: rollOf(v, base) })),
  };
}

/** The stretches of `text` that one of the prints matches, sorted and merged. */
function coveredRanges(text: string, p: SecretPrints): Array<[number, number]> {
  const key = Buffer.from(p.key, 'base64');
  const base = baseOf(key);
  const byLength = new Map<number, { hmacs: Set<string>; rolls: Set<number> | undefined }>();
  for (const x of p.prints) {
    const at = byLength.get(x.length) ?? { hmacs: new Set<string>(), rolls: new Set<number>() };
    at.hmacs.add(x.hmac);
    // One print without a rolling hash (an older row): that length is scanned window by window.
    if (x.roll === undefined) at.rolls = undefined;
    else at.rolls?.add(x.roll);
    byLength.set(x.length, at);
  }
  const covered: Array<[number, number]> = [];
  for (const [length, { hmacs, rolls }] of byLength) {
    const starts = rolls
      ? rollingMatches(text, length, base, rolls)
      : Array.from({ length: Math.max(0, text.length - length + 1) }, (_, i) => i);
    for (const i of starts) if (hmacs.has(hmac(key, text.slice(i, i + length)))) covered.push([i, i + length]);
  }
  covered.sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const [from, to] of covered) {
    const last = merged[merged.length - 1];
    if (last && from <= last[1]) last[1] = Math.max(last[1], to);
    else merged.push([from, to]);
  }
  return merged;
}

/**
 * `lines` (adjacent lines of one output) with every stretch one of the prints matches replaced by the mask. The
 * lines are scanned as one text with their line breaks left out, so a secret a job printed split across lines
 * (`printf '%s\n%s\n' "${S:0:5}" "${S:5}"`) is found too, and each of its pieces masked where it stands.
 * Deliberate encodings (reversed, upper-cased, base64) are not matched.
 */
export function maskPrintedLines(lines: readonly string[], p: SecretPrints): string[] {
  const text = lines.join('');
  const covered = coveredRanges(text, p);
  if (covered.length === 0) return [...lines];
  const out: string[] = [];
  let start = 0;
  let k = 0;
  for (const line of lines) {
    const end = start + line.length;
    while (k < covered.length && covered[k]![1] <= start) k++;
    let shown = '';
    let at = start;
    for (let j = k; j < covered.length && covered[j]![0] < end; j++) {
      const from = Math.max(covered[j]![0], start);
      const to = Math.min(covered[j]![1], end);
      if (to <= from) continue;
      shown += `${text.slice(at, from)}${REDACTED}`;
      at = to;
    }
    out.push(shown + text.slice(at, end));
    start = end;
  }
  return out;
}

/** One line on its own: `line` with every stretch one of the prints matches masked. */
export const maskPrinted = (line: string, p: SecretPrints): string => maskPrintedLines([line], p)[0]!;
