// Pure: what the inbox needs to know of a verified Slack request before acknowledging it. The conversation
// (team and channel) orders turns; the request key makes a redelivery the same request: Slack's `event_id` for
// the Events API (a retry carries the same id with a fresh signature), and the signature with its timestamp for
// slash commands and button presses (Slack does not retry them; a replay within the 5-minute window carries the
// very same signature and timestamp).
import type { SlackBody } from './body';

const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);
const field = (o: unknown, name: string): unknown =>
  typeof o === 'object' && o !== null ? (o as Record<string, unknown>)[name] : undefined;

/** `<team>:<channel>`; `-` for a part the request does not carry (it then shares that conversation's order). */
export function conversationOf(body: SlackBody): string {
  const team =
    str(body.team_id) ?? str(field(body.team, 'id')) ?? str(field(body.user, 'team_id')) ?? str(body.api_app_id);
  const channel =
    str(field(body.event, 'channel')) ??
    str(body.channel_id) ??
    str(field(body.container, 'channel_id')) ??
    str(field(body.channel, 'id'));
  return `${team ?? '-'}:${channel ?? '-'}`;
}

export function requestKeyOf(body: SlackBody, headers: Record<string, string | undefined>): string {
  const eventId = body.type === 'event_callback' ? str(body.event_id) : undefined;
  if (eventId) return `event:${eventId}`;
  return `signed:${headers['x-slack-request-timestamp'] ?? ''}:${headers['x-slack-signature'] ?? ''}`;
}
