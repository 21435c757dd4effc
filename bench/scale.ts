// `npm run bench -- scale`: a poll tick over 100,000 jobs in 50 workspaces (accounts), per backend. Goals: ≤ 5 s,
// ≤ 200 MiB peak RSS of the process running the tick, requests ≤ pages + changed jobs, Table writes in proportion
// to the changes. The list answers are the backend's real wire shape: one workspace of 2,000 jobs (10 experiments
// of 200) is recorded from the engine's facade through the real adapter, and played back for 50 workspaces
// (recorded-pages.ts): the engine serving 100,000 jobs per tick would measure the engine on the same two cores.
// Table Storage is a real Azurite. Each tick runs in a child process (scale-child.ts): the first (baseline)
// writes every row; a steady tick (nothing changed); a tick with 1% changed (20 new finished jobs per workspace,
// 2 in each experiment: each experiment's digest moves).
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startAzurite } from '../local/azurite';
import { startEngine, type Engine } from '../local/engine/index';
import { LOCAL_BATCH_KEY } from '../local/engine/batch-rest/local-account';
import { createStoppers } from '../local/harness/stoppers';
import type { ComputeBackend } from '../shared/compute/model';
import { httpClientTrusting } from '../shared/http/trusted-ca';
import { createPoller } from '../shared/services/poller';
import { createBackendStores } from '../shared/storage/index';
import { recordingTransport, type Recording } from './recorded-pages';
import { record } from './report';
import type { ScaleChildInput, ScaleChildOutput } from './scale-child';
import { SCALE_SUB, scaleCompute } from './scale-compute';

// SCALE_WORKSPACES: fewer workspaces, for a quick look.
const WORKSPACES = Number(process.env.SCALE_WORKSPACES ?? 50);
const EXPERIMENTS = 10;
const JOBS_PER_EXPERIMENT = 200;
const CHANGED_PER_EXPERIMENT = 2;
const TEMPLATE = 'wsa99';
// SCALE_BACKENDS=batchai,azureml runs only those.
const BACKENDS = (process.env.SCALE_BACKENDS ?? 'batchai,azurebatch,azureml').split(',') as ComputeBackend[];

const run = promisify(execFile);

async function seed(engine: Engine, backend: ComputeBackend, rg: string, perExperiment: number): Promise<void> {
  for (let e = 0; e < EXPERIMENTS; e++) {
    if (backend === 'azurebatch') engine.batch!.seedFinishedJobs(perExperiment, ['gpu'], `exp${e}`);
    else {
      await engine.seedFinishedJobs(
        { subscriptionId: SCALE_SUB, resourceGroup: rg, workspace: TEMPLATE, experiment: `exp${e}` },
        perExperiment,
        {
          cluster: 'gpu',
        },
      );
    }
  }
}

/** The engine's answers to the poller's ticks over the template workspace: before and after the 1% change. */
async function recordPages(
  backend: ComputeBackend,
  rg: string,
  connectionString: string,
  dir: string,
): Promise<{ steady: string; changed: string }> {
  const engine = await startEngine({
    dataDir: mkdtempSync(join(dir, 'engine-')),
    ...(backend === 'azurebatch'
      ? {
          batch: {
            workspace: { subscriptionId: SCALE_SUB, resourceGroup: rg, workspace: TEMPLATE },
            account: TEMPLATE,
          },
        }
      : {}),
    ...(backend === 'azureml' ? { azureml: {} } : {}),
  });
  try {
    const inner = engine.azureml ? httpClientTrusting(readFileSync(engine.azureml.caFile, 'utf8')) : undefined;
    const wire = recordingTransport(inner);
    const compute = scaleCompute({
      backend,
      endpoint: engine.batch?.url ?? engine.azureml?.url ?? engine.url,
      workspaces: [{ resourceGroup: rg, workspace: TEMPLATE }],
      httpClient: wire.httpClient,
      connectionString,
      batchKey: LOCAL_BATCH_KEY,
    });
    const stores = await createBackendStores(connectionString);
    const poller = createPoller({
      compute,
      workspaces: [{ resourceGroup: rg, workspace: TEMPLATE }],
      stores,
      log: () => {},
    });
    await seed(engine, backend, rg, JOBS_PER_EXPERIMENT);
    await poller.tick();
    const steady = wire.take();
    await seed(engine, backend, rg, CHANGED_PER_EXPERIMENT);
    await poller.tick();
    const changed: Recording = { ...steady, ...wire.take() };
    const files = { steady: join(dir, `${backend}-steady.json`), changed: join(dir, `${backend}-changed.json`) };
    writeFileSync(files.steady, JSON.stringify(steady));
    writeFileSync(files.changed, JSON.stringify(changed));
    return files;
  } finally {
    await engine.stop();
  }
}

async function tick(input: ScaleChildInput): Promise<ScaleChildOutput> {
  const child = join(__dirname, 'scale-child.js');
  const { stdout } = await run(
    process.execPath,
    [
      ...(process.env.SCALE_CHILD_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.SCALE_CHILD_PROF] : []),
      child,
      JSON.stringify(input),
    ],
    { maxBuffer: 1 << 20 },
  );
  const out = JSON.parse(stdout.trim().split('\n').pop()!) as ScaleChildOutput;
  if (out.failed.length) throw new Error(`scale tick: workspaces failed: ${out.failed.slice(0, 3).join('; ')}`);
  return out;
}

export async function benchScale(): Promise<void> {
  const stoppers = createStoppers();
  const dir = mkdtempSync(join(tmpdir(), 'bench-scale-'));
  stoppers.add('temp dir', () => rmSync(dir, { recursive: true, force: true }));
  try {
    const workspaces = Array.from({ length: WORKSPACES }, (_, i) => `wsa${String(i).padStart(2, '0')}`);
    const jobs = WORKSPACES * EXPERIMENTS * JOBS_PER_EXPERIMENT;
    const changed = WORKSPACES * EXPERIMENTS * CHANGED_PER_EXPERIMENT;
    for (const backend of BACKENDS) {
      const rg = `scale${backend}`;
      // An Azurite per backend: Azurite scans its whole table for a query where Table Storage reads the partition's
      // range, so one backend's 100,000 rows would slow the next backend's queries.
      const azurite = await stoppers.track(`Azurite (${backend})`, startAzurite(), (a) => a.stop());
      const files = await recordPages(backend, rg, azurite.connectionString, dir);
      const base = {
        backend,
        connectionString: azurite.connectionString,
        resourceGroup: rg,
        template: TEMPLATE,
        workspaces,
      };
      const first = await tick({ ...base, recordingFile: files.steady });
      const steady = await tick({ ...base, recordingFile: files.steady });
      const moved = await tick({ ...base, recordingFile: files.changed });
      const label = `scale ${backend} (${jobs.toLocaleString('en')} jobs, ${WORKSPACES} workspaces)`;
      console.log(`${label}: baseline tick ${Math.round(first.ms)} ms, ${first.tableWrites} Table writes`);
      for (const [what, r, n] of [
        ['steady tick', steady, 0],
        ['1% changed tick', moved, changed],
      ] as const) {
        record({ name: `${label}: ${what} time`, value: Math.round(r.ms), unit: 'ms', note: 'goal ≤ 5000' });
        record({
          name: `${label}: ${what} peak RSS`,
          value: Math.round(r.peakRssMiB),
          unit: 'MiB',
          note: `goal ≤ 200; the child process running the tick (${Math.round(r.startRssMiB)} MiB before it)`,
        });
        const reads = r.requests - r.pages - r.discovery;
        // Azure ML finds a workspace's run history once per process: every tick here runs in a new one.
        const discovery = r.discovery
          ? ` + ${r.discovery} run-history discovery (once per process: ${r.requests - r.discovery} in a warm one)`
          : '';
        record({
          name: `${label}: ${what} requests`,
          value: r.requests,
          unit: 'requests',
          note: `${r.pages} pages + ${reads} single reads${discovery}; ${n} changed jobs; goal ≤ pages + changed`,
        });
        record({
          name: `${label}: ${what} Table writes`,
          value: r.tableWrites,
          unit: 'requests',
          note: `${n} changed jobs, ${r.events} events`,
        });
      }
    }
  } finally {
    await stoppers.stopAll();
  }
}
