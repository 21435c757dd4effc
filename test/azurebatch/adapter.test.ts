// The Azure Batch backend in the Batch AI port's shapes, against the engine's Batch facade and Azurite: a
// template submitted as a Batch AI job runs and reads back as one (queued/running → succeeded, exit code),
// its stdout tail costs two requests, clusters carry node counts, scale works both ways (auto-scale is
// disabled before a manual resize), terminate ends a running job, and unknown accounts are "not found".
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAzureBatchAdapter, type ComputeOperations } from '../../shared/azurebatch/adapter';
import { createBatchClient } from '../../shared/azurebatch/client';
import { createOutputBlobs } from '../../shared/storage/output-blobs';
import type { File, Job } from '../../shared/batchai/types';
import { parseTemplate, renderTemplate } from '../../shared/core/templates';
import { isNotFound } from '../../shared/errors';
import { startEngine, type Engine } from '../../local/engine';
import { useAzurite } from '../support/azurite';
import { FAST, removeDir, tempDir, waitFor } from '../engine/helpers';
import { countingHttpClient } from '../batchai/support/counting-http-client';

const azurite = useAzurite();
const WS = { resourceGroup: 'local', workspace: 'local' };
let engine: Engine;
let compute: ComputeOperations;
let makeAdapter: (ttlMs: number) => { compute: ComputeOperations; sent: { method: string; url: string }[] };

beforeAll(async () => {
  engine = await startEngine({ dataDir: tempDir(), timing: FAST, batch: { workspace: { subscriptionId: 'sub', resourceGroup: 'local', workspace: 'local' } } });
  const b = engine.batch!;
  const client = createBatchClient({ endpoint: b.url, auth: { accountName: b.account, accountKey: b.accountKey }, retry: { maxRetries: 0 } });
  const outputs = createOutputBlobs({ connectionString: azurite.connectionString, container: 'outputs' });
  makeAdapter = (ttlMs) => {
    const wire = countingHttpClient();
    const counted = createBatchClient({ endpoint: b.url, auth: { accountName: b.account, accountKey: b.accountKey }, httpClient: wire.httpClient });
    const adapter = createAzureBatchAdapter({
      subscriptionId: 'sub',
      accounts: [{ subscriptionId: 'sub', resourceGroup: 'local', account: 'local', client: counted }], outputs, listingTtlMs: ttlMs,
    });
    return { compute: adapter, sent: wire.sent };
  };
  // Every call sees the service as it is now: no listing is reused between the polls of these tests.
  compute = makeAdapter(0).compute;
  await client.createPool({ id: 'cpu', vmSize: 'standard_d2s_v3', targetDedicatedNodes: 1 });
  await waitFor('pool cpu steady', async () => {
    const p = await client.getPool('cpu');
    return p.allocationState === 'steady' && p.currentDedicatedNodes === 1;
  });
}, 60_000);
afterAll(async () => {
  await engine?.stop();
  if (engine) removeDir(engine.dataDir);
});

function hello(values: Record<string, string>) {
  const json = JSON.parse(readFileSync(join(__dirname, '../../templates/hello.json'), 'utf8'));
  return renderTemplate(parseTemplate(json, 'hello'), values, { cluster: '/subscriptions/sub/resourceGroups/local/providers/Microsoft.BatchAI/workspaces/local/clusters/cpu' });
}

async function jobsOf(experiment: string): Promise<Job[]> {
  const out: Job[] = [];
  for await (const j of compute.listJobs({ ...WS, experiment })) out.push(j);
  return out;
}

test('clusters are pools with their node counts', async () => {
  const clusters = [];
  for await (const c of compute.listClusters(WS)) clusters.push(c);
  expect(clusters).toEqual([expect.objectContaining({
    name: 'cpu', properties: expect.objectContaining({ currentNodeCount: 1, allocationState: 'steady', scaleSettings: { manual: { targetNodeCount: 1 } }, nodeStateCounts: expect.objectContaining({ idleNodeCount: 1 }) }),
  })]);
});

test('a submitted template runs and reads back as a Batch AI job; its stdout tail reads back', async () => {
  const ref = { ...WS, experiment: 'demo', job: 'hello-1' };
  const submitted = await compute.createJob(ref, hello({ greeting: 'hi', seconds: '0' }));
  expect(['queued', 'running']).toContain(submitted.properties?.executionState);
  const done = await waitFor('hello-1 succeeded', async () => {
    const j = await compute.getJob(ref);
    return j.properties?.executionState === 'succeeded' ? j : undefined;
  }, 20_000);
  expect(done.properties).toMatchObject({ toolType: 'custom', nodeCount: 1, executionInfo: { exitCode: 0, errors: [] }, cluster: { id: expect.stringMatching(/\/clusters\/cpu$/) } });
  expect((await jobsOf('demo')).map((j) => [j.name, j.properties?.executionState])).toEqual([['hello-1', 'succeeded']]);
  expect(await jobsOf('other')).toEqual([]);
  const std: File[] = [];
  for await (const f of compute.listOutputFiles(ref, { outputDirectoryId: 'stdouterr', linkExpiryInMinutes: 10 })) std.push(f);
  expect(std.map((f) => f.name).sort()).toEqual(['stderr.txt', 'stdout.txt']);
  const stdout = std.find((f) => f.name === 'stdout.txt')!;
  const tail = await compute.readTail(ref, stdout, { maxBytes: 4096, maxLines: 3 });
  expect(tail).toEqual({ lines: ['line 2', 'line 3', 'done'], truncated: true });
  // The link is a read SAS to the blob the task uploaded when it ended.
  expect(stdout.downloadUrl).toMatch(/\/outputs\/hello-1\/stdouterr\/stdout\.txt\?.*sig=/);
  expect(await (await fetch(stdout.downloadUrl!)).text()).toBe('hi from hello-1\nline 1\nline 2\nline 3\ndone\n');
  expect(isNotFound(await compute.getJob({ ...ref, experiment: 'other' }).catch((e: unknown) => e))).toBe(true);
});

test('terminate ends a running job as failed; terminating it again is not an error', async () => {
  const ref = { ...WS, experiment: 'demo', job: 'long-1' };
  await compute.createJob(ref, { properties: { nodeCount: 1, stdOutErrPathPrefix: 'x', cluster: { id: '/x/clusters/cpu' }, customToolkitSettings: { commandLine: 'sleep 30' } } });
  await waitFor('long-1 running', async () => (await compute.getJob(ref)).properties?.executionState === 'running' || undefined);
  await compute.terminateJob(ref);
  const j = await waitFor('long-1 failed', async () => {
    const x = await compute.getJob(ref);
    return x.properties?.executionState === 'failed' ? x : undefined;
  }, 20_000);
  expect(j.properties?.executionInfo?.errors?.[0]?.code).toBeDefined();
  await expect(compute.terminateJob(ref)).resolves.toBeUndefined();
});

test('scale: auto-scale with the generated formula, then a manual resize (auto-scale disabled first)', async () => {
  const ref = { ...WS, cluster: 'cpu' };
  const auto = await compute.updateClusterScale(ref, { autoScale: { minimumNodeCount: 0, maximumNodeCount: 3 } });
  expect(auto.properties?.scaleSettings).toEqual({ autoScale: { minimumNodeCount: 0, maximumNodeCount: 3 } });
  const manual = await compute.updateClusterScale(ref, { manual: { targetNodeCount: 2 } });
  expect(manual.properties?.scaleSettings).toEqual({ manual: { targetNodeCount: 2 } });
  await waitFor('2 nodes', async () => (await compute.getCluster(ref)).properties?.currentNodeCount === 2 || undefined);
});

test('one poll (experiments, then the jobs of each) lists the jobs of the account once', async () => {
  const { compute: polled, sent } = makeAdapter(60_000);
  const experiments: string[] = [];
  for await (const e of polled.listExperiments(WS)) experiments.push(e.name!);
  expect(experiments.sort()).toEqual(['demo']);
  for (const e of experiments) for await (const _ of polled.listJobs({ ...WS, experiment: e })) { /* drained */ }
  expect(sent.map((r) => `${r.method} ${new URL(r.url).pathname}`)).toEqual(['GET /jobs']);
  expect(new URL(sent[0].url).searchParams.get('$select')).toContain('executionInfo');
});

test('an account that is not configured is not found', async () => {
  expect(isNotFound(await compute.getCluster({ resourceGroup: 'x', workspace: 'elsewhere', cluster: 'cpu' }).catch((e: unknown) => e))).toBe(true);
});
