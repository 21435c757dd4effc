// The local stack as `npm start` runs it: a job submitted the moment the stack is up, and finished before the
// poll timer's first tick, is still announced (the start takes the workspace's baseline tick itself).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { activityToText } from '../../local/chat/card-text';
import { chatClient, type ChatActivity } from '../../local/chat/client';
import { startLocalStack, type LocalStack } from '../../local/start';

let dataDir: string;
let stack: LocalStack;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'start-'));
  stack = await startLocalStack({
    dataDir, pollSeconds: 4, azuriteInMemory: true, log: () => {},
    engineTiming: { allocationDelayMs: 100, operationDelayMs: 50, schedulerIntervalMs: 50 },
  });
}, 60_000);

afterAll(async () => {
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function say(conversation: string, text: string): Promise<void> {
  const res = await fetch(`${stack.urls.chat}/api/conversations/${conversation}/messages`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text, user: 'ann' }),
  });
  expect(res.status).toBe(200);
}

async function waitForAlert(conversation: string, pattern: RegExp, timeoutMs: number): Promise<ChatActivity> {
  const client = chatClient(stack.urls.chat);
  const deadline = Date.now() + timeoutMs;
  let after = 0;
  while (Date.now() < deadline) {
    const { activities, last } = await client.changes(conversation, after, 2);
    const alert = activities.find((a) => a.proactive && pattern.test(activityToText(a)));
    if (alert) return alert;
    after = last;
  }
  throw new Error(`no alert matching ${pattern} within ${timeoutMs} ms`);
}

test('a job that ends before the first poll tick is announced', async () => {
  await say('fresh', 'submit hello seconds=0 --name first-job');
  const alert = await waitForAlert('fresh', /first-job: succeeded/, 20_000);
  expect(activityToText(alert)).toMatch(/exit code 0/);
});
