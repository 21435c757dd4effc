// `COMPUTE_BACKEND=azureml npm start`: the same local stack on the engine's Azure ML facade over HTTPS, trusted
// through COMPUTE_CA_FILE (the facade's own certificate). A submitted template runs as a command job on compute
// `cpu`; its card, the card's update and the completion alert (the tail of user_logs/std_log.txt read by range,
// links to the run's files) reach the chat through the CLI; clusters, resize, autoscale and terminate work.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPipelineRequest } from '@azure/core-rest-pipeline';
import { runCli } from '../../local/chat/cli';
import { startLocalStack, type LocalStack } from '../../local/start';
import { httpClientTrusting } from '../../shared/http/trusted-ca';
import { waitForActivity } from './support/chat-wait';

let dataDir: string;
let stack: LocalStack;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'start-aml-'));
  stack = await startLocalStack({
    dataDir,
    pollSeconds: 1,
    azuriteInMemory: true,
    log: () => {},
    env: { COMPUTE_BACKEND: 'azureml' },
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

test('the stack runs on the Azure ML facade over HTTPS, trusting its CA file; clusters lists compute cpu', async () => {
  expect(stack.azureml).toEqual({
    url: expect.stringMatching(/^https:\/\/127\.0\.0\.1:\d+$/),
    caFile: join(dataDir, 'engine', 'azureml', 'tls', 'ca.pem'),
  });
  expect(stack.config.compute).toMatchObject({
    backend: 'azureml',
    caFile: stack.azureml!.caFile,
    endpoint: stack.azureml!.url,
  });
  const clusters = await cli('--conversation', 'computes', 'clusters');
  expect(clusters).toMatch(/Computes in local/);
  expect(clusters).toMatch(/\bcpu\b/);
});

test('submit hello: the card, its update and the alert with the stdout tail and links', async () => {
  const submitted = await cli('--conversation', 'aml', 'submit hello seconds=0 --name aml-job');
  expect(submitted).toMatch(/Job default\/aml-job/);
  expect(submitted).toMatch(/Service name {2}default--aml-job/);
  const alert = await waitForActivity(stack.urls.chat, 'aml', (t) => /Job default\/aml-job succeeded/.test(t), 30_000);
  expect(alert.text).toMatch(/stdout\.txt\nhello from aml-job\nline 1\nline 2\nline 3\ndone\n/);
  const link = /\[stdout\.txt\]\((https:\/\/127\.0\.0\.1:\d+\/_files\/[^)]*sig=[^)]*)\)/.exec(alert.text);
  expect(link).not.toBeNull();
  const trusting = httpClientTrusting(readFileSync(stack.azureml!.caFile, 'utf8'))!;
  const res = await trusting.sendRequest(createPipelineRequest({ url: link![1]!, method: 'GET' }));
  expect(res.bodyAsText).toBe('hello from aml-job\nline 1\nline 2\nline 3\ndone\n');
  await waitForActivity(stack.urls.chat, 'aml', (t, a) => !!a.replyToId && /Finished\nSucceeded/.test(t), 30_000);
  const shown = (await cli('--conversation', 'aml')).split(/\n(?=── )/);
  expect(shown).toHaveLength(3);
  expect(shown[2]).toMatch(/· alert ──\nJob default\/aml-job\nJob default\/aml-job succeeded/);
});

test('resize, autoscale and terminate', async () => {
  expect(await cli('--conversation', 'ops', 'resize cpu 4')).toMatch(/Resiz(ing|ed) to 4 nodes/);
  expect(await cli('--conversation', 'ops', 'autoscale cpu 0 4')).toMatch(/auto-scale 0–4 nodes|Auto-scale 0–4 nodes/);
  expect(await cli('--conversation', 'ops', 'submit hello seconds=60 --name aml-long')).toMatch(/Submitted/);
  expect(await cli('--conversation', 'ops', 'terminate aml-long --yes')).toMatch(/Terminate requested|Terminated/);
  await waitForActivity(stack.urls.chat, 'ops', (t) => /aml-long[\s\S]*Terminated/.test(t), 30_000);
});
