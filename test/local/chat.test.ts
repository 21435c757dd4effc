// The local channel: connector endpoints, user messages reaching a real botbuilder CloudAdapter bot,
// persistence across restarts, long-polling, and the CLI.
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, get, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startChatServer, type ChatServer } from '../../local/chat/server';
import { runCli } from '../../local/chat/cli';
import { cardToText } from '../../local/chat/card-text';
import { chatClient } from '../../local/chat/client';
import { ConversationStore } from '../../local/chat/store';
import { jobCard, startEchoBot } from './support/echo-bot';

let dataDir: string;
let bot: Awaited<ReturnType<typeof startEchoBot>>;
let chat: ChatServer;

const post = (path: string, body: unknown, method = 'POST') =>
  fetch(`${chat.url}${path}`, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(['--url', chat.url, ...argv], { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join('\n'), lines: out, err: err.join('\n') };
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'chat-test-'));
  bot = await startEchoBot();
  chat = await startChatServer({ dataDir, port: 0, botUrl: bot.url, log: () => undefined });
});
afterAll(async () => {
  await chat?.stop();
  await bot?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("connector side (the bot's serviceUrl)", () => {
  it('stores posted activities, replies, and replaces an updated one in place', async () => {
    const first = await post('/v3/conversations/c1/activities', { type: 'message', text: 'alert: job7 succeeded' });
    expect(first.status).toBe(200);
    const { id } = (await first.json()) as { id: string };
    const reply = await post(`/v3/conversations/c1/activities/${id}`, { type: 'message', text: 'a reply' });
    const replyId = ((await reply.json()) as { id: string }).id;
    expect(replyId).not.toBe(id);

    const before = chat.store.changes('c1', 0);
    const put = await post(
      `/v3/conversations/c1/activities/${id}`,
      { type: 'message', text: 'alert: job7 succeeded (updated)' },
      'PUT',
    );
    expect(put.status).toBe(200);
    expect(await put.json()).toEqual({ id });

    const after = chat.store.changes('c1', before.last);
    expect(after.activities.map((a) => a.text)).toEqual(['alert: job7 succeeded (updated)']);
    const all = chat.store.changes('c1', 0).activities;
    expect(all.map((a) => [a.id, a.text, a.replyToId, a.proactive])).toEqual([
      [id, 'alert: job7 succeeded (updated)', undefined, true],
      [replyId, 'a reply', id, true], // posted outside any user turn: proactive, whatever its replyToId
    ]);
  });

  it('answers 404 for an update of an unknown activity and 400 for a body that is not an activity', async () => {
    const missing = await post('/v3/conversations/c1/activities/nope', { type: 'message', text: 'x' }, 'PUT');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: 'ActivityNotFound' } });
    const bad = await post('/v3/conversations/c1/activities', { text: 'no type' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/with a "type"/);
    expect((await post('/v3/conversations/..%2Fetc/activities', { type: 'message' })).status).toBe(400);
  });

  it('keeps conversations across a restart (an alert sent while nobody looked is still there)', async () => {
    await post('/v3/conversations/keep/activities', { type: 'message', text: 'sent while away' });
    await chat.stop();
    chat = await startChatServer({ dataDir, port: 0, botUrl: bot.url, log: () => undefined });
    const { activities } = await chatClient(chat.url).changes('keep', 0);
    expect(activities.map((a) => a.text)).toEqual(['sent while away']);
    expect(chat.store.changes('c1', 0).activities).toHaveLength(2);
  });
});

describe('user side', () => {
  it('turns a message into a channel activity for the bot, whose reply lands in the conversation', async () => {
    const client = chatClient(chat.url);
    const sent = await client.send('c2', { text: 'hello', user: { id: 'ann', name: 'Ann' } });
    const { activities } = await client.changes('c2', 0);
    const [mine, reply] = activities;
    expect(mine).toMatchObject({
      id: sent.id,
      type: 'message',
      channelId: 'webchat',
      serviceUrl: chat.url,
      text: 'hello',
      locale: 'en-US',
      conversation: { id: 'c2' },
      from: { id: 'ann', name: 'Ann' },
      recipient: { id: 'bot' },
    });
    expect(reply).toMatchObject({ text: 'echo: hello', replyToId: sent.id });
    expect(reply.proactive).toBeUndefined(); // sent during the user's turn: a reply, not an alert
    // The bot's acknowledgement (its HTTP answer) and its reply, measured and kept on the message for the page.
    expect(sent).toMatchObject({ ackMs: expect.any(Number), answerMs: expect.any(Number) });
    expect(mine.timing).toEqual({ ackMs: sent.ackMs, answerMs: sent.answerMs });
  });

  it('sends a button press as value with empty text', async () => {
    const client = chatClient(chat.url);
    const sent = await client.send('c3', { value: { command: 'logs job7' } });
    const { activities } = await client.changes('c3', sent.seq);
    // The press itself comes again only to carry its timing.
    expect(activities.filter((a) => a.id !== sent.id).map((a) => a.text)).toEqual(['pressed logs job7']);
  });

  it('long-polls: a waiting read returns as soon as something arrives', async () => {
    const client = chatClient(chat.url);
    const waiting = client.changes('c4', 0, 10);
    setTimeout(() => void post('/v3/conversations/c4/activities', { type: 'message', text: 'late alert' }), 100);
    const t0 = Date.now();
    const { activities, last } = await waiting;
    expect(activities.map((a) => a.text)).toEqual(['late alert']);
    expect(last).toBe(1);
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it('stopping answers a waiting read at once and closes its connection, so that a page cannot poll on', async () => {
    const stopping = await startChatServer({ dataDir: join(dataDir, 'stopping'), port: 0, log: () => undefined });
    const agent = new Agent({ keepAlive: true });
    try {
      const answered = new Promise<IncomingMessage>((resolve, reject) =>
        get(`${stopping.url}/api/conversations/c9/activities?wait=25`, { agent }, resolve).on('error', reject),
      );
      await new Promise((r) => setTimeout(r, 200)); // the read is waiting
      const t0 = Date.now();
      await stopping.stop();
      const res = await answered;
      expect(res.statusCode).toBe(200);
      expect(res.headers.connection).toBe('close');
      res.resume();
      expect(Date.now() - t0).toBeLessThan(900); // not held until the connections are cut (1 s)
    } finally {
      agent.destroy();
      await stopping.stop();
    }
  });

  it('a read that comes while the server stops does not wait (its signal is already aborted)', async () => {
    const store = new ConversationStore(join(dataDir, 'aborted'));
    const t0 = Date.now();
    const changes = await store.waitForChanges('c10', 0, 25_000, AbortSignal.abort());
    expect(changes).toEqual({ activities: [], last: 0 });
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  it('refuses bad input with what was expected, and says when the bot is unreachable', async () => {
    const empty = await post('/api/conversations/c5/messages', { text: '  ' });
    expect(empty.status).toBe(400);
    expect(((await empty.json()) as { error: { message: string } }).error.message).toMatch(
      /Expected "text" \(not empty\) or "value"/,
    );
    expect((await fetch(`${chat.url}/api/conversations/c5/activities?after=-1`)).status).toBe(400);
    const orphan = await startChatServer({
      dataDir: join(dataDir, 'orphan'),
      port: 0,
      botUrl: 'http://127.0.0.1:9/api/messages',
      log: () => undefined,
    });
    try {
      const res = await fetch(`${orphan.url}/api/conversations/c5/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text: 'hi' }),
      });
      expect(res.status).toBe(502);
      expect(await res.json()).toMatchObject({ error: { code: 'BotUnreachable' } });
    } finally {
      await orphan.stop();
    }
  });

  it('serves the page and the adaptivecards browser bundle', async () => {
    const page = await fetch(`${chat.url}/`);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(await page.text()).toContain('/vendor/adaptivecards.min.js');
    const bundle = await fetch(`${chat.url}/vendor/adaptivecards.min.js`);
    expect(bundle.status).toBe(200);
    expect((await bundle.text()).length).toBeGreaterThan(100_000);
  });
});

describe('CLI', () => {
  it("prints the bot's card as readable text", async () => {
    const r = await cli('-c', 'cli1', '--user', 'bob', 'card');
    expect(r.code).toBe(0);
    expect(r.out).toContain('Job job7');
    expect(r.out).toMatch(/State\s+running/);
    expect(r.out).toContain('    epoch 1\n    epoch 2');
    expect(r.out).toContain('[Refresh] [Logs]');
    expect(r.out).toContain('stdout.txt: http://127.0.0.1/files/stdout.txt');
    expect(r.out).not.toContain('── bob'); // its own message is not echoed back
    expect(r.out).toMatch(/\(ack \d+ ms · answer \d+ ms\)/);
  });

  it('--json prints the activities themselves, one per line', async () => {
    const r = await cli('-c', 'cli2', '--json', 'hi', 'there');
    const parsed = r.lines.map((l) => JSON.parse(l) as { text: string; replyToId: string });
    expect(parsed.map((a) => a.text)).toEqual(['echo: hi there']);
  });

  it('--wait prints what arrives later: the card updated in place and an alert', async () => {
    setTimeout(
      () => void post('/v3/conversations/cli3/activities', { type: 'message', text: 'job job7 finished' }),
      600,
    );
    const r = await cli('-c', 'cli3', '--wait', '1.5', 'slow card');
    expect(r.lines.filter((l) => l.startsWith('(ack '))).toHaveLength(1);
    r.lines = r.lines.filter((l) => !l.startsWith('(ack '));
    const heads = r.lines.map((l) => l.split('\n')[0]);
    expect(heads).toHaveLength(3);
    expect(r.lines[0]).toMatch(/State\s+queued/);
    expect(heads[1]).toMatch(/updated/);
    expect(r.lines[1]).toMatch(/State\s+succeeded/);
    expect(heads[2]).toMatch(/alert/);
    expect(r.lines[2]).toContain('job job7 finished');
  });

  it('without text prints the conversation so far; bad options and a missing server are clear errors', async () => {
    const history = await cli('-c', 'cli1');
    expect(history.out).toContain('── bob');
    expect(history.out).toContain('[Refresh] [Logs]');
    expect((await cli('--wait', 'soon')).err).toMatch(/--wait soon: expected a number of seconds/);
    expect((await cli('--bogus')).code).toBe(2);
    const errors: string[] = [];
    const code = await runCli(['--url', 'http://127.0.0.1:9', 'hi'], {
      out: () => undefined,
      err: (s) => errors.push(s),
    });
    expect(code).toBe(1);
    expect(errors.join('')).toMatch(/No chat server at http:\/\/127\.0\.0\.1:9: start it with npm start/);
  });
});

describe('card text', () => {
  it('renders fact sets, monospace, tables, show-cards and inputs', () => {
    expect(cardToText(jobCard('failed'))).toMatch(/^Job job7\n {2}State {6}failed\n {2}Exit code {2}0\n {4}epoch 1/);
    const text = cardToText({
      type: 'AdaptiveCard',
      version: '1.5',
      body: [
        {
          type: 'Table',
          rows: [
            { cells: [{ items: [{ type: 'TextBlock', text: 'a' }] }, { items: [{ type: 'TextBlock', text: 'b' }] }] },
          ],
        },
        { type: 'TextBlock', text: 'hidden', isVisible: false },
        { type: 'Input.Text', id: 'nodes', placeholder: 'node count' },
      ],
      actions: [
        {
          type: 'Action.ShowCard',
          title: 'Resize',
          card: {
            type: 'AdaptiveCard',
            body: [{ type: 'TextBlock', text: 'How many?' }],
            actions: [{ type: 'Action.Submit', title: 'OK' }],
          },
        },
      ],
    });
    expect(text.split('\n')).toEqual(['a | b', '[nodes: node count]', '[Resize ▾]', '  How many?', '  [OK]']);
    expect(
      cardToText({
        body: [
          { type: 'TextBlock', text: '**help \\[command\\]**' },
          { type: 'TextBlock', text: '**raw**', fontType: 'Monospace' },
        ],
      }),
    ).toBe('help [command]\n    **raw**');
  });
});
