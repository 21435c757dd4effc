// The Slack app transport (Slack's own protocol, beside the Bot Framework one): one HTTP endpoint for the Events
// API, the `/batchai` slash command and interactivity. Per request: refuse anything not signed by Slack with
// the signing secret within 5 minutes (401, nothing runs), answer Slack's url_verification and ssl_check, let a
// redelivery of an event go (Slack resends when our first answer was slow; that one still posts), and hand the
// rest to bolt through a request/response receiver. Posts go through the paced sender (sender.ts), which is
// also this transport's proactive side.
import { App, LogLevel, type Logger } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Config } from '../../shared/config';
import { redactText } from '../../shared/core/redact';
import { type InputError, toError } from '../../shared/errors';
import type { ChatRequest, ChatResponse, ChatTransport } from '../transport';
import { parseSlackBody, type SlackBody } from './body';
import { BOT_CONTEXT_KEY, registerListeners } from './listeners';
import type { PacerClock } from './pacer';
import { RequestReceiver } from './receiver';
import { createSlackClient, createSlackSender } from './sender';
import { verifySlackSignature } from './verify';

export interface SlackTransportOptions {
  slack: NonNullable<Config['slack']>;
  /** Milliseconds, for the 5-minute signature window (tests replay old requests). */
  now?: () => number;
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
  let level = LogLevel.WARN;
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

const header = (r: ChatRequest, name: string) => r.headers[name];

function retryOf(r: ChatRequest): { retryNum?: number; retryReason?: string } {
  const n = Number(header(r, 'x-slack-retry-num'));
  return {
    ...(Number.isInteger(n) && n > 0 ? { retryNum: n } : {}),
    ...(header(r, 'x-slack-retry-reason') ? { retryReason: header(r, 'x-slack-retry-reason') } : {}),
  };
}

export function createSlackTransport(opts: SlackTransportOptions): ChatTransport {
  const log = opts.log ?? ((line: string) => console.error(line));
  const now = opts.now ?? Date.now;
  const { signingSecret, botToken, apiUrl } = opts.slack;
  const sender = createSlackSender({
    client: opts.client ?? createSlackClient(botToken, apiUrl),
    ...(opts.clock ? { clock: opts.clock } : {}),
    log,
  });
  const receiver = new RequestReceiver();
  // One workspace token and no auth.test round trip on a cold start (the ack budget is 3 s): bolt's ignoreSelf
  // would need the bot's ids, and the DM listener drops the bot's own messages itself.
  const app = new App({
    receiver,
    authorize: async () => ({ botToken }),
    ignoreSelf: false,
    deferInitialization: true,
    clientOptions: { slackApiUrl: apiUrl },
    logger: boltLogger(log),
  });
  registerListeners(app, { sender, apiUrl, log });
  let ready: Promise<void> | undefined;

  async function dispatch(
    body: SlackBody,
    request: ChatRequest,
    bot: Parameters<ChatTransport['handle']>[1],
  ): Promise<ChatResponse> {
    ready ??= app.init().catch((e: unknown) => {
      ready = undefined;
      throw e;
    });
    await ready;
    return receiver.dispatch({ body, ...retryOf(request), custom: { [BOT_CONTEXT_KEY]: bot } });
  }

  return {
    sender,
    async handle(request, bot) {
      if (request.method !== 'POST') return { status: 405, headers: { allow: 'POST' }, body: '' };
      const verdict = verifySlackSignature(signingSecret, request.headers, request.body, now());
      if (!verdict.ok) {
        log(`[slack] refused a request: ${verdict.reason}`);
        return { status: 401, body: '' };
      }
      let body: SlackBody;
      try {
        body = parseSlackBody(request.body, header(request, 'content-type'));
      } catch (e) {
        return { status: 400, body: { error: { code: (e as InputError).code, message: toError(e).message } } };
      }
      if (body.ssl_check) return { status: 200, body: '' };
      if (body.type === 'url_verification') return { status: 200, body: { challenge: body.challenge } };
      // A redelivered event: the first delivery is still running (or ran) and answers; running it again would
      // submit twice. Slack stops resending once told not to.
      if (body.type === 'event_callback' && retryOf(request).retryNum)
        return { status: 200, headers: { 'x-slack-no-retry': '1' }, body: '' };
      try {
        return await dispatch(body, request, bot);
      } catch (e) {
        log(`[slack] request failed: ${redactText(toError(e).message)}`);
        return { status: 500, body: '' };
      }
    },
  };
}
