// The Azure Batch backend's costs, on the engine's Batch facade through the real client (Shared Key):
// requests of a quiet poll tick for 10,000 finished jobs in 5 pools (pools, node counts, and the jobs list with
// $select of the fields a tick diffs, 1,000 a page) beside the naive tick (one task GET per job); and requests
// and bytes for a 4 KiB tail of a 1 GiB stdout.txt (HEAD + one ocp-range GET) beside reading the whole file.
import { collect } from '../shared/core/collect';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEngine } from '../local/engine/index';
import { createAzureBatchAdapter } from '../shared/azurebatch/adapter';
import { createBatchClient, type BatchClient } from '../shared/azurebatch/client';
import { countingTransport } from './measure';
import { record } from './report';

const JOBS = 10_000;
const POOLS = ['pool0', 'pool1', 'pool2', 'pool3', 'pool4'];
const TICK_FIELDS = ['id', 'state', 'stateTransitionTime', 'executionInfo', 'poolInfo', 'metadata'];
const GIB = 1024 ** 3;

async function quietTick(c: BatchClient): Promise<void> {
  await collect(c.listPools());
  await collect(c.listPoolNodeCounts());
  await collect(c.listJobs({ select: TICK_FIELDS }));
}

async function naiveTick(c: BatchClient): Promise<void> {
  await collect(c.listPools());
  for (const j of await collect(c.listJobs())) await c.getTask(j.id, 'main');
}

async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

export async function benchAzureBatch(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-azure-batch-'));
  const engine = await startEngine({
    dataDir,
    batch: { workspace: { subscriptionId: 'bench', resourceGroup: 'bench', workspace: 'batch' } },
  });
  try {
    const b = engine.batch!;
    const wire = countingTransport();
    const client = createBatchClient({
      endpoint: b.url,
      auth: { accountName: b.account, accountKey: b.accountKey },
      httpClient: wire.httpClient,
    });
    b.seedFinishedJobs(JOBS, POOLS);

    wire.reset();
    let t0 = performance.now();
    await quietTick(client);
    const tickMs = performance.now() - t0;
    const tickRequests = wire.count();
    wire.reset();
    t0 = performance.now();
    await naiveTick(client);
    const naiveMs = performance.now() - t0;
    record({
      name: 'Azure Batch quiet tick, 10,000 jobs in 5 pools: requests',
      value: tickRequests,
      unit: 'requests',
      naive: wire.count(),
      note: 'naive: a task GET per job',
    });
    record({ name: 'Azure Batch quiet tick, 10,000 jobs in 5 pools: time', value: tickMs, unit: 'ms', naive: naiveMs });

    // The tick writes nothing and links nothing.
    const unused = () => {
      throw new Error('the bench tick touches no output blobs');
    };
    const unusedOutputs = { containerUrl: 'unused', uploadTarget: unused, list: unused, link: unused };
    // The same tick as the poller asks it of the backend: clusters, experiments, then each experiment's jobs.
    const compute = createAzureBatchAdapter({
      subscriptionId: 'bench',
      accounts: [{ subscriptionId: 'bench', resourceGroup: 'bench', account: b.account, client }],
      outputs: unusedOutputs,
    });
    const ws = { resourceGroup: 'bench', workspace: b.account };
    wire.reset();
    await collect(compute.listClusters(ws));
    for (const e of await collect(compute.listExperiments(ws)))
      await collect(compute.listJobs({ ...ws, experiment: e }));
    record({
      name: 'Azure Batch poll through the port (10 experiments): requests',
      value: wire.count(),
      unit: 'requests',
      note: 'one jobs listing shared by all experiments',
    });

    // The task makes its stdout.txt 1 GiB (sparse: no disk) and writes a last line after it.
    await client.createPool({ id: 'tail', vmSize: 'standard_d2s_v3', targetDedicatedNodes: 1 });
    await client.createJob({ id: 'big-log', poolInfo: { poolId: 'tail' } });
    await client.createTask('big-log', {
      id: 'main',
      commandLine: `truncate -s ${GIB} "$AZ_BATCH_TASK_DIR/stdout.txt" && echo 'epoch 99 loss 0.0033'`,
    });
    await until(
      'the big-log task to complete',
      async () => (await client.getTask('big-log', 'main')).state === 'completed',
    );
    wire.reset();
    const tail = await client.readTaskFileTail('big-log', 'main', 'stdout.txt', 4096);
    if (!tail.bytes.toString().endsWith('epoch 99 loss 0.0033\n'))
      throw new Error('the tail does not end with the last line');
    const tailRequests = wire.count();
    // The naive way: download the whole file (streamed and counted, not kept).
    const whole = await fetch(`${b.url}/jobs/big-log/tasks/main/files/stdout.txt?api-version=2025-06-01.21.0`, {
      headers: { authorization: 'Bearer bench' },
    });
    let naiveBytes = 0;
    for await (const chunk of whole.body!) naiveBytes += (chunk as Uint8Array).length;
    record({
      name: 'Azure Batch tail of 1 GiB stdout.txt: requests',
      value: tailRequests,
      unit: 'requests',
      naive: 1,
      note: 'HEAD + ranged GET; goal ≤ 2',
    });
    record({
      name: 'Azure Batch tail of 1 GiB stdout.txt: bytes',
      value: tail.bytes.length,
      unit: 'bytes',
      naive: naiveBytes,
      note: 'goal ≤ 8192',
    });
  } finally {
    await engine.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
