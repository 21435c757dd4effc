// The progress reader's requests per tick at 1,000 watched running jobs whose logs all keep growing, beside the
// naive way (every watched job every tick: a job GET, a listing and a read of each whole log). The compute port
// here counts calls and answers from memory (the request count is the reader's choice, not the service's), the
// watch store is in memory, the sender drops cards; the reader, the parser and the budget are the real ones.
import { performance } from 'node:perf_hooks';
import { createProgressReader, PROGRESS_TAIL_BYTES } from '../bot/progress-reader';
import type { BotDeps } from '../bot/deps';
import type { ComputeJob, JobRef, OutputFile } from '../shared/compute/model';
import type { ComputePort } from '../shared/compute/port';
import { loadConfig } from '../shared/config';
import { type ProgressBudget, requestsPerTickAtMost } from '../shared/core/progress-plan';
import type { ProgressWatch, ProgressWatchStore } from '../shared/storage/progress-watch-store';
import { record } from './report';

const JOBS = 1000;
const TICKS = 10;
const TICK_SECONDS = 60;
const BUDGET: ProgressBudget = { maxJobs: 200, updateSeconds: 60, stallMinutes: 30 };
/** A month-old job's logs: what the naive way downloads per look. */
const LOG_BYTES = 50 * 1024 * 1024;

function fakeCompute(calls: { n: number; reads: number }, now: () => Date): ComputePort {
  const size = () => LOG_BYTES + Math.floor(now().getTime() / 1000);
  const job = (ref: JobRef): ComputeJob => ({
    id: ref.job,
    name: ref.job,
    experiment: ref.experiment,
    state: 'running',
    cluster: 'gpu',
    nodeCount: 1,
    errors: [],
    outputDirectoryIds: [],
    startedAt: '2026-12-07T00:00:00Z',
  });
  const port: Partial<ComputePort> = {
    backend: 'batchai',
    labels: { service: 'Batch AI', workspace: 'Workspace', cluster: 'Cluster' },
    async getJob(ref) {
      calls.n++;
      return job(ref);
    },
    async *listOutputFiles() {
      calls.n++;
      for (const name of ['stdout.txt', 'stderr.txt']) yield { name, isDirectory: false, size: size() } as OutputFile;
    },
    async readTail(_ref, _file, opts) {
      calls.n++;
      calls.reads++;
      const s = Math.floor(now().getTime() / 1000);
      const lines = Array.from({ length: Math.min(opts.maxLines, 50) }, (_, i) => `step=${s * 50 + i} loss=0.5`);
      return { lines, truncated: true };
    },
  };
  return port as ComputePort;
}

function memoryWatches(): ProgressWatchStore & { rows: Map<string, ProgressWatch> } {
  const rows = new Map<string, ProgressWatch>();
  const key = (w: Pick<ProgressWatch, 'conversationId' | 'activityId'>) => `${w.conversationId}/${w.activityId}`;
  return {
    rows,
    add: async (w) => void rows.set(key(w), structuredClone(w)),
    save: async (w) => void rows.set(key(w), structuredClone(w)),
    list: async () => [...rows.values()].map((w) => structuredClone(w)),
    get: async (w) => rows.get(key(w)),
    forJob: async (j, conv) =>
      [...rows.values()].filter((w) => w.conversationId === conv && w.job.job === j.job).map((w) => structuredClone(w)),
    remove: async (w) => void rows.delete(key(w)),
  };
}

export async function benchProgressReader(): Promise<void> {
  let t = Date.parse('2026-12-07T01:00:00Z');
  const now = () => new Date(t);
  const calls = { n: 0, reads: 0 };
  const watches = memoryWatches();
  for (let i = 0; i < JOBS; i++) {
    await watches.add({
      job: { resourceGroup: 'rg', workspace: 'ws', experiment: 'exp', job: `job-${i}` },
      conversationId: `conv-${i % 50}`,
      activityId: `card-${i}`,
      state: { stdoutSize: 0, stderrSize: 0, grewAt: now().toISOString() },
      points: [],
    });
  }
  const config = loadConfig({
    COMPUTE_SUBSCRIPTION_ID: '00000000-0000-0000-0000-000000000000',
    COMPUTE_WORKSPACES: 'rg/ws',
    AzureWebJobsStorage: 'UseDevelopmentStorage=true',
  });
  const deps = {
    compute: fakeCompute(calls, now),
    stores: { conversations: { get: async (id: string) => ({ conversationId: id }) } },
    sender: { send: async () => ({}), update: async () => undefined },
    config,
    now,
    log: () => undefined,
  } as unknown as BotDeps;
  const reader = createProgressReader({ ...deps, watches, budget: BUDGET });
  const perTick: number[] = [];
  const readsPerTick: number[] = [];
  let ms = 0;
  for (let i = 0; i < TICKS; i++) {
    calls.n = 0;
    calls.reads = 0;
    const t0 = performance.now();
    const r = await reader.tick();
    ms += performance.now() - t0;
    perTick.push(calls.n);
    readsPerTick.push(calls.reads);
    if (r.requests !== calls.n) throw new Error(`the reader counted ${r.requests} requests, the port saw ${calls.n}`);
    t += TICK_SECONDS * 1000;
  }
  const max = Math.max(...perTick);
  const bound = requestsPerTickAtMost(BUDGET, JOBS);
  if (max > bound) throw new Error(`a tick made ${max} requests, over the stated budget of ${bound}`);
  const naive = JOBS * 4;
  record({
    name: `progress reader, ${JOBS} running jobs: requests per tick (max)`,
    value: max,
    unit: 'requests',
    naive,
    note: `budget ${bound} = ${BUDGET.maxJobs} jobs × 4; each job looked at every ${JOBS / BUDGET.maxJobs} ticks`,
  });
  record({
    name: `progress reader, ${JOBS} running jobs: bytes read per tick`,
    value: Math.max(...readsPerTick) * PROGRESS_TAIL_BYTES,
    unit: 'bytes (at most)',
    naive: JOBS * 2 * LOG_BYTES,
    note: 'ranged reads of 64 KiB vs whole 50 MiB logs',
  });
  record({ name: `progress reader, ${JOBS} running jobs: time per tick`, value: ms / TICKS, unit: 'ms' });
}
