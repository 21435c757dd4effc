// `npm run chat -- --channel slack …`: the terminal client of the local Slack. It writes as a Slack user (a DM
// by default; a channel id C… makes it a mention, `/batchai …` the slash command; --press a button), so the
// app is reached the way Slack reaches it (signed requests to /api/slack/events), then prints the bot's
// messages in that channel as text, and with --wait their in-place updates and the alerts that follow. The app
// acknowledges at once and answers from its queue, so the client waits (up to ANSWER_WAIT_MS) for that answer.
import { InputError } from '../../shared/errors';
import { slackMessageToText } from './blocks-text';
import type { SlackMessage } from './web-api-fake';

export interface SlackChatOptions {
  url: string;
  team: string;
  user: string;
  channel: string;
  text?: string;
  press?: string;
  waitSeconds: number;
  json: boolean;
}

/** The longest wait for the answer to what was said or pressed (a cold start and a slow backend call fit). */
const ANSWER_WAIT_MS = 30_000;

interface Io {
  out(s: string): void;
  sleep(ms: number): Promise<void>;
}

async function call<T>(url: string, init?: RequestInit): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, init);
  } catch {
    throw new InputError('SlackUnreachable', `No local Slack at ${new URL(url).origin}: start it with npm start.`);
  }
  const body = (await res.json().catch(() => undefined)) as { error?: { code?: string; message?: string } } | undefined;
  if (!res.ok)
    throw new InputError(
      'SlackAppRefused',
      `${body?.error?.code ?? `HTTP ${res.status}`}: ${body?.error?.message ?? `from ${url}`}`,
    );
  return body as T;
}

export async function runSlackChat(o: SlackChatOptions, io: Io): Promise<void> {
  const base = o.url.replace(/\/+$/, '');
  const read = () =>
    call<{ messages: SlackMessage[]; responses: Array<{ text?: string }> }>(
      `${base}/_local/history?channel=${encodeURIComponent(o.channel)}`,
    );
  const first = await read();
  // Answers from earlier runs were shown then.
  let shownResponses = first.responses.length;
  let answered = false;
  const history = async () => {
    const h = await read();
    // An answer on the response_url (e.g. the slash command could not post) is for this person only.
    for (const r of h.responses.slice(shownResponses)) io.out(`── batchai · only you ──\n${r.text ?? ''}\n`);
    shownResponses = h.responses.length;
    return h.messages;
  };
  // ts → edits already printed: a message shows again (marked updated) when chat.update changed it.
  const printed = new Map<string, number>();
  const print = (messages: SlackMessage[]) => {
    for (const m of messages) {
      if (!m.bot || printed.get(m.ts) === m.edits) continue;
      const tag = printed.has(m.ts) ? ' · updated' : '';
      printed.set(m.ts, m.edits);
      answered = true;
      io.out(
        o.json
          ? JSON.stringify(m)
          : `── batchai · ${new Date(Number(m.ts) * 1000).toLocaleTimeString()}${tag} ──\n` +
              `${slackMessageToText(m)}\n`,
      );
    }
  };
  const before = first.messages;
  if (o.text === undefined && o.press === undefined && o.waitSeconds === 0) return print(before);
  before.forEach((m) => printed.set(m.ts, m.edits));

  const who = { team: o.team, user: o.user, channel: o.channel };
  if (o.text !== undefined || o.press !== undefined) {
    const [path, body] =
      o.press !== undefined ? ['press', { ...who, button: o.press }] : ['say', { ...who, text: o.text }];
    const r = await call<{ app: { status: number; body: string } }>(`${base}/_local/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (r.app.status !== 200)
      throw new InputError(
        'SlackAppRefused',
        `The app answered HTTP ${r.app.status}${r.app.body ? `: ${r.app.body}` : ''}.`,
      );
    const answerBy = Date.now() + ANSWER_WAIT_MS;
    const responsesBefore = shownResponses;
    print(await history());
    while (!answered && shownResponses === responsesBefore && Date.now() < answerBy) {
      await io.sleep(100);
      print(await history());
    }
  } else print(await history());
  const deadline = Date.now() + o.waitSeconds * 1000;
  while (Date.now() < deadline) {
    await io.sleep(Math.min(500, deadline - Date.now()));
    print(await history());
  }
}
