// `npm run chat -- [--conversation <id>] [--user <id>] [--json] [--wait <seconds>] ["<text>"]`: the terminal
// client of the local chat. Sends the text (if any), prints the bot's replies, then with --wait whatever else
// arrives in that conversation (alerts, card updates). Without text or --wait it prints the conversation.
// `--channel slack` does the same through the local Slack (local/slack/chat-slack.ts), and `--press <button>`
// presses a button of the newest Slack message that has it.
import { InputError, toError } from '../../shared/errors';
import { runSlackChat } from '../slack/chat-slack';
import { activityToText } from './card-text';
import { chatClient, type ChatActivity } from './client';
import type { Timing } from './server';

export interface CliOptions {
  conversation: string;
  user: string;
  json: boolean;
  waitSeconds: number;
  url: string;
  text?: string;
  help: boolean;
  channel: 'webchat' | 'slack';
  /** Slack only: the title or command of the button to press. */
  press?: string;
}

export const USAGE =
  'usage: npm run chat -- [--channel webchat|slack] [--conversation <id>] [--user <id>] [--json] [--wait <seconds>] ' +
  '[--url <chat or local Slack url>] ["<text>" | --press <button>]';

/** The local Slack's ids: a DM (D…) with user U0LOCAL in team T0LOCAL unless --conversation/--user say otherwise. */
const SLACK_DEFAULTS = { team: 'T0LOCAL', user: 'U0LOCAL', channel: 'D0LOCAL' };

export function parseCliArgs(argv: string[], env: Record<string, string | undefined> = {}): CliOptions {
  const o: CliOptions = {
    conversation: '',
    user: '',
    json: false,
    waitSeconds: 0,
    url: '',
    help: false,
    channel: 'webchat',
  };
  const words: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = (name: string) => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new InputError('CliUsage', `${name} needs a value. ${USAGE}`);
      return v;
    };
    if (a === '--conversation' || a === '-c') o.conversation = next(a);
    else if (a === '--user' || a === '-u') o.user = next(a);
    else if (a === '--url') o.url = next(a);
    else if (a === '--press') o.press = next(a);
    else if (a === '--channel') {
      const c = next(a);
      if (c !== 'webchat' && c !== 'slack')
        throw new InputError('CliUsage', `--channel ${c}: expected webchat or slack.`);
      o.channel = c;
    } else if (a === '--json') o.json = true;
    else if (a === '--help' || a === '-h') o.help = true;
    else if (a === '--wait' || a === '-w') {
      const raw = next(a);
      const n = Number(raw);
      if (!Number.isFinite(n) || n < 0)
        throw new InputError('CliUsage', `--wait ${raw}: expected a number of seconds ≥ 0.`);
      o.waitSeconds = n;
    } else if (a.startsWith('--')) throw new InputError('CliUsage', `Unknown option ${a}. ${USAGE}`);
    else words.push(a);
  }
  // Unquoted words are one message: `npm run chat -- submit hello` works as `"submit hello"`.
  if (words.length > 0) o.text = words.join(' ');
  if (o.press !== undefined && (o.channel !== 'slack' || o.text !== undefined)) {
    throw new InputError('CliUsage', `--press goes with --channel slack and no text. ${USAGE}`);
  }
  const slack = o.channel === 'slack';
  o.conversation ||= slack ? SLACK_DEFAULTS.channel : 'local';
  o.user ||= slack ? SLACK_DEFAULTS.user : 'you';
  o.url ||= (slack ? env.SLACK_URL : env.CHAT_URL) || (slack ? 'http://127.0.0.1:3979' : 'http://127.0.0.1:3978');
  return o;
}

function describe(a: ChatActivity, seen: Set<string>): string {
  const from = a.from as { name?: string; id?: string; role?: string } | undefined;
  const who = from?.name ?? from?.id ?? '?';
  const tags = [seen.has(a.id) ? 'updated' : undefined, a.proactive ? 'alert' : undefined].filter(Boolean);
  const time = typeof a.timestamp === 'string' ? new Date(a.timestamp).toLocaleTimeString() : '';
  const head = `── ${who} · ${time}${tags.length ? ` · ${tags.join(', ')}` : ''} ──`;
  const value = a.value as { command?: unknown } | undefined;
  const body = activityToText(a) || (typeof value?.command === 'string' ? `▸ ${value.command}` : '');
  return `${head}\n${body}\n`;
}

/** The bot's acknowledgement (its HTTP answer) and its first reply, as the chat server measured them. */
export function timingLine(t: Timing): string {
  const answer = t.answerMs === undefined ? 'no reply yet' : `answer ${t.answerMs} ms`;
  return `(ack ${t.ackMs ?? '?'} ms · ${answer})`;
}

export async function runCli(
  argv: string[],
  io: { out(s: string): void; err(s: string): void; env?: Record<string, string | undefined> },
): Promise<number> {
  let opts: CliOptions;
  try {
    opts = parseCliArgs(argv, io.env ?? {});
  } catch (e) {
    io.err(toError(e).message);
    return 2;
  }
  if (opts.help) {
    io.out(USAGE);
    return 0;
  }
  if (opts.channel === 'slack') {
    try {
      await runSlackChat(
        { ...opts, team: SLACK_DEFAULTS.team, channel: opts.conversation },
        { out: io.out, sleep: (ms) => new Promise((r) => setTimeout(r, ms)) },
      );
      return 0;
    } catch (e) {
      io.err(toError(e).message);
      return 1;
    }
  }
  const client = chatClient(opts.url);
  const seen = new Set<string>();
  const print = (activities: ChatActivity[], skipOwn?: string) => {
    for (const a of activities) {
      if (a.type !== 'message' || a.id === skipOwn) continue;
      io.out(opts.json ? JSON.stringify(a) : describe(a, seen));
      seen.add(a.id);
    }
  };
  try {
    let cursor: number;
    if (opts.text !== undefined) {
      const sent = await client.send(opts.conversation, { text: opts.text, user: { id: opts.user, name: opts.user } });
      const replies = await client.changes(opts.conversation, sent.seq);
      print(replies.activities, sent.id);
      if (!opts.json) io.out(timingLine(sent));
      cursor = replies.last;
    } else if (opts.waitSeconds > 0) {
      cursor = (await client.changes(opts.conversation, Number.MAX_SAFE_INTEGER)).last;
    } else {
      print((await client.changes(opts.conversation, 0)).activities);
      return 0;
    }
    const deadline = Date.now() + opts.waitSeconds * 1000;
    while (Date.now() < deadline) {
      const wait = Math.min(30, Math.ceil((deadline - Date.now()) / 1000));
      const next = await client.changes(opts.conversation, cursor, wait);
      print(next.activities);
      cursor = next.last;
    }
    return 0;
  } catch (e) {
    io.err(toError(e).message);
    return 1;
  }
}

if (require.main === module) {
  runCli(process.argv.slice(2), {
    out: (s) => process.stdout.write(`${s}\n`),
    err: (s) => process.stderr.write(`${s}\n`),
    env: process.env,
  }).then((code) => {
    process.exitCode = code;
  });
}
