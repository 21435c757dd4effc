// The Slack app's turns and posts (Slack's own protocol, beside the Bot Framework transport). Requests come in
// through intake.ts, which verifies and acknowledges them and leaves them in the inbox; the `slack-turns` queue
// function calls drain(): each waiting turn of the conversation, in order, goes through bolt (a
// request/response receiver) to the listeners, which answer with chat.postMessage / chat.update / response_url.
// Posts go through the paced sender (sender.ts), which is also this transport's proactive side.
import type { App, Logger, LogLevel } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Config } from '../../shared/config';
import { redactText } from '../../shared/core/redact';
import { toError } from '../../shared/errors';
import { SLACK_TURNS_QUEUE } from '../../shared/storage/queue-names';
import { parseTurnsMessage, type TurnInbox, type QueuedTurn } from '../../shared/storage/turn-inbox';
import type { ChatBot, ConversationSender } from '../transport';
import { parseSlackBody } from './body';
import { BOT_CONTEXT_KEY, registerListeners } from './listeners';
import type { PacerClock } from './pacer';
import { RequestReceiver } from './receiver';
import { createSlackClient, createSlackSender } from './sender';

export interface SlackTransportOptions {
  slack: NonNullable<Config['slack']>;
  /** Where acknowledged requests wait for the `slack-turns` queue function. */
  inbox: Pick<TurnInbox, 'drain'>;
  /** The sender's pacing clock (tests run a storm without waiting). */
  clock?: PacerClock;
  /** The sender's Web API client (default: one with the bot token against `slack.apiUrl`). */
  client?: WebClient;
  log?: (line: string) => void;
}

/**
 * Bolt's logger on ours: warnings and errors only, secrets masked (bolt logs no tokens, but error text may echo input).
 */
function boltLogger(log: (line: string) => void): Logger {
  let level = 'warn' as LogLevel;
  const line = (msg: unknown[]) =>
    log(`[slack] ${redactText(msg.map((m) => (m instanceof Error ? m.message : String(m))).join(' '))}`);
  return {
    debug: () => undefined,
    info: () => undefined,
    warn: (...msg) => line(msg),
    error: (...msg) => line(msg),
    setLevel: (l) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}

export interface SlackTransport {
  /** The proactive side: posts into and updates messages of Slack conversations. */
  sender: ConversationSender;
  /** The `slack-turns` queue function: runs the waiting turns of the message's conversation, in order. */
  drain(message: unknown, bot: ChatBot): Promise<{ conversation: string; outcome: 'drained' | 'busy' }>;
}

export function createSlackTransport(opts: SlackTransportOptions): SlackTransport {
  const log = opts.log ?? ((line: string) => console.error(line));
  const { botToken, apiUrl } = opts.slack;
  const sender = createSlackSender({
    client: opts.client ?? createSlackClient(botToken, apiUrl),
    ...(opts.clock ? { clock: opts.clock } : {}),
    log,
    chartEverySeconds: opts.slack.chartEverySeconds,
    fileCallsPerMinute: opts.slack.fileCallsPerMinute,
  });
  const receiver = new RequestReceiver();
  let app: App | undefined;
  // Bolt (and express below it) loads on the first Slack turn, not with the composition root: the `messages`
  // function shares that root, and a Teams turn has no use for it.
  const boltApp = (): App => {
    if (app) return app;
    const { App } = require('@slack/bolt') as typeof import('@slack/bolt');
    // One workspace token and no auth.test round trip: bolt's ignoreSelf would need the bot's ids, and the DM
    // listener drops the bot's own messages itself.
    app = new App({
      receiver,
      authorize: async () => ({ botToken }),
      ignoreSelf: false,
      deferInitialization: true,
      clientOptions: { slackApiUrl: apiUrl },
      logger: boltLogger(log),
    });
    registerListeners(app, { sender, apiUrl, log });
    return app;
  };
  let ready: Promise<void> | undefined;

  /** One waiting turn through bolt; the request was acknowledged long ago, so what ack() is given goes nowhere. */
  async function run(turn: QueuedTurn, bot: ChatBot): Promise<void> {
    try {
      ready ??= boltApp()
        .init()
        .catch((e: unknown) => {
          ready = undefined;
          throw e;
        });
      await ready;
      await receiver.dispatch({
        body: parseSlackBody(turn.body, turn.contentType),
        custom: { [BOT_CONTEXT_KEY]: bot },
      });
    } catch (e) {
      log(`[slack] a turn in ${turn.conversation} failed: ${redactText(toError(e).message)}`);
    }
  }

  return {
    sender,
    async drain(message, bot) {
      const conversation = parseTurnsMessage(message, SLACK_TURNS_QUEUE);
      return { conversation, outcome: await opts.inbox.drain(conversation, (turn) => run(turn, bot)) };
    },
  };
}
