// The local Slack: one 127.0.0.1 server that is Slack's Web API for the app (web-api-fake.ts, under /api/) and
// Slack's side of the conversation for a person (under /_local/): it records what the person writes, then
// tells the app the way Slack does, signed with the app's signing secret: a DM or a mention through the Events
// API, `/batchai …` as a slash command, a button press as `block_actions`. `npm run chat -- --channel slack`
// and the tests talk to the app this way.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InputError, toError } from '../../shared/errors';
import { readJson, sendError, sendJson } from '../chat/http-util';
import { blockActionsBody, eventBody, slashCommandBody, type SlackWho } from './payloads';
import { signSlackRequest } from './signer';
import { createSlackApiFake, type SlackApiFake, type SlackApiFakeOptions, type SlackMessage } from './web-api-fake';

export interface LocalSlackOptions extends SlackApiFakeOptions {
  signingSecret: string;
  /** The app's request URL (`…/api/slack/events`); can be given later with connect(). */
  appUrl?: string;
  port?: number;
}

export interface Delivery {
  status: number;
  body: string;
  /**
   * Milliseconds from sending the request to the app's answer: Slack shows a timeout (and retries an event)
   * past 3,000. A figure to print and bench, not to assert on.
   */
  ackMs: number;
}

/** What the app posted to a slash command's or a button press's response_url. */
export interface ResponseUrlPost {
  /** The channel of the command or button press whose response_url it was. */
  channel: string;
  body: unknown;
}

export interface LocalSlack {
  /** Base URL; the Web API is `${url}/api/` (the app's SLACK_API_URL). */
  url: string;
  apiUrl: string;
  fake: SlackApiFake;
  connect(appUrl: string): void;
  /** A DM (channel id D…) or, in a channel (C…), a mention of the bot; `/batchai …` is the slash command. */
  say(who: SlackWho, text: string): Promise<Delivery>;
  /**
   * Presses the button whose value (the command) or title is `button` on message `ts` (default: the newest that has
   * one).
   */
  press(who: SlackWho, button: string, ts?: string): Promise<Delivery>;
  /** Every request the app was sent, and how long each took to be acknowledged. */
  deliveries(): Delivery[];
  /** A new response_url for a command or press in `channel` (requests made outside say/press: tests). */
  responseUrl(channel: string): string;
  /** What the app posted to response_urls, oldest first. */
  responses(): ResponseUrlPost[];
  stop(): Promise<void>;
}

interface Button {
  action_id: string;
  value: string;
  text: { text: string };
}

function buttonsOf(m: SlackMessage): Button[] {
  const out: Button[] = [];
  for (const b of m.blocks as Array<{ elements?: unknown[]; accessory?: unknown }>) {
    for (const el of [...(b.elements ?? []), b.accessory]) {
      if ((el as { type?: string } | undefined)?.type === 'button') out.push(el as Button);
    }
  }
  return out;
}

const isId = (v: unknown, first: string): v is string =>
  typeof v === 'string' && new RegExp(`^[${first}][A-Z0-9]+$`).test(v);

function whoOf(body: unknown, team: string): SlackWho {
  const b = (body ?? {}) as { user?: unknown; channel?: unknown; team?: unknown };
  if (!isId(b.user, 'UW') || !isId(b.channel, 'CDG')) {
    throw new InputError(
      'BadRequest',
      'Expected {user: "U…", channel: "C…" or "D…", text} (Slack ids: capital letters and digits).',
    );
  }
  return { team: isId(b.team, 'TE') ? b.team : team, user: b.user, channel: b.channel };
}

export async function startLocalSlack(opts: LocalSlackOptions): Promise<LocalSlack> {
  const fake = createSlackApiFake(opts);
  const now = opts.now ?? Date.now;
  let appUrl = opts.appUrl;
  let n = 0;
  const deliveries: Delivery[] = [];
  const responses: ResponseUrlPost[] = [];
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // response_url n → the channel it answers in.
  const responseChannels = new Map<string, string>();
  const ids = (channel: string) => {
    responseChannels.set(String(++n), channel);
    return { responseUrl: `${url}/_local/response/${n}`, triggerId: `${n}.local.trigger` };
  };

  async function deliver(body: string, type: 'json' | 'form'): Promise<Delivery> {
    if (!appUrl) throw new InputError('NotConnected', 'The local Slack has no app URL yet (connect(appUrl)).');
    // Real time, whatever `now` says: the acknowledgement is measured as Slack measures it.
    const sent = performance.now();
    const res = await fetch(appUrl, {
      method: 'POST',
      headers: { ...signSlackRequest(opts.signingSecret, body, type, now()) },
      body,
    });
    const text = await res.text();
    const delivery = { status: res.status, body: text, ackMs: Math.round(performance.now() - sent) };
    deliveries.push(delivery);
    return delivery;
  }

  const slack: LocalSlack = {
    url,
    apiUrl: `${url}/api/`,
    fake,
    connect(u) {
      appUrl = u;
    },
    async say(who, text) {
      const slash = /^\/batchai(?:\s+|$)/.exec(text);
      if (slash) return deliver(slashCommandBody(who, text.slice(slash[0].length).trim(), ids(who.channel)), 'form');
      const m = fake.addUserMessage(
        who.channel,
        who.user,
        who.channel.startsWith('D') ? text : `<@${fake.identity.botUserId}> ${text}`,
      );
      const kind = who.channel.startsWith('D') ? 'dm' : 'mention';
      return deliver(
        eventBody(who, text, {
          kind,
          ts: m.ts,
          botUserId: fake.identity.botUserId,
          eventId: `Ev${++n}`,
          eventTime: Math.floor(now() / 1000),
        }),
        'json',
      );
    },
    async press(who, button, ts) {
      const matches = (x: Button) => x.value === button || x.text.text === button;
      const m = ts
        ? fake.message(who.channel, ts)
        : fake
            .messages(who.channel)
            .reverse()
            .find((x) => buttonsOf(x).some(matches));
      if (!m)
        throw new InputError(
          'NotFound',
          ts ? `No message ${ts} in ${who.channel}.` : `No message in ${who.channel} has a button "${button}".`,
        );
      const b = buttonsOf(m).find(matches);
      if (!b)
        throw new InputError(
          'NotFound',
          `Message ${m.ts} has no button "${button}"; it has: ${
            buttonsOf(m)
              .map((x) => x.text.text)
              .join(', ') || 'none'
          }.`,
        );
      const body = blockActionsBody(
        who,
        m,
        { action_id: b.action_id, value: b.value, text: b.text.text },
        { ...ids(who.channel), actionTs: String(now() / 1000) },
      );
      return deliver(body, 'form');
    },
    deliveries: () => [...deliveries],
    responses: () => [...responses],
    responseUrl: (channel) => ids(channel).responseUrl,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };

  async function local(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const u = new URL(req.url ?? '/', url);
    if (req.method === 'GET' && path === '/_local/history') {
      const channel = u.searchParams.get('channel') ?? '';
      const answers = responses.filter((r) => r.channel === channel).map((r) => r.body);
      return sendJson(res, 200, { ok: true, messages: fake.messages(channel), responses: answers });
    }
    if (req.method === 'POST' && (path === '/_local/say' || path === '/_local/press')) {
      const body = (await readJson(req)) as { text?: unknown; ts?: unknown; button?: unknown } | undefined;
      const who = whoOf(body, fake.identity.team);
      if (path === '/_local/say') {
        if (typeof body?.text !== 'string' || !body.text.trim())
          throw new InputError('BadRequest', 'Expected a non-empty "text".');
        return sendJson(res, 200, { ok: true, app: await slack.say(who, body.text) });
      }
      if (typeof body?.button !== 'string' || (body.ts !== undefined && typeof body.ts !== 'string')) {
        throw new InputError(
          'BadRequest',
          'Expected "button" (its title or command) and optionally "ts" ' +
            '(the message; default the newest with that button).',
        );
      }
      return sendJson(res, 200, { ok: true, app: await slack.press(who, body.button, body.ts as string | undefined) });
    }
    // Slash commands and button presses may be answered on their response_url (this app does so only to tell
    // the person alone that it could not post in the channel).
    if (req.method === 'POST' && path.startsWith('/_local/response/')) {
      const channel = responseChannels.get(path.slice('/_local/response/'.length));
      if (!channel) throw new InputError('NotFound', `${path} is not a response_url this local Slack gave out.`);
      responses.push({ channel, body: await readJson(req) });
      return sendJson(res, 200, { ok: true });
    }
    sendError(res, 404, 'NotFound', `${req.method} ${path} is not a route of the local Slack.`);
  }

  server.on('request', (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    void (async () => {
      if (await fake.handle(req, res, path)) return;
      await local(req, res, path);
    })().catch((e: unknown) => {
      const err = toError(e);
      if (!res.headersSent)
        sendError(res, err instanceof InputError ? 400 : 500, (err as { code?: string }).code ?? 'Error', err.message);
    });
  });
  return slack;
}
