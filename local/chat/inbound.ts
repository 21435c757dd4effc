// Pure: what a person typed or pressed in the local chat → the Bot Framework message activity a channel would
// POST to the bot. Button presses arrive as `value` with empty text, as Web Chat sends Action.Submit data.
import { isRecord } from '../../shared/core/json-shape';
import { InputError } from '../../shared/errors';

/** The channel the page plays: Web Chat by default, or Teams or Slack (the bot answers each in its format). */
export const CHANNELS = ['webchat', 'msteams', 'slack'] as const;
export type ChatChannel = (typeof CHANNELS)[number];

export interface UserInput {
  text?: string;
  value?: Record<string, unknown>;
  user?: { id: string; name?: string };
  channel?: ChatChannel;
}

export const BOT_ACCOUNT = { id: 'bot', name: 'Batch AI bot' };

/** Parses a request body from the page or the CLI; says what was expected. */
export function parseUserInput(body: unknown): UserInput {
  if (!isRecord(body)) {
    throw new InputError('MessageInvalid', 'Expected a JSON object {"text": "..."} or {"value": {...}}.');
  }
  const { text, value, user, channel } = body;
  if (channel !== undefined && !(CHANNELS as readonly unknown[]).includes(channel)) {
    throw new InputError('MessageInvalid', `"channel" must be one of ${CHANNELS.join(', ')}.`);
  }
  if (text !== undefined && typeof text !== 'string')
    throw new InputError('MessageInvalid', '"text" must be a string.');
  if (value !== undefined && !isRecord(value)) {
    throw new InputError('MessageInvalid', '"value" must be an object, e.g. {"command": "job job7"}.');
  }
  if (!text?.trim() && value === undefined)
    throw new InputError('MessageInvalid', 'Expected "text" (not empty) or "value".');
  if (typeof text === 'string' && text.length > 10_000)
    throw new InputError('MessageInvalid', '"text" is longer than 10,000 characters.');
  let who: UserInput['user'];
  if (typeof user === 'string') who = { id: user };
  else if (isRecord(user) && typeof user.id === 'string') {
    who = { id: user.id, name: typeof user.name === 'string' ? user.name : undefined };
  } else if (user !== undefined)
    throw new InputError('MessageInvalid', '"user" must be a user id string or {"id", "name"}.');
  if (who && !/^[\w\-.@:]{1,100}$/.test(who.id))
    throw new InputError('MessageInvalid', `User id "${who.id.slice(0, 40)}": expected letters, digits or - _ . @ :`);
  return { text, value, user: who, ...(channel === undefined ? {} : { channel: channel as ChatChannel }) };
}

export function buildMessageActivity(
  input: UserInput,
  ctx: { conversationId: string; serviceUrl: string; now?: Date },
): Record<string, unknown> & { type: 'message' } {
  const user = input.user ?? { id: 'user' };
  return {
    type: 'message',
    channelId: input.channel ?? 'webchat',
    serviceUrl: ctx.serviceUrl,
    conversation: { id: ctx.conversationId },
    from: { id: user.id, name: user.name ?? user.id, role: 'user' },
    recipient: { id: BOT_ACCOUNT.id, name: BOT_ACCOUNT.name, role: 'bot' },
    timestamp: (ctx.now ?? new Date()).toISOString(),
    locale: 'en-US',
    textFormat: 'plain',
    text: input.text ?? '',
    ...(input.value !== undefined ? { value: input.value } : {}),
  };
}
