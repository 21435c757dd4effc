// Pure: is this request from Slack? Slack signs every request with the app's signing secret: `X-Slack-Signature`
// = `v0=` + hex HMAC-SHA256 of `v0:<X-Slack-Request-Timestamp>:<raw body>`. A timestamp more than five
// minutes from our clock (either way) is refused, so a captured request cannot be replayed later. node:crypto
// alone (a constant-time comparison), not bolt's helper: the HTTP function that acknowledges Slack must not
// load bolt on a cold start. The clock is injected so tests can replay an old request.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const MAX_SKEW_SECONDS = 5 * 60;

export type Verdict = { ok: true } | { ok: false; reason: string };

export function verifySlackSignature(
  signingSecret: string,
  headers: Record<string, string | undefined>,
  rawBody: string,
  nowMs: number,
): Verdict {
  const signature = headers['x-slack-signature'];
  const rawTs = headers['x-slack-request-timestamp'];
  if (!signature || !rawTs) return { ok: false, reason: 'missing X-Slack-Signature or X-Slack-Request-Timestamp' };
  const ts = Number(rawTs);
  if (!/^\d+$/.test(rawTs) || !Number.isSafeInteger(ts))
    return { ok: false, reason: 'X-Slack-Request-Timestamp is not Unix seconds' };
  if (Math.abs(nowMs / 1000 - ts) > MAX_SKEW_SECONDS)
    return { ok: false, reason: 'timestamp more than 5 minutes from now (stale or replayed)' };
  const expected = Buffer.from(
    `v0=${createHmac('sha256', signingSecret).update(`v0:${rawTs}:${rawBody}`).digest('hex')}`,
  );
  const given = Buffer.from(signature);
  const valid = given.length === expected.length && timingSafeEqual(given, expected);
  return valid ? { ok: true } : { ok: false, reason: 'signature mismatch' };
}
