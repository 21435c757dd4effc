// What the Slack app does with each kind of request, as bolt listeners over the neutral bot (bot/transport.ts):
// - a mention in a channel (`app_mention`) and a direct message (`message` in an im) run their text;
// - the slash command `/batchai <text>` runs <text>; its answer is posted to the channel (the command itself
//   is not shown there), and a failure to post comes back to the person alone (an ephemeral message on the
//   command's response_url: the request itself was acknowledged before the turn ran, see intake.ts);
// - a button press (`block_actions`) runs the button's value (our buttons carry the command) and replaces the
//   pressed message with the answer, as Teams does with Universal Actions.
// The Slack user id is the person (roles, audit, `--mine`); the team id scopes the conversation.
import type { App } from '@slack/bolt';
import { redactText } from '../../shared/core/redact';
import { toError } from '../../shared/errors';
import type { ConversationSender } from '../../shared/services/conversation-sender';
import type { ChatBot } from '../transport';
import { slackConversation } from './conversation';

/** What the app subscribes to (infra/slack/manifest.json must say the same; its test checks). */
export const SLASH_COMMAND = '/batchai';
export const HANDLED_EVENTS = ['app_mention', 'message.im'] as const;

/** The bot of the request being processed, passed by the transport as bolt's custom context property. */
export const BOT_CONTEXT_KEY = 'chatBot';

export interface ListenerDeps {
  sender: ConversationSender;
  apiUrl: string;
  log: (line: string) => void;
}

interface Turn {
  team: string;
  channel: string;
  user: string;
  userName?: string;
  text: string;
  bot: ChatBot;
  replace?: string;
}

/** Slack names a direct message (an im) channel with a leading D; channels start with C, private ones with G. */
const isDirectMessage = (channel: string) => channel.startsWith('D');

/** `<@U123> submit hello` → `submit hello`: leading mentions (of the bot) go, the rest is the command. */
export function withoutLeadingMentions(text: string): string {
  return text
    .replace(/^\s*(?:<@[A-Z0-9]+(?:\|[^>]*)?>\s*)+/, '')
    .replace(/\s+/g, ' ')
    .trim();
}

function botOf(context: Record<string, unknown>): ChatBot {
  const bot = context[BOT_CONTEXT_KEY] as ChatBot | undefined;
  if (!bot) throw new Error(`slack: no ${BOT_CONTEXT_KEY} in the context (the transport passes it per request)`);
  return bot;
}

export function registerListeners(app: App, deps: ListenerDeps): void {
  /** Runs one turn and posts (or puts in place of `replace`) its answer; a failure to post is logged and returned. */
  async function run(t: Turn): Promise<Error | undefined> {
    const conversation = slackConversation({ team: t.team, channel: t.channel }, deps.apiUrl);
    const user = { id: t.user, ...(t.userName ? { name: t.userName } : {}) };
    const reply = await t.bot.turn({ text: t.text, user, conversation, personal: isDirectMessage(t.channel) });
    try {
      let ts = t.replace;
      if (ts) await deps.sender.update(conversation, ts, reply.view);
      else ts = (await deps.sender.send(conversation, reply.view)).id;
      if (ts) await reply.posted(ts);
      return undefined;
    } catch (e) {
      const err = toError(e);
      deps.log(`[slack] could not post the answer in ${conversation.conversationId}: ${redactText(err.message)}`);
      return err;
    }
  }

  app.event('app_mention', async ({ event, context }) => {
    if (!context.teamId || !event.user) return;
    await run({
      team: context.teamId,
      channel: event.channel,
      user: event.user,
      text: withoutLeadingMentions(event.text),
      bot: botOf(context),
    });
  });

  app.message(async ({ message, context }) => {
    // Only what a person wrote in a DM: channel messages reach us as app_mention; edits, joins and our own
    // posts (bot_id) have a subtype or a bot id.
    if (message.channel_type !== 'im' || message.subtype !== undefined || ('bot_id' in message && message.bot_id))
      return;
    if (!context.teamId || !message.user) return;
    await run({
      team: context.teamId,
      channel: message.channel,
      user: message.user,
      text: withoutLeadingMentions(message.text ?? ''),
      bot: botOf(context),
    });
  });

  app.command(SLASH_COMMAND, async ({ command, ack, respond, context }) => {
    await ack();
    const failed = await run({
      team: command.team_id,
      channel: command.channel_id,
      user: command.user_id,
      userName: command.user_name,
      text: command.text.trim(),
      bot: botOf(context),
    });
    if (!failed) return;
    await respond({
      response_type: 'ephemeral',
      text:
        `I could not post in this channel (${redactText(failed.message)}). ` +
        'Add the app to the channel, or send me a direct message.',
    }).catch((e: unknown) => deps.log(`[slack] could not answer on response_url: ${redactText(toError(e).message)}`));
  });

  app.action({ type: 'block_actions' }, async ({ ack, body, action, context }) => {
    await ack();
    const value = (action as { value?: unknown }).value;
    const ts = body.container?.message_ts as string | undefined;
    const channel = (body.container?.channel_id as string | undefined) ?? body.channel?.id;
    const team = context.teamId ?? body.user.team_id;
    if (typeof value !== 'string' || !ts || !channel || !team) return;
    await run({
      team,
      channel,
      user: body.user.id,
      userName: body.user.username ?? body.user.name,
      text: value,
      bot: botOf(context),
      replace: ts,
    });
  });
}
