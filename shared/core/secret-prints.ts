// Masking secrets in text that the product never saw them in: a job's log tail, read long after the submit.
// At submit, each secret (at least 6 characters, so that masking never eats ordinary text) becomes a print:
// its length and an HMAC of it under a random key kept beside the prints. Stored, the prints give no secret
// back; later, every window of a line with a printed length is hashed the same way and masked on a match.
import { createHmac, randomBytes } from 'node:crypto';
import { REDACTED } from './redact';

/** Shorter values are left alone: masking them would eat ordinary words. */
export const MIN_SECRET_LENGTH = 6;
/** Longer secrets are matched by their first characters: a window never exceeds this. */
const MAX_WINDOW = 1024;

export interface SecretPrints {
  /** base64 HMAC key, random per submit. */
  key: string;
  /** base64 HMAC-SHA256 of each secret's first MAX_WINDOW characters, by that length. */
  prints: Array<{ length: number; hmac: string }>;
}

const hmac = (key: Buffer, text: string): string => createHmac('sha256', key).update(text).digest('base64');

/** The prints of `values` (short ones and repeats left out); undefined when none is long enough. */
export function secretPrints(values: readonly string[], key: Buffer = randomBytes(32)): SecretPrints | undefined {
  const kept = [...new Set(values.map((v) => v.slice(0, MAX_WINDOW)).filter((v) => v.length >= MIN_SECRET_LENGTH))];
  if (kept.length === 0) return undefined;
  return { key: key.toString('base64'), prints: kept.map((v) => ({ length: v.length, hmac: hmac(key, v) })) };
}

/** `line` with every stretch that one of the prints matches replaced by the mask. */
export function maskPrinted(line: string, p: SecretPrints): string {
  const key = Buffer.from(p.key, 'base64');
  const byLength = new Map<number, Set<string>>();
  for (const x of p.prints) byLength.set(x.length, (byLength.get(x.length) ?? new Set()).add(x.hmac));
  const covered: Array<[number, number]> = [];
  for (const [length, set] of byLength) {
    for (let i = 0; i + length <= line.length; i++) {
      if (set.has(hmac(key, line.slice(i, i + length)))) covered.push([i, i + length]);
    }
  }
  if (covered.length === 0) return line;
  covered.sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const [from, to] of covered) {
    const last = merged[merged.length - 1];
    if (last && from <= last[1]) last[1] = Math.max(last[1], to);
    else merged.push([from, to]);
  }
  let out = '';
  let at = 0;
  for (const [from, to] of merged) {
    out += `${line.slice(at, from)}${REDACTED}`;
    at = to;
  }
  return out + line.slice(at);
}
