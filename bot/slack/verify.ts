// Pure: is this request from Slack? Slack signs every request with the app's signing secret: `X-Slack-Signature`
// = `v0=` + hex HMAC-SHA256 of `v0:<X-Slack-Request-Timestamp>:<raw body>`. A timestamp more than five
// minutes from our clock (either way) is refused, so a captured request cannot be replayed later. The HMAC
// comparison is bolt's own (constant-time); the clock is injected so tests can replay an old request.
import { isValidSlackRequest } from '@slack/bolt';

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
  if (!Number.isInteger(ts)) return { ok: false, reason: 'X-Slack-Request-Timestamp is not Unix seconds' };
  if (Math.abs(nowMs / 1000 - ts) > MAX_SKEW_SECONDS)
    return { ok: false, reason: 'timestamp more than 5 minutes from now (stale or replayed)' };
  const valid = isValidSlackRequest({
    signingSecret,
    body: rawBody,
    headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': ts },
    nowMilliseconds: nowMs,
  });
  return valid ? { ok: true } : { ok: false, reason: 'signature mismatch' };
}
