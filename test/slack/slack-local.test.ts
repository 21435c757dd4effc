// The Slack app on the local stack as `npm start` runs it: the local Slack signs each request to
// /api/slack/events on the Functions dev host; the real bot submits to the real engine; the `followups` queue
// updates the same message with chat.update; the poller and notifier post the completion alert with
// chat.postMessage; `npm run chat -- --channel slack --wait` prints it all as text, and --press presses a button.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../local/chat/cli';
import { eventBody } from '../../local/slack/payloads';
import { signSlackRequest } from '../../local/slack/signer';
import type { SlackMessage } from '../../local/slack/web-api-fake';
import { startLocalStack, type LocalStack } from '../../local/start';
import { waitFor } from '../support/wait-for';

let dataDir: string;
let stack: LocalStack;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'slack-local-'));
  stack = await startLocalStack({
    dataDir,
    pollSeconds: 1,
    azuriteInMemory: true,
    log: () => {},
    engineTiming: { allocationDelayMs: 100, operationDelayMs: 50, schedulerIntervalMs: 50 },
  });
}, 60_000);

afterAll(async () => {
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function chat(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(['--channel', 'slack', '--url', stack.urls.slack, ...argv], {
    out: (s) => out.push(s),
    err: (s) => err.push(s),
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

async function history(channel: string): Promise<SlackMessage[]> {
  const res = await fetch(`${stack.urls.slack}/_local/history?channel=${channel}`);
  return ((await res.json()) as { messages: SlackMessage[] }).messages;
}

test('a DM "submit": the card, updated in place to Succeeded, the alert; a button press runs its command', async () => {
  // As the README says: `npm run chat -- --channel slack --wait 20 "submit hello"`.
  const r = await chat('--wait', '20', 'submit hello seconds=0 --name slack-first');
  expect(r).toMatchObject({ code: 0, err: '' });
  const printed = r.out.split(/(?=── batchai)/);
  expect(printed[0]).toMatch(/^── batchai · [^·]+ ──\n== .*slack-first.* ==[\s\S]*\[Refresh\]/);
  expect(printed.some((p) => /· updated ──[\s\S]*slack-first[\s\S]*Succeeded/.test(p))).toBe(true);
  const [card, ...others] = (await history('D0LOCAL')).filter((m) => m.bot);
  expect(card.edits).toBeGreaterThan(0);
  // The completion alert: a new message, printed too.
  const alert = others.find((m) => /slack-first/.test(m.text));
  expect(alert?.text).toMatch(/succeeded/i);
  expect(printed.some((p) => !/updated/.test(p.split('\n')[0]) && p !== printed[0] && /slack-first/.test(p))).toBe(
    true,
  );

  // The submission belongs to the Slack user: `jobs --mine` is theirs.
  const mine = await chat('jobs --mine');
  expect(mine.out).toMatch(/slack-first/);

  const before = (await history('D0LOCAL')).length;
  const pressed = await chat('--press', 'Logs');
  expect(pressed).toMatchObject({ code: 0, err: '' });
  expect(pressed.out).toMatch(/· updated ──/);
  const after = await history('D0LOCAL');
  // Replaced in place: no new message.
  expect(after).toHaveLength(before);
  expect(after.some((m) => m.edits > 0 && /stdout\.txt/.test(JSON.stringify(m.blocks)))).toBe(true);
}, 60_000);

test('a mention in a channel and the slash command answer in that channel', async () => {
  const mention = await chat('--conversation', 'C0GENERAL', 'clusters');
  expect(mention.out).toMatch(/cpu/);
  const slash = await chat('--conversation', 'C0GENERAL', '/batchai templates');
  expect(slash.out).toMatch(/hello/);
  const texts = (await history('C0GENERAL')).map((m) => [m.bot, m.text]);
  expect(texts).toHaveLength(3); // the person's mention, two answers (a slash command is not shown in the channel)
});

describe('the endpoint refuses what Slack did not sign just now: 401, and nothing runs', () => {
  const body = eventBody({ team: 'T0LOCAL', user: 'U0LOCAL', channel: 'D0EVIL' }, 'submit hello', {
    kind: 'dm',
    ts: '1.000001',
    botUserId: 'U0LOCALBOT',
    eventId: 'Ev0',
    eventTime: 1,
  });
  const post = (headers: Record<string, string>) => fetch(stack.urls.slackEvents, { method: 'POST', headers, body });

  test('another secret', async () => {
    expect((await post(signSlackRequest('not-the-secret', body, 'json'))).status).toBe(401);
    expect(await history('D0EVIL')).toEqual([]);
  });

  test('the right secret, signed six minutes ago', async () => {
    const secret = stack.config.slack?.signingSecret ?? '';
    expect(secret).toMatch(/^[0-9a-f]{48}$/);
    expect((await post(signSlackRequest(secret, body, 'json', Date.now() - 6 * 60_000))).status).toBe(401);
    expect(await history('D0EVIL')).toEqual([]);
    // The same body signed now goes through: the refusals above were about the signature alone.
    expect((await post(signSlackRequest(secret, body, 'json'))).status).toBe(200);
    // Acknowledged at once; the answer follows from the slack-turns queue.
    await waitFor('the answer in D0EVIL', async () => (await history('D0EVIL')).filter((m) => m.bot).length === 1);
  });
});

test('the training example in Slack: the bar, the loss and the chart image while it runs, then its end', async () => {
  const r = await chat('submit train-progress epochs=1 steps=30 stepSeconds=0.5 --name slack-train');
  expect(r).toMatchObject({ code: 0, err: '' });
  const card = async () =>
    (await history('D0LOCAL')).find((m) => m.bot && /slack-train/.test(JSON.stringify(m.blocks)) && m.edits > 0);
  const imageOf = (m: SlackMessage) =>
    m.blocks.find((b) => (b as { type?: string }).type === 'image') as { slack_file: { id: string } } | undefined;
  // The progress timer runs every 5 s on the local stack: ticks fall inside the job's ~15 s and show the bar with
  // the chart uploaded so far (how far it got by then is the timer's luck: test/bot/progress.test.ts ticks by hand
  // for the exact fields).
  const running = await waitFor(
    'the running card with a progress bar and the chart image',
    async () => {
      const m = await card();
      const text = m && JSON.stringify(m.blocks);
      return m && /[▰▱]{10} \d+% · epoch 1\/1.* · ETA /.test(text!) && /\*loss\*/.test(text!) && imageOf(m)
        ? m
        : undefined;
    },
    undefined,
    { timeoutMs: 30_000 },
  );
  // The job runs ~15 s; the running card may be seen in its first second, and a loaded CI machine (two lanes at
  // once) stretches steps and the poll after the end: the bound leaves room for that, it measures nothing.
  // The follow-up may turn the card final first with the progress last read; the reader's next look reads the rest
  // of the log: the card is done when its loss is the last one the job printed (the tail's "done: final loss").
  const lossOf = (m: SlackMessage) => {
    const text = JSON.stringify(m.blocks);
    const shown = /\*loss\*\\n(\d\.\d+)/.exec(text)?.[1];
    const printed = /done: final loss (\d\.\d+)/.exec(text)?.[1];
    return { shown: Number(shown), printed: Number(printed), final: /Succeeded/.test(text) };
  };
  const ended = await waitFor(
    'the final card with the last loss and its chart',
    async () => {
      const m = await card();
      const loss = m && lossOf(m);
      return loss?.final && imageOf(m!) && Math.abs(loss.shown - loss.printed) < 1e-3 ? m : undefined;
    },
    undefined,
    { timeoutMs: 60_000 },
  );
  // A new chart unless the running card was first seen after the last step, when its chart was already complete.
  if (!/ 100% · /.test(JSON.stringify(running.blocks))) {
    expect(imageOf(ended)!.slack_file.id).not.toBe(imageOf(running)!.slack_file.id);
  }
  // The local Slack serves a completed upload: the PNG the card's image block names.
  const png = await fetch(`${stack.urls.slack}/files/${imageOf(ended)!.slack_file.id}`);
  expect(png.status).toBe(200);
  expect(png.headers.get('content-type')).toBe('image/png');
}, 120_000);
