// The poll/notify backend at scale, on the real engine and a real Azurite: 10,000 finished jobs in 50
// experiments across 5 workspaces. Figures: ARM requests per tick (counted on the wire), Table writes on a
// tick where nothing changed, tick time, peak memory; then alert latency with the local Functions dev host
// polling every 5 s while 1,000 jobs finish at once (one stored batch, one queue message, one digest card).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAzurite } from '../local/azurite';
import { startEngine, type Engine } from '../local/engine/index';
import { startFunctionsHost } from '../local/functions-host/index';
import { createNotifyFunction } from '../functions/notify';
import { createPollFunction } from '../functions/poll';
import { createServices, type Services } from '../functions/services';
import { createBatchAiClient } from '../shared/batchai/client';
import { staticTokenCredential } from '../shared/http/credential';
import { loadConfig } from '../shared/config';
import { parseEventsMessage, type BackendEvent } from '../shared/core/events';
import { createWriteCounter } from '../shared/storage/write-counter';
import { startFakeChannel } from '../local/harness/fake-channel';
import { createStoppers } from '../local/harness/stoppers';
import { countingTransport, percentile } from './measure';
import { record } from './report';
import { batchAiCompute } from '../shared/batchai/compute';

const SUB = '00000000-0000-0000-0000-0000000b0011';
const WORKSPACES = 5;
const EXPERIMENTS_PER_WS = 10;
const JOBS_PER_EXPERIMENT = 200;
const BURST = 1_000;

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

async function alertLatency(
  services: Services,
  engine: Engine,
  connectionString: string,
  serviceUrl: string,
): Promise<number[]> {
  await services.stores.conversations.save({
    conversationId: 'bench-conv',
    channelId: 'webchat',
    serviceUrl,
    reference: { channelId: 'webchat', serviceUrl, conversation: { id: 'bench-conv' }, bot: { id: 'bot' } },
  });
  await services.stores.subscriptions.add('bench-conv', { workspace: 'ws0', experiment: 'burst' });
  let seededAt = 0;
  const latencies: number[] = [];
  const notify = createNotifyFunction(async () => services);
  // Which events a message carries, read before the handler (which deletes the stored batch when done).
  const eventsOf = async (message: unknown): Promise<BackendEvent[]> => {
    const m = parseEventsMessage(message);
    return m.v === 1 ? m.events : ((await services.backend.batches.get(m.batchId, m.ref.chunks)) ?? []);
  };
  // Wraps the real handler: when it returns, every card of the message has been accepted by the channel.
  const timed = {
    ...notify,
    handler: async (message: unknown, ctx: Parameters<typeof notify.handler>[1]) => {
      const events = await eventsOf(message);
      await notify.handler(message, ctx);
      const done = Date.now();
      for (const e of events) if (e.kind === 'job' && e.to === 'succeeded') latencies.push(done - seededAt);
    },
  };
  const host = await startFunctionsHost({
    definitions: [createPollFunction(async () => services, services.config.schedules.poll), timed],
    connectionString,
    httpPort: 0,
    hostJson: { extensions: { queues: { maxPollingInterval: 200 } } },
    timerOverrides: { poll: 5000 },
    log: () => {},
  });
  try {
    await new Promise((r) => setTimeout(r, 1200)); // land the burst at an arbitrary point of the 5 s cycle
    seededAt = Date.now();
    await engine.seedFinishedJobs(
      { subscriptionId: SUB, resourceGroup: 'bench', workspace: 'ws0', experiment: 'burst' },
      BURST,
      { cluster: 'gpu' },
    );
    const deadline = Date.now() + 60_000;
    while (latencies.length < BURST && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  } finally {
    await host.stop();
  }
  return latencies.sort((a, b) => a - b);
}

export async function benchPoll(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-poll-'));
  // The channel is the tests' fake Bot Framework Connector (wire protocol only): Teams cannot run here.
  const stoppers = createStoppers();
  stoppers.add('data dir', () => rmSync(dataDir, { recursive: true, force: true }));
  const arm = countingTransport();
  const writes = createWriteCounter();
  let services: Services | undefined;
  try {
    const [azurite, engine, channel] = await Promise.all([
      stoppers.track('Azurite', startAzurite(), (a) => a.stop()),
      stoppers.track('engine', startEngine({ dataDir }), (e) => e.stop()),
      stoppers.track('fake channel', startFakeChannel(), (c) => c.stop()),
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

    const lat = await alertLatency(services, engine, azurite.connectionString, channel.serviceUrl);
    const cards = channel.activities('bench-conv').length;
    const note =
      `${lat.length}/${BURST} delivered in ${cards} card(s) to the one subscribed conversation; ` +
      '5 s poll interval; the 1,000 jobs are seeded finished at once (job end = seed time)';
    record({ name: 'alert latency p50 (job end → card accepted)', value: percentile(lat, 50), unit: 'ms', note });
    record({ name: 'alert latency p99 (job end → card accepted)', value: percentile(lat, 99), unit: 'ms', note });
  } finally {
    await stoppers.stopAll();
  }
}
