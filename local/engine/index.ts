// The local Batch AI engine: the core (state, clusters, scheduler, processes, persistence) behind the ARM REST
// facade, plus the Azure Files endpoint over the mounted shares. Listens on 127.0.0.1 only: it runs job command
// lines on this machine as the user who started it.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ExperimentRef, WorkspaceRef } from '../../shared/compute/model';
import { startFileService } from '../files';
import type { Hold, OperationKind } from './core/holds';
import { endSeededJobs, seedJobs } from './core/seed';
import type { ExperimentKey, WorkspaceKey } from './core/model';
import type { FaultInjector } from './rest/faults';
import { startArmServer } from './rest/server';
import { LOCAL_BATCH_ACCOUNT, LOCAL_BATCH_KEY } from './batch-rest/local-account';
import { startBatchServer, type BatchServer } from './batch-rest/server';
import { startAmlServer, type AmlServer } from './aml-rest/server';
import { BATCH_ENDPOINT_TAG } from '../../shared/azurebatch/discovery';
import { runCore } from './run-core';
import { ENGINE_STORAGE_ACCOUNT } from './storage-account';

export type { Fault, FaultInjector } from './rest/faults';
export type { Hold, OperationKind } from './core/holds';

export interface EngineOptions {
  /** State and mounted shares live here; survives restart. */
  dataDir: string;
  /** ARM endpoint port; 0 = any free port (default 0). */
  port?: number;
  /** Azure Files endpoint port; default 0. */
  filesPort?: number;
  /** Default 'eastus'. */
  region?: string;
  /** Speeds for tests; defaults are "realistic but short" (allocation ~1.5 s). */
  timing?: { allocationDelayMs?: number; operationDelayMs?: number; schedulerIntervalMs?: number };
  /** The engine's clock (ms since the epoch) for every time it records and every delay it waits; default Date.now. */
  now?: () => number;
  /**
   * Also answer the Azure Batch data plane (batch-rest/): one account whose pools are the clusters of
   * `workspace`. Account and key default to the well-known local ones (batch-rest/local-account.ts).
   */
  batch?: {
    workspace: WorkspaceRef & { subscriptionId: string };
    port?: number;
    account?: string;
    accountKey?: string;
  };
  /** Also answer Azure ML (aml-rest/) over HTTPS: every core workspace, its clusters as AmlCompute computes. */
  azureml?: { port?: number; jobPageSize?: number };
}

export interface EngineAzureMl {
  /** https://127.0.0.1:PORT (ARM base and the workspaces' run-history data plane). */
  url: string;
  /** The facade's certificate, to trust (COMPUTE_CA_FILE). */
  caFile: string;
}

export interface EngineBatchAccount {
  /** The account endpoint, e.g. http://127.0.0.1:PORT */
  url: string;
  account: string;
  accountKey: string;
  /** For tests: resolves once ended tasks' output uploads are done. */
  settle(): Promise<void>;
  /** For benchmarks (batch-rest/seed.ts): jobs over `pools` without running them; `experiment` default exp0..exp9. */
  seedFinishedJobs: BatchServer['seedFinishedJobs'];
  endSeededJobs: BatchServer['endSeededJobs'];
  dropExperiment: BatchServer['dropExperiment'];
}

export interface Engine {
  /** e.g. http://127.0.0.1:PORT (ARM base: `${url}/subscriptions/...`) */
  url: string;
  /** Azure Files-compatible endpoint, path style: `${filesUrl}/<account>/<share>/<path>` */
  filesUrl: string;
  dataDir: string;
  /** The storage account whose file shares the Files endpoint serves (BATCHAI_STORAGE_ACCOUNT / _KEY locally). */
  storageAccount: typeof ENGINE_STORAGE_ACCOUNT;
  /** The folder of an Azure file share of the engine (as mounted by jobs and served by the Files endpoint). */
  shareDir(account: string, share: string): string;
  /** The Azure Batch facade, when started with `batch`. */
  batch?: EngineBatchAccount;
  /** The Azure ML facade, when started with `azureml`. */
  azureml?: EngineAzureMl;
  /** In process only: no request reaches it. */
  faults: FaultInjector;
  /**
   * Bulk-insert finished (succeeded) jobs without running them, or with `running` jobs that stay running (no
   * process) until endSeededJobs; creates workspace/experiment/cluster if missing.
   */
  seedFinishedJobs(
    ref: ExperimentRef & { subscriptionId: string },
    count: number,
    opts?: { cluster?: string; running?: boolean },
  ): Promise<string[]>;
  /** Ends the experiment's running jobs (seeded running) now, all succeeded; resolves with how many. */
  endSeededJobs(ref: ExperimentRef & { subscriptionId: string }): Promise<number>;
  /**
   * For tests: keeps long-running operations of these kinds (default: all) from completing, so their in-progress
   * answers (202, InProgress, 'creating', 'terminating', 'resizing') can be observed; `release()` lets them finish.
   */
  hold(...kinds: OperationKind[]): Hold;
  /** For tests: one scheduler pass now, so "nothing started" can be asserted after a pass rather than after a sleep. */
  tick(): void;
  /** Stops servers and kills running job processes (those jobs are recorded failed). */
  stop(): Promise<void>;
}

/** The folder of an Azure file share of the engine whose data is in `dataDir` (from any process). */
export function engineShareDir(dataDir: string, account: string, share: string): string {
  return join(resolve(dataDir), 'files', account, share);
}

/** The key that signs download URLs, kept in the data dir so links stay valid across restarts. */
function signingKey(dataDir: string): string {
  const file = join(dataDir, 'state', 'signing-key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const key = randomBytes(32).toString('base64');
  mkdirSync(join(dataDir, 'state'), { recursive: true, mode: 0o700 });
  writeFileSync(file, key, { mode: 0o600 });
  return key;
}

export async function startEngine(opts: EngineOptions): Promise<Engine> {
  const dataDir = resolve(opts.dataDir);
  mkdirSync(join(dataDir, 'files'), { recursive: true });
  const running = runCore({ dataDir, timing: opts.timing, region: opts.region, now: opts.now });
  const { core } = running;
  let files;
  let arm;
  let batch: BatchServer | undefined;
  let aml: AmlServer | undefined;
  const account = opts.batch?.account ?? LOCAL_BATCH_ACCOUNT;
  const accountKey = opts.batch?.accountKey ?? LOCAL_BATCH_KEY;
  try {
    files = await startFileService({
      root: join(dataDir, 'files'),
      port: opts.filesPort ?? 0,
      signingKey: signingKey(dataDir),
    });
    core.signer = files.signUrl.bind(files);
    const w = opts.batch?.workspace;
    // The Batch account shows in ARM's generic resource list, its URL in a tag since it is not Azure's.
    arm = await startArmServer(core, opts.port ?? 0, () =>
      batch && w
        ? [
            {
              id:
                `/subscriptions/${w.subscriptionId}/resourceGroups/${w.resourceGroup}` +
                `/providers/Microsoft.Batch/batchAccounts/${account}`,
              name: account,
              type: 'Microsoft.Batch/batchAccounts',
              location: core.region,
              tags: { [BATCH_ENDPOINT_TAG]: batch.url },
            },
          ]
        : [],
    );
    if (w) {
      batch = await startBatchServer({ core, account, accountKey, workspace: workspaceKey(w), port: opts.batch?.port });
    }
    if (opts.azureml) aml = await startAmlServer({ core, signingKey: signingKey(dataDir), ...opts.azureml });
  } catch (e) {
    await batch?.stop();
    await arm?.stop();
    await files?.stop();
    await running.stop();
    throw e;
  }
  const batchServer = batch;
  const fileService = files;
  const armServer = arm;
  let stopping: Promise<void> | undefined;
  return {
    url: armServer.url,
    filesUrl: fileService.url,
    dataDir,
    storageAccount: ENGINE_STORAGE_ACCOUNT,
    shareDir: (account, share) => engineShareDir(dataDir, account, share),
    faults: armServer.faults,
    batch: batchServer && {
      url: batchServer.url,
      account,
      accountKey,
      settle: () => batchServer.settle(),
      seedFinishedJobs: batchServer.seedFinishedJobs,
      endSeededJobs: batchServer.endSeededJobs,
      dropExperiment: batchServer.dropExperiment,
    },
    azureml: aml && { url: aml.url, caFile: aml.caFile },
    hold: running.hold,
    tick: running.tick,
    async seedFinishedJobs(ref, count, seedOpts) {
      return seedJobs(core, experimentKey(ref), count, seedOpts);
    },
    async endSeededJobs(ref) {
      return endSeededJobs(core, experimentKey(ref));
    },
    stop() {
      stopping ??= (async () => {
        await running.stop();
        await Promise.allSettled([armServer.stop(), fileService.stop(), batchServer?.stop(), aml?.stop()]);
      })();
      return stopping;
    },
  };
}

/** The engine's keys are lower-cased, as ARM compares names. */
function workspaceKey(ref: WorkspaceRef & { subscriptionId: string }): WorkspaceKey {
  return {
    sub: ref.subscriptionId.toLowerCase(),
    rg: ref.resourceGroup.toLowerCase(),
    ws: ref.workspace.toLowerCase(),
  };
}

function experimentKey(ref: ExperimentRef & { subscriptionId: string }): ExperimentKey {
  return { ...workspaceKey(ref), exp: ref.experiment.toLowerCase() };
}
