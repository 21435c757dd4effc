// `COMPUTE_BACKEND=azurebatch npm start`: the same local stack on the engine's Azure Batch facade. A submitted
// template runs as a Batch job on pool `cpu`; its card, the card's updates and the completion alert (the
// stdout tail read through the Batch file API, links to the blobs the task uploaded to Azurite) reach the
// chat, and the CLI prints them; `clusters` lists the pool.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../local/chat/cli';
import { startLocalStack, type LocalStack } from '../../local/start';
import { LOCAL_BATCH_ACCOUNT, LOCAL_BATCH_KEY } from '../../local/engine/batch-rest/local-account';
import { waitForActivity } from './support/chat-wait';

let dataDir: string;
let stack: LocalStack;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'start-ab-'));
  stack = await startLocalStack({
    dataDir,
    pollSeconds: 1,
    azuriteInMemory: true,
    log: () => {},
    env: { COMPUTE_BACKEND: 'azurebatch' },
    engineTiming: { allocationDelayMs: 100, operationDelayMs: 50, schedulerIntervalMs: 50 },
  });
}, 60_000);

afterAll(async () => {
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function cli(...argv: string[]): Promise<string> {
  const out: string[] = [];
  const code = await runCli(['--url', stack.urls.chat, ...argv], { out: (s) => out.push(s), err: (s) => out.push(s) });
  expect(code).toBe(0);
  return out.join('\n');
}

test('the stack runs on the Batch account `local` with the well-known key; clusters lists pool cpu', async () => {
  expect(stack.config.compute).toMatchObject({
    backend: 'azurebatch',
    accountKey: LOCAL_BATCH_KEY,
    accounts: [{ account: LOCAL_BATCH_ACCOUNT, endpoint: stack.batchAccount!.url }],
  });
  expect(stack.batchAccount).toEqual({
    account: LOCAL_BATCH_ACCOUNT,
    url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
    key: LOCAL_BATCH_KEY,
  });
  expect(stack.templates).toEqual(expect.arrayContaining(['hello', 'train']));
  const clusters = await cli('--conversation', 'pools', 'clusters');
  expect(clusters).toMatch(/\bcpu\b/);
});

test('submit hello: the card, its updates and the alert with the stdout tail and output links', async () => {
  const submitted = await cli('--conversation', 'ab', 'submit hello seconds=0 --name ab-job');
  expect(submitted).toMatch(/Job default\/ab-job/);
  const alert = await waitForActivity(stack.urls.chat, 'ab', (t) => /Job default\/ab-job succeeded/.test(t), 30_000);
  expect(alert.text).toMatch(/exit code 0|exit 0/);
  // The tail came through the Batch file API; the links are read SAS to the blobs the task uploaded.
  expect(alert.text).toMatch(/stdout\.txt\nhello from ab-job\nline 1\nline 2\nline 3\ndone\n/);
  const blob = /http:\/\/127\.0\.0\.1:\d+\/devstoreaccount1\/batch-outputs\/ab-job\/stdouterr\/stdout\.txt/.source;
  const link = new RegExp(String.raw`\[stdout\.txt\]\((${blob}\?[^)]*sig=[^)]*)\)`).exec(alert.text);
  expect(link).not.toBeNull();
  expect(await (await fetch(link![1])).text()).toBe('hello from ab-job\nline 1\nline 2\nline 3\ndone\n');

  // The CLI shows the conversation: the request, its card (updated in place to its end) and the alert.
  await waitForActivity(stack.urls.chat, 'ab', (t, a) => !!a.replyToId && /Finished\nSucceeded/.test(t), 30_000);
  const shown = (await cli('--conversation', 'ab')).split(/\n(?=── )/);
  expect(shown).toHaveLength(3);
  expect(shown[1]).toMatch(/Job default\/ab-job\nFinished\nSucceeded · exit code 0/);
  expect(shown[2]).toMatch(/· alert ──\nJob default\/ab-job\nJob default\/ab-job succeeded/);
});
