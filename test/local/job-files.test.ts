// Job files as `az batchai job create -f` ran them, on the local default (`npm start`'s stack): every job.json of
// the seed documents, loaded as a template, is filled with the engine's storage account and key at submit and
// accepted by the engine; a dry run shows what was filled, with the key masked. And the shipped distributed
// example runs to its end with one process per node.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { activityToText } from '../../local/chat/card-text';
import { chatClient } from '../../local/chat/client';
import { startLocalStack, type LocalStack } from '../../local/start';
import { loadTemplates } from '../../local/templates-load';
import { createStores } from '../../shared/storage';
import { seedJobs } from '../fixtures/seed-jobs';
import { waitForActivity } from './support/chat-wait';

let dataDir: string;
let stack: LocalStack;
const seeds = seedJobs();

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'job-files-'));
  stack = await startLocalStack({
    dataDir,
    pollSeconds: 30,
    azuriteInMemory: true,
    log: () => {},
    env: {},
    engineTiming: { allocationDelayMs: 100, operationDelayMs: 50, schedulerIntervalMs: 50 },
  });
  const folder = join(dataDir, 'seed-templates');
  for (const s of seeds) {
    mkdirSync(join(folder, s.name), { recursive: true });
    writeFileSync(join(folder, s.name, 'job.json'), JSON.stringify(s.json));
  }
  await loadTemplates(await createStores(stack.config.storage), folder, {
    storageAccount: stack.config.compute.storageAccount,
  });
}, 60_000);

afterAll(async () => {
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Sends text as a user and returns the bot's reply, as shown (cards as text). */
async function say(conversation: string, text: string): Promise<string> {
  const client = chatClient(stack.urls.chat);
  const sent = await client.send(conversation, { text, user: { id: 'ann', name: 'ann' } });
  const { activities } = await client.changes(conversation, sent.seq);
  return activities
    .filter((a) => a.id !== sent.id)
    .map((a) => activityToText(a))
    .join('\n');
}

test("the start command configures the engine's storage account for job files", () => {
  expect(stack.config.compute.storageAccount).toEqual({ name: 'local', key: expect.any(String) });
});

test.each(seeds.map((s) => [s.name]))(
  'seed %s submits for real: the card shows the job, not a refusal',
  async (name) => {
    const reply = await say(`seed-${name}`, `submit ${name} --name ${name.slice(0, 20)}-job`);
    expect(reply).not.toMatch(/refused|cannot be sent/i);
    expect(reply).toMatch(/Submitted/);
    expect(reply).toContain(`${name.slice(0, 20)}-job`);
  },
);

test('a dry run shows what was filled in as az batchai did, with the key masked', async () => {
  const key = stack.config.compute.storageAccount?.key ?? 'no key configured';
  const reply = await say('seed-dry-run', 'submit recipe-chainer-gpu-distributed --dry-run');
  expect(reply).toContain('Filled in as az batchai did:');
  expect(reply).toContain(
    'properties.mountVolumes.azureFileShares[0].azureFileUrl:' +
      ' storage account local in place of <AZURE_BATCHAI_STORAGE_ACCOUNT>',
  );
  expect(reply).toContain('"azureFileUrl": "https://local.file.core.windows.net/scripts"');
  expect(reply).toContain('"accountKey": "***"');
  expect(reply).not.toContain(key);
});

test("a distributed job (templates/ddp-linear, 2 nodes) succeeds; its card shows each process's log tail", async () => {
  const reply = await say('ddp', 'submit ddp-linear nodes=2 epochs=5 --name ddp-two');
  expect(reply).toMatch(/Submitted/);
  const { text } = await waitForActivity(
    stack.urls.chat,
    'ddp',
    (t, a) => !a.proactive && t.includes('ddp-two') && /Succeeded|Failed/.test(t),
    60_000,
  );
  expect(text).toMatch(/Succeeded · exit code 0/);
  expect(text).toMatch(/Cluster\s+cpu · 2 nodes/);
  expect(text).toMatch(/stdout\.txt\n(.*\n)*rank 0 epoch 5: .*\nrank 0: saved model\.json/);
  expect(text).toMatch(/stdout-worker-1\.txt\n(.*\n)*rank 1 epoch 5: local loss/);
}, 90_000);
