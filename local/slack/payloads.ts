// Pure: the bodies Slack sends to an app, in Slack's shapes (Events API envelope, slash command form, and the
// interactivity form with its JSON `payload`), for the local Slack and for tests. Raw strings, because the
// signature covers the exact bytes.
export interface SlackWho {
  team: string;
  user: string;
  channel: string;
}

export interface SlackMessageRef {
  channel: string;
  ts: string;
  text?: string;
  blocks?: unknown[];
}

const APP_ID = 'A0LOCALAPP';

/** `app_mention` in a channel (`<@bot> text`) or `message` in a DM (channel_type im), in an event_callback. */
export function eventBody(
  who: SlackWho,
  text: string,
  opts: { kind: 'mention' | 'dm'; ts: string; botUserId: string; eventId: string; eventTime: number },
): string {
  const event =
    opts.kind === 'mention'
      ? {
          type: 'app_mention',
          user: who.user,
          text: `<@${opts.botUserId}> ${text}`,
          ts: opts.ts,
          channel: who.channel,
          event_ts: opts.ts,
        }
      : {
          type: 'message',
          channel_type: 'im',
          user: who.user,
          text,
          ts: opts.ts,
          channel: who.channel,
          event_ts: opts.ts,
        };
  return JSON.stringify({
    token: 'unused-verification-token',
    team_id: who.team,
    api_app_id: APP_ID,
    event,
    type: 'event_callback',
    event_id: opts.eventId,
    event_time: opts.eventTime,
    authorizations: [{ team_id: who.team, user_id: opts.botUserId, is_bot: true }],
  });
}

export function urlVerificationBody(challenge: string): string {
  return JSON.stringify({ token: 'unused-verification-token', challenge, type: 'url_verification' });
}

/** `/batchai <text>` as Slack posts it: form-encoded. */
export function slashCommandBody(
  who: SlackWho,
  text: string,
  opts: { responseUrl: string; triggerId: string },
): string {
  return new URLSearchParams({
    token: 'unused-verification-token',
    team_id: who.team,
    team_domain: 'local',
    channel_id: who.channel,
    channel_name: who.channel,
    user_id: who.user,
    user_name: who.user,
    command: '/batchai',
    text,
    api_app_id: APP_ID,
    response_url: opts.responseUrl,
    trigger_id: opts.triggerId,
  }).toString();
}

/** A press of the button whose `value` is `value` on `message`: `payload=<block_actions JSON>`, form-encoded. */
export function blockActionsBody(
  who: SlackWho,
  message: SlackMessageRef,
  action: { action_id: string; value: string; text: string },
  opts: { responseUrl: string; triggerId: string; actionTs: string },
): string {
  const payload = {
    type: 'block_actions',
    user: { id: who.user, username: who.user, name: who.user, team_id: who.team },
    api_app_id: APP_ID,
    token: 'unused-verification-token',
    container: { type: 'message', message_ts: message.ts, channel_id: message.channel, is_ephemeral: false },
    trigger_id: opts.triggerId,
    team: { id: who.team, domain: 'local' },
    channel: { id: message.channel, name: message.channel },
    message: { type: 'message', ts: message.ts, text: message.text ?? '', blocks: message.blocks ?? [] },
    response_url: opts.responseUrl,
    actions: [
      {
        type: 'button',
        action_id: action.action_id,
        block_id: 'b',
        value: action.value,
        text: { type: 'plain_text', text: action.text, emoji: true },
        action_ts: opts.actionTs,
      },
    ],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}
