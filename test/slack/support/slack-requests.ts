// Signed requests as Slack sends them to the app, for the transport's test door (ChatTransport.handle).
import type { ChatRequest } from '../../../bot/transport';
import {
  blockActionsBody,
  eventBody,
  slashCommandBody,
  type SlackMessageRef,
  type SlackWho,
} from '../../../local/slack/payloads';
import { signSlackRequest } from '../../../local/slack/signer';

export const SIGNING_SECRET = 'test-signing-secret';
export const BOT_TOKEN = 'xoxb-test-token';

export function signed(
  body: string,
  type: 'json' | 'form',
  signedAtMs: number,
  secret = SIGNING_SECRET,
  extra: Record<string, string> = {},
): ChatRequest {
  return { method: 'POST', headers: { ...signSlackRequest(secret, body, type, signedAtMs), ...extra }, body };
}

let n = 0;
const ids = (responseUrl = 'http://127.0.0.1:9/response') => ({ responseUrl, triggerId: `t${++n}` });

export const requests = {
  mention: (who: SlackWho, text: string, atMs: number, botUserId = 'U0LOCALBOT') =>
    signed(
      eventBody(who, text, {
        kind: 'mention',
        ts: `${atMs / 1000}`,
        botUserId,
        eventId: `Ev${++n}`,
        eventTime: Math.floor(atMs / 1000),
      }),
      'json',
      atMs,
    ),
  dm: (who: SlackWho, text: string, atMs: number, botUserId = 'U0LOCALBOT') =>
    signed(
      eventBody(who, text, {
        kind: 'dm',
        ts: `${atMs / 1000}`,
        botUserId,
        eventId: `Ev${++n}`,
        eventTime: Math.floor(atMs / 1000),
      }),
      'json',
      atMs,
    ),
  command: (who: SlackWho, text: string, atMs: number, responseUrl?: string) =>
    signed(slashCommandBody(who, text, ids(responseUrl)), 'form', atMs),
  press: (who: SlackWho, message: SlackMessageRef, value: string, atMs: number) =>
    signed(
      blockActionsBody(
        who,
        message,
        { action_id: 'command-0', value, text: value },
        { ...ids(), actionTs: String(atMs / 1000) },
      ),
      'form',
      atMs,
    ),
};
