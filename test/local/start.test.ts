// The local stack as `npm start` runs it: a job submitted the moment the stack is up, and finished before the
// poll timer's first tick, is still announced (the start takes the workspace's baseline tick itself).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalStack, type LocalStack } from '../../local/start';
import { waitForActivity } from './support/chat-wait';
import { useStarted } from '../support/use-started';

let dataDir = '';
const started = useStarted(
  'local stack',
  () =>
    startLocalStack({
      dataDir: (dataDir = mkdtempSync(join(tmpdir(), 'start-'))),
      pollSeconds: 4,
      azuriteInMemory: true,
      log: () => {},
      engineTiming: { allocationDelayMs: 100, operationDelayMs: 50, schedulerIntervalMs: 50 },
    }),
  (stack) => stack.stop(),
);
let stack: LocalStack;
beforeAll(() => {
  stack = started.current;
});
afterAll(() => {
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function say(conversation: string, text: string): Promise<void> {
  const res = await fetch(`${stack.urls.chat}/api/conversations/${conversation}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ text, user: 'ann' }),
  });
  expect(res.status).toBe(200);
}

test('a job that ends before the first poll tick is announced', async () => {
  await say('fresh', 'submit hello seconds=0 --name first-job');
  const { text } = await waitForActivity(
    stack.urls.chat,
    'fresh',
    (t, a) => !!a.proactive && t.includes('first-job') && /Succeeded/.test(t),
    20_000,
  );
  expect(text).toMatch(/exit code 0/);
});
