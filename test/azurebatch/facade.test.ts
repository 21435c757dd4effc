// The engine's Azure Batch facade driven by the real client (Shared Key with the well-known local key): a
// translated Batch AI template runs as a job + task on a pool, ends the job by itself, its stdout is read by
// range, and its outputs land in Azurite's Blob service. Also scale, conditions, auth, versions, OData.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BlobServiceClient, ContainerSASPermissions } from '@azure/storage-blob';
import { createBatchClient, type BatchClient } from '../../shared/azurebatch/client';
import type { BatchJob } from '../../shared/azurebatch/types';
import { autoScaleFormula } from '../../shared/core/autoscale-formula';
import { translateJob } from '../../shared/azurebatch/batch-job';
import { parseTemplate, renderTemplate } from '../../shared/templates/templates';
import { ComputeError } from '../../shared/errors';
import { startEngine, type Engine } from '../../local/engine';
import { useAzurite } from '../support/azurite';
import { FAST, removeDir, tempDir, waitFor } from '../engine/helpers';

const azurite = useAzurite();
let engine: Engine;
let client: BatchClient;
let containerUrl: string;
let blobs: ReturnType<BlobServiceClient['getContainerClient']>;

beforeAll(async () => {
  engine = await startEngine({
    dataDir: tempDir(),
    timing: FAST,
    batch: { workspace: { subscriptionId: 'sub', resourceGroup: 'local', workspace: 'local' } },
  });
  const b = engine.batch!;
  client = createBatchClient({
    endpoint: b.url,
    auth: { accountName: b.account, accountKey: b.accountKey },
    retry: { maxRetries: 0 },
  });
  blobs = BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient('outputs');
  await blobs.create();
  containerUrl = await blobs.generateSasUrl({
    permissions: ContainerSASPermissions.parse('racwl'),
    expiresOn: new Date(Date.now() + 3_600_000),
  });
  await client.createPool({ id: 'cpu', vmSize: 'standard_d2s_v3', targetDedicatedNodes: 2 });
  await waitFor('pool cpu steady with 2 nodes', async () => {
    const p = await client.getPool('cpu');
    return p.allocationState === 'steady' && p.currentDedicatedNodes === 2;
  });
}, 60_000);
afterAll(async () => {
  await engine?.stop();
  if (engine) removeDir(engine.dataDir);
});

function template(name: string, values: Record<string, string>) {
  const json = JSON.parse(readFileSync(join(__dirname, '../../templates', `${name}.json`), 'utf8'));
  return renderTemplate(parseTemplate(json, name), values, {
    cluster: '/subscriptions/s/resourceGroups/local/providers/Microsoft.BatchAI/workspaces/local/clusters/cpu',
  }).properties!;
}

async function submit(jobId: string, props: Parameters<typeof translateJob>[0]): Promise<void> {
  const { job, task } = translateJob(props, {
    jobId,
    poolId: 'cpu',
    experiment: 'default',
    outputContainerUrl: containerUrl,
  });
  await client.createJob(job);
  await client.createTask(jobId, task);
}

async function ended(jobId: string): Promise<BatchJob> {
  const job = await waitFor(
    `${jobId} completed`,
    async () => {
      const page: BatchJob[] = [];
      for await (const j of client.listJobs({ filter: `id eq '${jobId}'`, select: ['id', 'state', 'executionInfo'] }))
        page.push(j);
      return page[0]?.state === 'completed' ? page[0] : undefined;
    },
    20_000,
  );
  await engine.batch!.settle();
  return job;
}

async function blobText(name: string): Promise<string> {
  return (await blobs.getBlobClient(name).downloadToBuffer()).toString('utf8');
}

test('a translated template runs, completes its job, tails by range and uploads stdout and outputs', async () => {
  await submit('train-1', template('train', { epochs: '2', lr: '0.1' }));
  const job = await ended('train-1');
  expect(Object.keys(job).sort()).toEqual(['executionInfo', 'id', 'state']);
  expect(job.executionInfo?.terminateReason).toBe('AllTasksComplete');
  const task = await client.getTask('train-1', 'main');
  expect(task).toMatchObject({ state: 'completed', executionInfo: { exitCode: 0, result: 'success' } });

  const tail = await client.readTaskFileTail('train-1', 'main', 'stdout.txt', 300);
  expect(tail.requests).toBe(2);
  expect(tail.bytes.length).toBe(Math.min(300, tail.size));
  expect(tail.bytes.toString()).toMatch(/epoch 2\/2 .*\nsaved .*\/wd\/outputs\/MODEL\/model\.txt\n$/);
  const files = [];
  for await (const f of client.listTaskFiles('train-1', 'main', { recursive: true })) files.push(f.name);
  expect(files).toEqual(expect.arrayContaining(['stdout.txt', 'stderr.txt', 'wd/outputs/MODEL/model.txt']));

  expect(await blobText('train-1/stdouterr/stdout.txt')).toContain('epoch 2/2');
  expect(await blobText('train-1/outputs/MODEL/model.txt')).toContain('epochs=2\nlr=0.1\n');
});

test('a failing task ends its job with TaskFailed, and stderr is uploaded all the same', async () => {
  await submit('fail-1', {
    nodeCount: 1,
    stdOutErrPathPrefix: 'x',
    cluster: { id: 'c' },
    customToolkitSettings: { commandLine: 'echo oops >&2; exit 3' },
  });
  const job = await ended('fail-1');
  expect(job.executionInfo?.terminateReason).toBe('TaskFailed');
  expect(await client.getTask('fail-1', 'main')).toMatchObject({
    executionInfo: { exitCode: 3, result: 'failure', failureInfo: { code: 'FailureExitCode' } },
  });
  expect(await blobText('fail-1/stdouterr/stderr.txt')).toBe('oops\n');
});

test('terminate stops a running task; the job completes with the reason given', async () => {
  await submit('long-1', {
    nodeCount: 1,
    stdOutErrPathPrefix: 'x',
    cluster: { id: 'c' },
    customToolkitSettings: { commandLine: 'echo started; sleep 30' },
  });
  await waitFor('long-1 running', async () => (await client.getTask('long-1', 'main')).state === 'running');
  await client.terminateJob('long-1', { reason: 'stop it' });
  const job = await ended('long-1');
  expect(job.executionInfo?.terminateReason).toBe('stop it');
  expect((await client.getTask('long-1', 'main')).executionInfo?.result).toBe('failure');
});

test('auto-scale: resize is refused while it is on; evaluate, disable, then resize works', async () => {
  await client.enablePoolAutoScale('cpu', {
    autoScaleFormula: autoScaleFormula({ min: 0, max: 3 }),
    autoScaleEvaluationInterval: 'PT5M',
  });
  const pool = await client.getPool('cpu');
  expect(pool).toMatchObject({ enableAutoScale: true, autoScaleEvaluationInterval: 'PT5M' });
  const err = await client.resizePool('cpu', { targetDedicatedNodes: 1 }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ComputeError);
  expect(err).toMatchObject({ status: 409, backend: 'azurebatch' });
  const run = await client.evaluatePoolAutoScale('cpu', autoScaleFormula({ min: 1, max: 3 }));
  expect(run.results).toContain('$TargetDedicatedNodes=1');
  await client.disablePoolAutoScale('cpu');
  await client.resizePool('cpu', { targetDedicatedNodes: 2 });
  await waitFor('back at 2 nodes', async () => (await client.getPool('cpu')).currentDedicatedNodes === 2 || undefined);
  const counts = [];
  for await (const c of client.listPoolNodeCounts()) counts.push(c);
  expect(counts).toEqual([
    expect.objectContaining({ poolId: 'cpu', dedicated: expect.objectContaining({ total: 2 }) }),
  ]);
});

test('If-Match with a stale ETag is refused with 412 ConditionNotMet; the current one is accepted', async () => {
  const before = await client.getPool('cpu');
  await client.resizePool('cpu', { targetDedicatedNodes: 2 }, { ifMatch: before.eTag });
  await expect(client.resizePool('cpu', { targetDedicatedNodes: 2 }, { ifMatch: '0xSTALE' })).rejects.toMatchObject({
    status: 412,
    backend: 'azurebatch',
    code: 'ConditionNotMet',
  });
});

test('authentication: a wrong key is 403 AuthenticationFailed, a bearer token is accepted', async () => {
  const wrong = createBatchClient({
    endpoint: engine.batch!.url,
    auth: { accountName: 'local', accountKey: Buffer.from('nope').toString('base64') },
    retry: { maxRetries: 0 },
  });
  await expect(wrong.getPool('cpu')).rejects.toMatchObject({
    status: 403,
    backend: 'azurebatch',
    code: 'AuthenticationFailed',
  });
  const bearer = createBatchClient({
    endpoint: engine.batch!.url,
    auth: { credential: { getToken: async () => ({ token: 't', expiresOnTimestamp: Date.now() + 60_000 }) } },
  });
  await expect(bearer.poolExists('cpu')).resolves.toBe(true);
});

test('api-versions from 2022-10-01.16.0 on are answered; others get an OData error', async () => {
  const h = { authorization: 'Bearer t' };
  const ok = await fetch(`${engine.batch!.url}/pools?api-version=2022-10-01.16.0`, { headers: h });
  expect(ok.status).toBe(200);
  expect(((await ok.json()) as Record<string, unknown>)['odata.metadata']).toMatch(/\$metadata#pools$/);
  const bad = await fetch(`${engine.batch!.url}/pools?api-version=2018-05-01`, { headers: h });
  expect(bad.status).toBe(400);
  expect(await bad.json()).toMatchObject({ code: 'InvalidQueryParameterValue', message: { lang: 'en-US' } });
});

test('a body above 4 MiB is refused with 413 RequestBodyTooLarge and creates nothing', async () => {
  const big = JSON.stringify({
    id: 'too-big',
    poolInfo: { poolId: 'cpu' },
    metadata: [{ name: 'x', value: 'x'.repeat(5 * 1024 * 1024) }],
  });
  const res = await fetch(`${engine.batch!.url}/jobs?api-version=2025-06-01.21.0`, {
    method: 'POST',
    headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
    body: big,
  });
  expect(res.status).toBe(413);
  expect(await res.json()).toMatchObject({ code: 'RequestBodyTooLarge' });
  await expect(client.getJob('too-big')).rejects.toMatchObject({ code: 'JobNotFound' });
});

test('lists page with odata.nextLink and filter with $filter', async () => {
  const ids: string[] = [];
  for await (const j of client.listJobs({ maxResults: 1, select: ['id'] })) ids.push(j.id);
  expect(ids.sort()).toEqual(['fail-1', 'long-1', 'train-1']);
  const done: string[] = [];
  for await (const j of client.listJobs({ filter: "state eq 'completed' and startswith(id, 'tr')" })) done.push(j.id);
  expect(done).toEqual(['train-1']);
  await expect(client.getJob('nope')).rejects.toMatchObject({
    status: 404,
    backend: 'azurebatch',
    code: 'JobNotFound',
  });
});
