// The Azure Batch backend in the compute port's model, against the engine's Batch facade and Azurite: a
// template's Batch AI job.json runs as a Batch job and reads back (queued/running → succeeded, exit code),
// its stdout tail costs two requests, clusters carry node counts, scale works both ways (auto-scale is
// disabled before a manual resize), terminate ends a running job, and unknown accounts are "not found".
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAzureBatchAdapter, type ComputeOperations } from '../../shared/azurebatch/adapter';
import { createBatchClient } from '../../shared/azurebatch/client';
import { createOutputBlobs } from '../../shared/storage/output-blobs';
import type { ComputeJob, OutputFile } from '../../shared/compute/model';
import { parseTemplate, renderTemplate } from '../../shared/templates/templates';
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
  engine = await startEngine({
    dataDir: tempDir(),
    timing: FAST,
    batch: { workspace: { subscriptionId: 'sub', resourceGroup: 'local', workspace: 'local' } },
  });
  const b = engine.batch!;
  const client = createBatchClient({
    endpoint: b.url,
    auth: { accountName: b.account, accountKey: b.accountKey },
    retry: { maxRetries: 0 },
  });
  const outputs = createOutputBlobs({ connectionString: azurite.connectionString, container: 'outputs' });
  makeAdapter = (ttlMs) => {
    const wire = countingHttpClient();
    const counted = createBatchClient({
      endpoint: b.url,
      auth: { accountName: b.account, accountKey: b.accountKey },
      httpClient: wire.httpClient,
    });
    const adapter = createAzureBatchAdapter({
      subscriptionId: 'sub',
      accounts: [{ subscriptionId: 'sub', resourceGroup: 'local', account: 'local', client: counted }],
      outputs,
      listingTtlMs: ttlMs,
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
  return renderTemplate(parseTemplate(json, 'hello'), values, {
    cluster: '/subscriptions/sub/resourceGroups/local/providers/Microsoft.BatchAI/workspaces/local/clusters/cpu',
  });
}

async function jobsOf(experiment: string): Promise<ComputeJob[]> {
  const out: ComputeJob[] = [];
  for await (const j of compute.listJobs({ ...WS, experiment })) out.push(j);
  return out;
}

test('clusters are pools with their node counts', async () => {
  const clusters = [];
  for await (const c of compute.listClusters(WS)) clusters.push(c);
  expect(clusters).toEqual([
    expect.objectContaining({
      name: 'cpu',
      currentNodeCount: 1,
      allocationState: 'steady',
      scale: { mode: 'manual', targetNodeCount: 1 },
      nodes: expect.objectContaining({ idle: 1 }),
    }),
  ]);
});

test('a submitted template runs and reads back as a job of its experiment; its stdout tail reads back', async () => {
  const ref = { ...WS, experiment: 'demo', job: 'hello-1' };
  const submitted = await compute.submitJob(ref, hello({ greeting: 'hi', seconds: '0' }));
  expect(['queued', 'running']).toContain(submitted.state);
  const done = await waitFor(
    'hello-1 succeeded',
    async () => {
      const j = await compute.getJob(ref);
      return j.state === 'succeeded' ? j : undefined;
    },
    20_000,
  );
  expect(done).toMatchObject({
    toolType: 'custom',
    nodeCount: 1,
    exitCode: 0,
    errors: [],
    cluster: 'cpu',
    experiment: 'demo',
    id: '/subscriptions/sub/resourceGroups/local/providers/Microsoft.Batch/batchAccounts/local/jobs/hello-1',
  });
  expect((await jobsOf('demo')).map((j) => [j.name, j.state])).toEqual([['hello-1', 'succeeded']]);
  expect(await jobsOf('other')).toEqual([]);
  const std: OutputFile[] = [];
  for await (const f of compute.listOutputFiles(ref, { outputDirectoryId: 'stdouterr', linkExpiryInMinutes: 10 }))
    std.push(f);
  expect(std.map((f) => f.name).sort()).toEqual(['stderr.txt', 'stdout.txt']);
  const stdout = std.find((f) => f.name === 'stdout.txt')!;
  const tail = await compute.readTail(ref, stdout, { maxBytes: 4096, maxLines: 3 });
  expect(tail).toEqual({ lines: ['line 2', 'line 3', 'done'], truncated: true });
  // The link is a read SAS to the blob the task uploaded when it ended.
  expect(stdout.url).toMatch(/\/outputs\/hello-1\/stdouterr\/stdout\.txt\?.*sig=/);
  expect(await (await fetch(stdout.url!)).text()).toBe('hi from hello-1\nline 1\nline 2\nline 3\ndone\n');
  expect(isNotFound(await compute.getJob({ ...ref, experiment: 'other' }).catch((e: unknown) => e))).toBe(true);
});

test('terminate ends a running job as failed; terminating it again is not an error', async () => {
  const ref = { ...WS, experiment: 'demo', job: 'long-1' };
  await compute.submitJob(ref, {
    properties: {
      nodeCount: 1,
      stdOutErrPathPrefix: 'x',
      cluster: { id: '/x/clusters/cpu' },
      customToolkitSettings: { commandLine: 'sleep 30' },
    },
  });
  await waitFor('long-1 running', async () => (await compute.getJob(ref)).state === 'running' || undefined);
  await compute.terminateJob(ref);
  const j = await waitFor(
    'long-1 failed',
    async () => {
      const x = await compute.getJob(ref);
      return x.state === 'failed' ? x : undefined;
    },
    20_000,
  );
  expect(j.errors[0]?.code).toBeDefined();
  await expect(compute.terminateJob(ref)).resolves.toBeUndefined();
});

test('scale: auto-scale with the generated formula, then a manual resize (auto-scale disabled first)', async () => {
  const ref = { ...WS, cluster: 'cpu' };
  const auto = await compute.scaleCluster(ref, { mode: 'auto', min: 0, max: 3 });
  expect(auto.scale).toEqual({ mode: 'auto', min: 0, max: 3 });
  const manual = await compute.scaleCluster(ref, { mode: 'manual', targetNodeCount: 2 });
  expect(manual.scale).toEqual({ mode: 'manual', targetNodeCount: 2 });
  await waitFor('2 nodes', async () => (await compute.getCluster(ref)).currentNodeCount === 2 || undefined);
});

test('one poll (experiments, then the jobs of each) lists the jobs of the account once', async () => {
  const { compute: polled, sent } = makeAdapter(60_000);
  const experiments: string[] = [];
  for await (const e of polled.listExperiments(WS)) experiments.push(e);
  expect(experiments.sort()).toEqual(['demo']);
  for (const e of experiments)
    for await (const _ of polled.listJobs({ ...WS, experiment: e })) {
      /* drained */
    }
  expect(sent.map((r) => `${r.method} ${new URL(r.url).pathname}`)).toEqual(['GET /jobs']);
  expect(new URL(sent[0].url).searchParams.get('$select')).toContain('executionInfo');
});

test('an ended job read right after a listing is taken from it, its task read; released or too old, both', async () => {
  const ref = { ...WS, experiment: 'demo', job: 'hello-1' };
  const { compute: polled, sent } = makeAdapter(60_000);
  for await (const _ of polled.listExperiments(WS)) {
    /* drained */
  }
  sent.length = 0;
  const listed = await polled.getJob(ref);
  expect(sent.map((r) => `${r.method} ${new URL(r.url).pathname}`)).toEqual(['GET /jobs/hello-1/tasks/main']);
  expect(listed).toEqual(await compute.getJob(ref));
  expect(listed).toMatchObject({ state: 'succeeded', exitCode: 0 });
  // Another experiment's job of that name is not this one, listed or not.
  await expect(polled.getJob({ ...ref, experiment: 'other' })).rejects.toThrow(/not in experiment 'other'/);

  // Released by the poll that made it, the listing serves no more.
  polled.releaseListing!(WS);
  sent.length = 0;
  await polled.getJob(ref);
  expect(sent.map((r) => new URL(r.url).pathname)).toEqual(['/jobs/hello-1', '/jobs/hello-1/tasks/main']);

  const { compute: aged, sent: agedSent } = makeAdapter(0);
  for await (const _ of aged.listExperiments(WS)) {
    /* drained */
  }
  agedSent.length = 0;
  await aged.getJob(ref);
  expect(agedSent.map((r) => new URL(r.url).pathname)).toEqual(['/jobs/hello-1', '/jobs/hello-1/tasks/main']);
});

test("the benches' seeded jobs: running until ended together (exit 0), then dropped; ids never reused", async () => {
  const b = engine.batch!;
  const ids = b.seedFinishedJobs(3, ['gpu'], 'sweep', { running: true });
  expect((await jobsOf('sweep')).map((j) => [j.name, j.state])).toEqual(ids.map((id) => [id, 'running']));
  expect(b.endSeededJobs('sweep')).toBe(3);
  expect(b.endSeededJobs('sweep')).toBe(0);
  const ended = await compute.getJob({ ...WS, experiment: 'sweep', job: ids[0]! });
  expect(ended).toMatchObject({ state: 'succeeded', exitCode: 0 });
  b.dropExperiment('sweep');
  expect(await jobsOf('sweep')).toEqual([]);
  const again = b.seedFinishedJobs(3, ['gpu'], 'sweep');
  expect(again.filter((id) => ids.includes(id))).toEqual([]);
  expect((await jobsOf('sweep')).map((j) => j.state)).toEqual(['succeeded', 'succeeded', 'succeeded']);
  b.dropExperiment('sweep');
});

test('an account that is not configured is not found', async () => {
  expect(
    isNotFound(
      await compute.getCluster({ resourceGroup: 'x', workspace: 'elsewhere', cluster: 'cpu' }).catch((e: unknown) => e),
    ),
  ).toBe(true);
});

test('describeSubmit shows the job and task a submit would POST, with no signature in the output URL', async () => {
  const ref = { ...WS, experiment: 'demo', job: 'dry-1' };
  const { requests } = compute.describeSubmit(ref, hello({ greeting: 'hi', seconds: '0' }));
  expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual([
    `POST ${engine.batch!.url}/jobs?api-version=2025-06-01.21.0`,
    `POST ${engine.batch!.url}/jobs/dry-1/tasks?api-version=2025-06-01.21.0`,
  ]);
  expect(requests[0].body).toMatchObject({ id: 'dry-1', poolInfo: { poolId: 'cpu' } });
  expect(JSON.stringify(requests)).not.toMatch(/sig=/);
  expect(isNotFound(await compute.getJob(ref).catch((e: unknown) => e))).toBe(true);
});
