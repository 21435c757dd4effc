// The poll backend on the real engine and a real Azurite: 10,000 finished jobs in 50 experiments across 5
// workspaces. Figures: ARM requests per tick (counted on the wire), Table writes on a tick where nothing changed,
// tick time, peak memory. Alert latency is `npm run bench -- alerts` (alert-latency.ts); 100,000 jobs `scale`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAzurite } from '../local/azurite';
import { startEngine, type Engine } from '../local/engine/index';
import { createServices, type Services } from '../functions/services';
import { createBatchAiClient } from '../shared/batchai/client';
import { staticTokenCredential } from '../shared/http/credential';
import { loadConfig } from '../shared/config';
import { createWriteCounter } from '../shared/storage/write-counter';
import { createStoppers } from '../local/harness/stoppers';
import { countingTransport } from './measure';
import { record } from './report';
import { batchAiCompute } from '../shared/batchai/compute';

const SUB = '00000000-0000-0000-0000-0000000b0011';
const WORKSPACES = 5;
const EXPERIMENTS_PER_WS = 10;
const JOBS_PER_EXPERIMENT = 200;

/** Runs `fn` while sampling RSS every 5 ms; returns its result, duration and the peak RSS above the start. */
async function measured<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number; peakMiB: number }> {
  const base = process.memoryUsage().rss;
  let peak = base;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 5);
  const t0 = performance.now();
  try {
    const value = await fn();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { value, ms: performance.now() - t0, peakMiB: (peak - base) / 2 ** 20 };
  } finally {
    clearInterval(sampler);
  }
}

async function seed(engine: Engine): Promise<string[]> {
  const names: string[] = [];
  for (let w = 0; w < WORKSPACES; w++) {
    names.push(`bench/ws${w}`);
    for (let e = 0; e < EXPERIMENTS_PER_WS; e++) {
      await engine.seedFinishedJobs(
        { subscriptionId: SUB, resourceGroup: 'bench', workspace: `ws${w}`, experiment: `exp${e}` },
        JOBS_PER_EXPERIMENT,
        { cluster: 'gpu' },
      );
    }
  }
  return names;
}

export async function benchPoll(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-poll-'));
  const stoppers = createStoppers();
  stoppers.add('data dir', () => rmSync(dataDir, { recursive: true, force: true }));
  const arm = countingTransport();
  const writes = createWriteCounter();
  let services: Services | undefined;
  try {
    const [azurite, engine] = await Promise.all([
      stoppers.track('Azurite', startAzurite(), (a) => a.stop()),
      stoppers.track('engine', startEngine({ dataDir }), (e) => e.stop()),
    ]);
    const workspaces = await seed(engine);
    const config = loadConfig({
      COMPUTE_ARM_ENDPOINT: engine.url,
      COMPUTE_SUBSCRIPTION_ID: SUB,
      COMPUTE_WORKSPACES: workspaces.join(','),
      COMPUTE_LOCAL_TOKEN: 'bench',
      AzureWebJobsStorage: azurite.connectionString,
    });
    const compute = createBatchAiClient({
      endpoint: engine.url,
      subscriptionId: SUB,
      credential: staticTokenCredential('bench'),
      httpClient: arm.httpClient,
    });
    services = await createServices(config, {
      compute: batchAiCompute(compute),
      storage: { tablePolicies: [writes.policy] },
      log: () => {},
    });
    const jobs = WORKSPACES * EXPERIMENTS_PER_WS * JOBS_PER_EXPERIMENT;

    const baseline = await measured(() => services!.poller.tick());
    record({
      name: 'poll: first tick (baseline, writes every row)',
      value: baseline.ms,
      unit: 'ms',
      note: `${writes.requests()} Table transactions for ${jobs} jobs`,
    });

    arm.reset();
    writes.reset();
    const idle = await measured(() => services!.poller.tick());
    if (idle.value.workspaces.some((w) => !w.ok)) throw new Error(`a workspace failed: ${JSON.stringify(idle.value)}`);
    const experiments = WORKSPACES * EXPERIMENTS_PER_WS;
    record({
      name: 'poll: ARM requests per tick',
      value: arm.count(),
      unit: 'requests',
      naive: jobs + 2 * WORKSPACES,
      note:
        `goal ${experiments} + extra pages + ${2 * WORKSPACES}; ` +
        'naive = one GET per job + the 2 lists per workspace',
    });
    record({
      name: 'poll: Table writes on a tick where nothing changed',
      value: writes.requests(),
      unit: 'requests',
      note: 'goal 0',
    });
    record({ name: 'poll: tick time (10,000 jobs, nothing changed)', value: idle.ms, unit: 'ms' });
    record({ name: 'poll: peak memory during that tick (RSS delta)', value: idle.peakMiB, unit: 'MiB' });
  } finally {
    await stoppers.stopAll();
  }
}
