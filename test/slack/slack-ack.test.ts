// Slack is acknowledged before the work: on the local stack as `npm start` runs it, the engine holds the backend
// call a turn makes (a hold point: the call waits until the test releases it), and the local Slack's delivery of a
// DM `submit` and of a slash command comes back 200 meanwhile, with nothing posted yet. Released, the answers
// arrive. A request Slack sends again (the same event_id) is acknowledged and runs nothing: one job, one card.
// The acknowledgement times the local Slack measured are printed as figures (no timing assertion here: bench/).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueueClient } from '@azure/storage-queue';
import { eventBody } from '../../local/slack/payloads';
import { signSlackRequest } from '../../local/slack/signer';
import type { SlackMessage } from '../../local/slack/web-api-fake';
import { startLocalStack, type LocalStack } from '../../local/start';
import { SLACK_TURNS_QUEUE } from '../../shared/storage/queue-names';
import { waitFor } from '../support/wait-for';

let dataDir: string;
let stack: LocalStack;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'slack-ack-'));
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

const DM = { team: 'T0LOCAL', user: 'U0LOCAL', channel: 'D0LOCAL' };
const CHANNEL = { ...DM, channel: 'C0GENERAL' };

async function history(channel: string): Promise<SlackMessage[]> {
  const res = await fetch(`${stack.urls.slack}/_local/history?channel=${channel}`);
  return ((await res.json()) as { messages: SlackMessage[] }).messages.filter((m) => m.bot);
}

async function say(who: typeof DM, text: string): Promise<{ status: number; ackMs: number }> {
  const res = await fetch(`${stack.urls.slack}/_local/say`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...who, text }),
  });
  return ((await res.json()) as { app: { status: number; ackMs: number } }).app;
}

/** Holds the engine's answer to matching ARM calls until release() (the in-process fault injector). */
async function hold(method: string, path: string): Promise<void> {
  stack.faults!.add({ method, path: new RegExp(path), hold: true });
}
const release = async () => stack.faults!.clear();

test('a DM submit and a slash command are acknowledged while their backend calls are held; then answered', async () => {
  await hold('PUT', '/jobs/[^/]+$');
  await hold('GET', '/clusters$');
  const submit = await say(DM, 'submit hello seconds=0 --name ack-held');
  const slash = await say(CHANNEL, '/batchai clusters');
  expect([submit.status, slash.status]).toEqual([200, 200]);
  // Acknowledged, and nothing answered: both turns wait on the engine.
  expect(await history('D0LOCAL')).toEqual([]);
  expect(await history('C0GENERAL')).toEqual([]);
  console.log(`ack figures (ms): submit ${submit.ackMs}, slash command ${slash.ackMs}`);

  await release();
  const [card] = await waitFor(
    'the submit card',
    () => history('D0LOCAL'),
    (m) => m.length > 0,
  );
  expect(card.text).toMatch(/ack-held/);
  const [clusters] = await waitFor(
    'the clusters answer',
    () => history('C0GENERAL'),
    (m) => m.length > 0,
  );
  expect(JSON.stringify(clusters.blocks)).toMatch(/cpu/);
}, 60_000);

test('an event Slack sends again (same event_id) is acknowledged and runs nothing twice', async () => {
  const secret = stack.config.slack?.signingSecret ?? '';
  const who = { ...DM, channel: 'D0ONCE' };
  const body = eventBody(who, 'submit hello seconds=0 --name ack-once', {
    kind: 'dm',
    ts: '2.000001',
    botUserId: 'U0LOCALBOT',
    eventId: 'EvAckOnce',
    eventTime: Math.floor(Date.now() / 1000),
  });
  const post = (extra: Record<string, string>) =>
    fetch(stack.urls.slackEvents, {
      method: 'POST',
      headers: { ...signSlackRequest(secret, body, 'json'), ...extra },
      body,
    });
  expect((await post({})).status).toBe(200);
  expect((await post({ 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' })).status).toBe(200);
  const [card] = await waitFor(
    'the submit card',
    () => history('D0ONCE'),
    (m) => m.length > 0,
  );
  expect(card.text).toMatch(/ack-once/);
  // The retry was refused at the door: nothing of it waits on the queue, and one card (one job) is all there is.
  const queue = new QueueClient(stack.config.storage.connectionString, SLACK_TURNS_QUEUE);
  await waitFor(
    'the slack-turns queue empty',
    async () => (await queue.getProperties()).approximateMessagesCount === 0,
  );
  expect((await history('D0ONCE')).filter((m) => /ack-once/.test(m.text))).toHaveLength(1);
}, 60_000);
