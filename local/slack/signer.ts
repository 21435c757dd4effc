// Signs a request the way Slack signs what it sends to an app: `X-Slack-Signature: v0=<hex HMAC-SHA256 of
// "v0:<timestamp>:<raw body>">` with the app's signing secret, and `X-Slack-Request-Timestamp` in Unix seconds.
// The local Slack (web-api-fake.ts) and tests use it; the app verifies with bolt's verifySlackRequest.
import { createHmac } from 'node:crypto';

export type SignedHeaders = {
  'content-type': string;
  'x-slack-signature': string;
  'x-slack-request-timestamp': string;
};

export function slackSignature(signingSecret: string, timestampSeconds: number, rawBody: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestampSeconds}:${rawBody}`).digest('hex')}`;
}

/** Headers for `rawBody` signed at `nowMs` (default: now); JSON for events, form-encoded for commands and actions. */
export function signSlackRequest(
  signingSecret: string,
  rawBody: string,
  contentType: 'json' | 'form',
  nowMs = Date.now(),
): SignedHeaders {
  const ts = Math.floor(nowMs / 1000);
  return {
    'content-type': contentType === 'json' ? 'application/json' : 'application/x-www-form-urlencoded',
    'x-slack-signature': slackSignature(signingSecret, ts, rawBody),
    'x-slack-request-timestamp': String(ts),
  };
}
