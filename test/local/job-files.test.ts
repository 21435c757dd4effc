// Job files as `az batchai job create -f` ran them, on the local default (`npm start`'s stack): every job.json of
// the seed documents, loaded as a template, is filled with the engine's storage account and key at submit and
// accepted by the engine; a dry run shows what was filled, with the key masked.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { activityToText } from '../../local/chat/card-text';
import { chatClient } from '../../local/chat/client';
import { startLocalStack, type LocalStack } from '../../local/start';
import { loadTemplates } from '../../local/templates-load';
import { createStores } from '../../shared/storage';
import { seedJobs } from '../fixtures/seed-jobs';

let dataDir: string;
let stack: LocalStack;
const seeds = seedJobs();

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'job-files-'));
  stack = await startLocalStack({
    dataDir, pollSeconds: 30, azuriteInMemory: true, log: () => {}, env: {},
    engineTiming: { allocationDelayMs: 100, operationDelayMs: 50, schedulerIntervalMs: 50 },
  });
  const folder = join(dataDir, 'seed-templates');
  for (const s of seeds) {
    mkdirSync(join(folder, s.name), { recursive: true });
    writeFileSync(join(folder, s.name, 'job.json'), JSON.stringify(s.json));
  }
  await loadTemplates(await createStores(stack.config.storage.connectionString), folder, { storageAccount: stack.config.batchAi.storageAccount });
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
  return activities.map((a) => activityToText(a)).join('\n');
}

test('the start command configures the engine\'s storage account for job files', () => {
  expect(stack.config.batchAi.storageAccount).toEqual({ name: 'local', key: expect.any(String) });
});

test.each(seeds.map((s) => [s.name]))('seed %s submits for real: the card shows the job, not a refusal', async (name) => {
  const reply = await say(`seed-${name}`, `submit ${name} --name ${name.slice(0, 20)}-job`);
  expect(reply).not.toMatch(/refused|cannot be sent/i);
  expect(reply).toMatch(/Submitted/);
  expect(reply).toContain(`${name.slice(0, 20)}-job`);
});

test('a dry run shows what was filled in as az batchai did, with the key masked', async () => {
  const key = stack.config.batchAi.storageAccount?.key ?? 'no key configured';
  const reply = await say('seed-dry-run', 'submit recipe-chainer-gpu-distributed --dry-run');
  expect(reply).toContain('Filled in as az batchai did:');
  expect(reply).toContain('properties.mountVolumes.azureFileShares[0].azureFileUrl: storage account local in place of <AZURE_BATCHAI_STORAGE_ACCOUNT>');
  expect(reply).toContain('"azureFileUrl": "https://local.file.core.windows.net/scripts"');
  expect(reply).toContain('"accountKey": "***"');
  expect(reply).not.toContain(key);
});
