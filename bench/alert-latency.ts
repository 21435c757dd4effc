// `npm run bench -- alerts`: alert latency (job end → the card accepted by the channel) over 10,000 background
// jobs (5 workspaces × 10 experiments × 200, finished and steady), with the local Functions dev host running the
// product's poll timer every 5 s and the notify queue trigger with the repo's host.json, on the real engine (in a
// process of its own: engine-child.ts, its Batch AI API, its Azure Batch facade or its Azure ML facade) and a real
// Azurite; the channel is the fake Bot Framework Connector. The engine's Batch facade serves one account, so Azure
// Batch's 5 accounts are 5 engines.
// 1. Bursts: 20 × 1,000 jobs ending together, each at a seeded random phase of the 5 s timer. The jobs run first
//    (seeded running, no process) and a tick sees them run, as a sweep's jobs are; then they all end at once. Each
//    burst's experiment is deleted once delivered (a tick absorbs that), so every burst meets 10,000 other jobs.
//    The phases are stratified: the timer's period is cut in 20 equal slices, each burst ends at a random point of
//    its own slice, the slices in a seeded order. Each phase is still uniform over the period, but the 20 cover it
//    evenly: 20 independent draws have a median wait that swings by about ±0.5 s from seed to seed (2.83 s for seed
//    2121, against 2.5 s expected), which would measure the draw rather than the product.
// 2. Spread: 1,000 jobs ending at seeded uniform times over 10 minutes, compressed ×6 into 100 s (the timer stays
//    5 s real: each tick finds six times the ends it would, a harder case than real time).
// Per alert, where the time went: waiting for the tick, the tick (start → its batch enqueued), the queue
// (enqueued → notify starts: about 0 when the tick's process delivers it, services/handoff.ts), notify (loading
// the batch, routing, claiming → the send starts), and the send (rendering the card, posting it, the channel
// accepting it). AsyncLocalStorage ties a send to its message.
import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createNotifyFunction } from '../functions/notify';
import { createPollFunction } from '../functions/poll';
import { createServices } from '../functions/services';
import { startAzurite } from '../local/azurite';
import { readHostJson, startFunctionsHost } from '../local/functions-host/index';
import { draw } from '../local/harness/chaos/fault-plan';
import { startFakeChannel } from '../local/harness/fake-channel';
import { createStoppers } from '../local/harness/stoppers';
import { loadConfig } from '../shared/config';
import { parseEventsMessage } from '../shared/core/events';
import { createHandoff } from '../shared/services/handoff';
import { createNotifier } from '../shared/services/notifier';
import { createPoller } from '../shared/services/poller';
import { startEngineChild, type EngineChild, type EngineChildOptions } from './engine-child';
import { percentile } from './measure';
import { record } from './report';

const SUB = '00000000-0000-0000-0000-0000000b0012';
const TIMER_MS = 5000;
// ALERT_BURSTS, ALERT_SPREAD: fewer, for a quick look. ALERT_BACKEND: batchai (default), azurebatch or azureml.
// ALERT_BATCH_ACCOUNTS=1: Azure Batch's 10,000 background jobs in one account (50 experiments): Batch lists an
// account's jobs whole (it cannot filter on the experiment label), so the burst's tick lists all of them.
const BACKEND = process.env.ALERT_BACKEND ?? 'batchai';
const ACCOUNTS = BACKEND === 'azurebatch' ? Number(process.env.ALERT_BATCH_ACCOUNTS ?? 5) : 5;
const LABEL = ACCOUNTS === 5 ? BACKEND : `${BACKEND} ${ACCOUNTS}-account`;
const BACKENDS = ['batchai', 'azurebatch', 'azureml'];
const BURSTS = Number(process.env.ALERT_BURSTS ?? 20);
const BURST = 1000;
const SPREAD = Number(process.env.ALERT_SPREAD ?? 1000);
const SPREAD_MS = 100_000;
const STAGES = ['tick wait', 'tick', 'queue', 'notify', 'send'] as const;
type Stage = (typeof STAGES)[number];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What the instruments saw, by batch and by tick. */
interface Trace {
  tickStarts: number[];
  /** batchId → when its message was enqueued, the tick that did it, and its jobs' names. */
  batches: Map<string, { enqueuedAt: number; tickStart: number; jobs: string[] }>;
  /** batchId → when notify started it, when its first send started and its last send ended. */
  notify: Map<string, { start: number; sendStart?: number; sendEnd?: number }>;
}

export async function benchAlertLatency(): Promise<void> {
  if (!BACKENDS.includes(BACKEND)) throw new Error(`ALERT_BACKEND: one of ${BACKENDS.join(', ')}, not ${BACKEND}`);
  const seed = Number(process.env.ALERT_SEED ?? 2121);
  console.log(`alert latency seed ${seed} (ALERT_SEED=${seed} replays the phases and end times)`);
  const stoppers = createStoppers();
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-alerts-'));
  stoppers.add('data dir', () => rmSync(dataDir, { recursive: true, force: true }));
  try {
    const engineCount = BACKEND === 'azurebatch' ? ACCOUNTS : 1;
    const [azurite, channel, ...engines] = await Promise.all([
      stoppers.track('Azurite', startAzurite(), (a) => a.stop()),
      stoppers.track('fake channel', startFakeChannel(), (c) => c.stop()),
      ...Array.from({ length: engineCount }, (_, w) =>
        stoppers.track(`engine ${w}`, startEngineChild(engineOptions(join(dataDir, `engine${w}`), w)), (e) => e.stop()),
      ),
    ]);
    const engine = engines[0]!;
    const workspaces: string[] = [];
    for (let w = 0; w < ACCOUNTS; w++) {
      workspaces.push(`bench/ws${w}`);
      for (let e = 0; e < 50 / ACCOUNTS; e++) await seedJobs(engines[w] ?? engine, `ws${w}`, `exp${e}`, 200);
    }
    const config = loadConfig({
      COMPUTE_ARM_ENDPOINT: engine.url,
      COMPUTE_SUBSCRIPTION_ID: SUB,
      COMPUTE_WORKSPACES: workspaces.join(','),
      COMPUTE_LOCAL_TOKEN: 'bench',
      AzureWebJobsStorage: azurite.connectionString,
      ...(engine.batch
        ? {
            COMPUTE_BACKEND: 'azurebatch',
            AZURE_BATCH_ACCOUNTS: engines.map((e) => `${e.batch!.account}=${e.batch!.url}`).join(','),
            AZURE_BATCH_ACCOUNT_KEY: engine.batch.accountKey,
          }
        : {}),
      ...(engine.azureml
        ? {
            COMPUTE_BACKEND: 'azureml',
            COMPUTE_ARM_ENDPOINT: engine.azureml.url,
            COMPUTE_CA_FILE: engine.azureml.caFile,
          }
        : {}),
    });
    const services = await createServices(config, { log: () => {} });
    const { serviceUrl } = channel;
    await services.stores.conversations.save({
      conversationId: 'alerts',
      channelId: 'webchat',
      serviceUrl,
      reference: { channelId: 'webchat', serviceUrl, conversation: { id: 'alerts' }, bot: { id: 'bot' } },
    });
    await services.stores.subscriptions.add('alerts', { workspace: 'ws0', states: ['succeeded'] });

    const trace: Trace = { tickStarts: [], batches: new Map(), notify: new Map() };
    const current = new AsyncLocalStorage<string>();
    let tickStart = 0;
    const poller = createPoller({
      compute: services.compute,
      workspaces: config.compute.workspaces,
      stores: {
        ...services.backend,
        events: {
          ...services.backend.events,
          async enqueue(ws, events, at, holdSeconds) {
            const m = await services.backend.events.enqueue(ws, events, at, holdSeconds);
            const jobs = events.flatMap((e) =>
              e.kind === 'job' && e.to === 'succeeded' ? [`${e.experiment}/${e.job}`] : [],
            );
            trace.batches.set(m.batchId, { enqueuedAt: Date.now(), tickStart, jobs });
            return m;
          },
        },
      },
      log: () => {},
      // As the product wires it (functions/services.ts): the news of a tick is delivered by the tick's process.
      handoff: createHandoff({
        notifier: async () => ({
          handle: (message, opts) => traced(parseEventsMessage(message).batchId, () => notifier.handle(message, opts)),
        }),
        queue: services.backend.events,
        log: () => {},
      }),
    });
    /** A delivery of this batch, traced: when it started, its sends by AsyncLocalStorage. */
    function traced<T>(batchId: string, deliver: () => Promise<T>): Promise<T> {
      trace.notify.set(batchId, { start: Date.now() });
      return current.run(batchId, deliver);
    }
    const notifier = createNotifier({
      stores: services.stores,
      markers: services.backend.markers,
      batches: services.backend.batches,
      compute: services.compute,
      logs: config.logs,
      log: () => {},
      sender: {
        async send(conv, view) {
          const n = trace.notify.get(current.getStore() ?? '');
          if (n) n.sendStart ??= Date.now();
          const r = await services.sender.send(conv, view);
          if (n) n.sendEnd = Date.now();
          return r;
        },
      },
    });
    const notify = createNotifyFunction(async () => ({ notifier }));
    await poller.tick(); // the baseline: the background jobs are known before the host starts
    await stoppers.track(
      'functions host',
      startFunctionsHost({
        definitions: [
          createPollFunction(
            async () => ({
              poller: {
                tick: () => {
                  tickStart = Date.now();
                  trace.tickStarts.push(tickStart);
                  return poller.tick();
                },
              },
            }),
            config.schedules.poll,
          ),
          {
            ...notify,
            handler: (message: unknown, ctx: Parameters<typeof notify.handler>[1]) =>
              traced(parseEventsMessage(message).batchId, () => notify.handler(message, ctx)),
          },
        ],
        connectionString: azurite.connectionString,
        httpPort: 0,
        hostJson: readHostJson(join(__dirname, '..', '..', 'host.json')),
        timerOverrides: { poll: TIMER_MS },
        log: () => {},
      }),
      (h) => h.stop(),
    );

    // 1. Bursts, each at a seeded phase after a tick started.
    const ends = new Map<string, number>();
    const slices = Array.from({ length: BURSTS }, (_, i) => i).sort(
      (a, b) => draw(seed, `slice ${a}`) - draw(seed, `slice ${b}`),
    );
    for (let b = 0; b < BURSTS; b++) {
      const phase = Math.floor(((slices[b]! + draw(seed, `burst ${b}`)) / BURSTS) * TIMER_MS);
      const experiment = `burst${b}`;
      const burst = { subscriptionId: SUB, resourceGroup: 'bench', workspace: 'ws0', experiment };
      await engine.seed(burst, BURST, { running: true });
      const seen = trace.tickStarts.length;
      await until(() => trace.tickStarts.length > seen + 1, 30_000, `a tick to see burst ${b} run`);
      const ticks = trace.tickStarts.length;
      await until(() => trace.tickStarts.length > ticks, 15_000, 'a tick to start');
      await sleep(Math.max(0, trace.tickStarts.at(-1)! + phase - Date.now()));
      ends.set(experiment, Date.now());
      if ((await engine.end(burst)) !== BURST) throw new Error(`alert latency bench: burst ${b} did not end whole`);
      await until(() => delivered(trace, experiment) >= BURST, 60_000, `burst ${b} delivered`);
      await engine.drop(burst);
      const after = trace.tickStarts.length;
      await until(() => trace.tickStarts.length > after + 1, 30_000, 'a tick past the deletion');
    }
    report('bursts', `${BURSTS} × ${BURST} jobs ending together at seeded phases of the ${TIMER_MS / 1000} s timer`);

    // 2. Spread: one job at a time, at seeded uniform times.
    const times = Array.from({ length: SPREAD }, (_, i) => draw(seed, `spread ${i}`) * SPREAD_MS).sort((a, b) => a - b);
    const t0 = Date.now();
    for (let i = 0; i < SPREAD; i++) {
      await sleep(Math.max(0, t0 + times[i] - Date.now()));
      const end = Date.now();
      for (const name of await seedJobs(engine, 'ws0', 'spread', 1)) ends.set(`spread/${name}`, end);
    }
    await until(() => delivered(trace, 'spread') >= SPREAD, 60_000, 'the spread delivered');
    report(
      'spread',
      `${SPREAD} jobs ending at uniform times over 10 min compressed ×6 into ${SPREAD_MS / 1000} s; timer 5 s`,
    );

    function report(kind: string, what: string): void {
      const stages = latencies(trace, ends, kind === 'bursts' ? /^burst\d+$/ : /^spread$/);
      const total = stages.total.sort((a, b) => a - b);
      const note = `${total.length} alerts; ${what}; 10,000 background jobs in ${ACCOUNTS} workspaces`;
      record({
        name: `alerts ${LABEL} ${kind}: latency p50 (job end → card accepted)`,
        value: percentile(total, 50),
        unit: 'ms',
        note,
      });
      record({ name: `alerts ${LABEL} ${kind}: latency p99`, value: percentile(total, 99), unit: 'ms', note });
      for (const s of STAGES) {
        const v = stages[s].sort((a, b) => a - b);
        record({
          name: `alerts ${LABEL} ${kind}: ${s} p50 / p99`,
          value: percentile(v, 50),
          unit: 'ms',
          note: `p99 ${percentile(v, 99)} ms`,
        });
      }
    }
  } finally {
    await stoppers.stopAll();
  }
}

/** Engine `w`: on Azure Batch, the facade of account ws<w>. */
function engineOptions(dataDir: string, w: number): EngineChildOptions {
  const workspace = { subscriptionId: SUB, resourceGroup: 'bench', workspace: `ws${w}` };
  if (BACKEND === 'azurebatch') return { dataDir, batch: { workspace, account: workspace.workspace } };
  return { dataDir, ...(BACKEND === 'azureml' ? { azureml: {} } : {}) };
}

function seedJobs(engine: EngineChild, workspace: string, experiment: string, n: number): Promise<string[]> {
  return engine.seed({ subscriptionId: SUB, resourceGroup: 'bench', workspace, experiment }, n);
}

async function until(ok: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`alert latency bench: waited ${timeoutMs} ms for ${what}`);
    await sleep(20);
  }
}

/** Alerts of `experiment`'s jobs whose card the channel accepted. */
function delivered(trace: Trace, experiment: string): number {
  let n = 0;
  for (const [id, b] of trace.batches) {
    if (trace.notify.get(id)?.sendEnd === undefined) continue;
    n += b.jobs.filter((j) => j.startsWith(experiment === 'spread' ? 'spread/' : `${experiment}/`)).length;
  }
  return n;
}

/** Per alert: its stages and total, from its end time (by experiment, or by job for the spread). */
function latencies(trace: Trace, ends: Map<string, number>, which: RegExp): Record<Stage | 'total', number[]> {
  const out: Record<Stage | 'total', number[]> = {
    'tick wait': [],
    tick: [],
    queue: [],
    notify: [],
    send: [],
    total: [],
  };
  for (const [id, b] of trace.batches) {
    const n = trace.notify.get(id);
    if (!n?.sendStart || !n.sendEnd) continue;
    for (const job of b.jobs) {
      const [experiment] = job.split('/');
      if (!which.test(experiment!)) continue;
      const end = experiment === 'spread' ? ends.get(job) : ends.get(experiment!);
      if (end === undefined) continue;
      out['tick wait'].push(b.tickStart - end);
      out.tick.push(b.enqueuedAt - b.tickStart);
      out.queue.push(n.start - b.enqueuedAt);
      out.notify.push(n.sendStart - n.start);
      out.send.push(n.sendEnd - n.sendStart);
      out.total.push(n.sendEnd - end);
    }
  }
  return out;
}
