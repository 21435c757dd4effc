// The compute port on Azure Batch: workspace = account, cluster = pool, experiment = a job metadata label, job =
// one Batch job with one task (batch-job.ts translates the Batch AI job.json a template gives). Limits, written down:
// - the account's jobs are listed once per poll (one paged list with $select, made anew by listExperiments, which a
//   poll calls first, shared with every experiment's listJobs for `listingTtlMs`, dropped on any write and when the
//   poll releases it) and grouped by experiment here: Batch cannot filter on metadata. A listing keeps each job in the
//   model's form, not the service's resource (a poll holds a few accounts' listings at once). Active jobs cost one task
//   GET each: only the task tells queued from running. An ended job read while a complete listing is that young is
//   taken from it and only its task read (the cards a tick delivers itself read how their jobs ended before it releases
//   the listing: services/end-details.ts). Not safe across instances: each instance lists for itself.
// - a manual resize of an auto-scaled pool disables auto-scale first (Batch answers 409 otherwise), and a
//   409 from a resize already under way stops it and retries once.
import { collect } from '../core/collect';
import {
  isFinalState,
  type ClusterRef,
  type ComputeCluster,
  type ComputeJob,
  type JobRef,
  type ListOutputFilesOptions,
  type OutputFile,
  type WorkspaceRef,
} from '../compute/model';
import { createListings, type Listing as ListingOf } from '../compute/listings';
import type { ComputePort } from '../compute/port';
import type { JobCreateParameters } from '../compute/job-file';
import { tailLines } from '../storage/file-tail-lines';
import { autoScaleFormula } from '../core/autoscale-formula';
import { BATCH_TASK_ID, STDOUTERR_ID, translateJob } from './batch-job';
import { ComputeError, InputError, isNotFound } from '../errors';
import { batchError } from './batch-error';
import type { BatchClient } from './client';
import { BATCH_API_VERSION } from './pipeline';
import {
  clusterOf,
  completedWithTask,
  experimentOf,
  jobOf,
  lowPriorityPool,
  poolIdOf,
  type AccountRef,
} from './to-model';
import type { OutputBlobs } from '../storage/output-blobs';
import type { BatchJob, BatchTask, NodeDeallocationOption, PoolNodeCounts } from './types';

export const AZURE_BATCH_LABELS = { service: 'Azure Batch', workspace: 'Account', cluster: 'Pool' } as const;

export interface AzureBatchAccount extends AccountRef {
  client: BatchClient;
}

export interface AzureBatchAdapterOptions {
  /** The subscription the accounts (workspaces) are named under in cluster ids. */
  subscriptionId: string;
  accounts: AzureBatchAccount[];
  /**
   * The blob container outputs upload to (a write SAS URL locally, a plain URL with the pools' identity in
   * Azure) and its links.
   */
  outputs: OutputBlobs;
  /** How long one listing of an account's jobs serves a poll's calls (default 2000 ms). */
  listingTtlMs?: number;
  now?: () => number;
}

export type ComputeOperations = ComputePort & {
  deleteJob(ref: JobRef): Promise<void>;
};

/** The task's own logs at its directory's top: stdout.txt, stderr.txt (and a distributed job's per-process ones). */
const STD_FILE = /^std[^/\\]*\.txt$/;

/** What a tick diffs; everything else stays on the service. */
export const JOB_FIELDS = [
  'id',
  'state',
  'stateTransitionTime',
  'creationTime',
  'priority',
  'poolInfo',
  'executionInfo',
  'metadata',
  'constraints',
];

/** A listed job in the model's form without its task; an active one also as the service has it (see listJobs). */
interface ListedJob {
  job: ComputeJob;
  active?: BatchJob;
}

/** An account's jobs: by lower-cased experiment, in the order listed, and the experiments' names as listed. */
interface AccountJobs {
  experiments: string[];
  byExperiment: Map<string, ListedJob[]>;
}

interface Listing extends ListingOf<AccountJobs> {
  /** Job id → job, made on the first single read that asks. */
  byId?: Map<string, ListedJob>;
  tasks: Map<string, Promise<BatchTask | undefined>>;
}

export function createAzureBatchAdapter(o: AzureBatchAdapterOptions): ComputeOperations {
  const now = o.now ?? Date.now;
  const listings = createListings<Listing>(o.listingTtlMs ?? 2000, now);
  function accountOf(ref: WorkspaceRef): AzureBatchAccount {
    const a = o.accounts.find((x) => x.account.toLowerCase() === ref.workspace.toLowerCase());
    if (!a) {
      throw batchError(
        'AccountNotFound',
        `No Batch account '${ref.workspace}' is configured: ` +
          `expected one of ${o.accounts.map((x) => x.account).join(', ') || '(none)'}.`,
        404,
      );
    }
    return a;
  }

  async function taskOf(a: AzureBatchAccount, jobId: string): Promise<BatchTask | undefined> {
    try {
      return await a.client.getTask(jobId, BATCH_TASK_ID);
    } catch (e) {
      if (isNotFound(e)) return undefined; // a job whose task is not added yet (or was created elsewhere)
      throw e;
    }
  }

  /**
   * The account's jobs, each kept in the model's form as its page is read (the service's resources go with their
   * page); an active job's resource is kept too: its task, read when it is listed, tells queued from running.
   */
  async function accountJobs(a: AzureBatchAccount): Promise<AccountJobs> {
    const out: AccountJobs = { experiments: [], byExperiment: new Map() };
    const names = new Set<string>();
    for await (const j of a.client.listJobs({ select: JOB_FIELDS })) {
      const job = jobOf(a, j);
      if (!names.has(job.experiment)) {
        names.add(job.experiment);
        out.experiments.push(job.experiment);
      }
      const key = job.experiment.toLowerCase();
      const listed = j.state === 'active' ? { job, active: j } : { job };
      const group = out.byExperiment.get(key);
      if (group) group.push(listed);
      else out.byExperiment.set(key, [listed]);
    }
    return out;
  }

  /** `fresh`: a new listing whatever its age (a poll starts with listExperiments, so each poll reads the service). */
  function listing(a: AzureBatchAccount, fresh = false): Listing {
    return listings.get(a.account, fresh, () => ({ jobs: accountJobs(a), tasks: new Map() }));
  }

  /**
   * An ended job as a complete listing younger than its TTL has it, with that listing: an ended job's fields no
   * longer change, so a read of it gains nothing over the listing; a job still going is read live.
   */
  async function listedJob(a: AzureBatchAccount, id: string): Promise<{ job: ComputeJob; l: Listing } | undefined> {
    const l = listings.young(a.account);
    if (!l) return undefined;
    if (!l.byId) {
      const byId = new Map<string, ListedJob>();
      for (const group of (await l.jobs).byExperiment.values()) for (const x of group) byId.set(x.job.name, x);
      l.byId = byId;
    }
    const job = l.byId.get(id)?.job;
    return job && isFinalState(job.state) ? { job, l } : undefined;
  }

  /** The task of an active job, once per listing. */
  function listedTask(a: AzureBatchAccount, l: Listing, jobId: string): Promise<BatchTask | undefined> {
    let t = l.tasks.get(jobId);
    if (!t) l.tasks.set(jobId, (t = taskOf(a, jobId)));
    return t;
  }

  /** The Batch job and task a Batch AI job.json becomes (refused up front where it cannot be mapped). */
  function translate(ref: JobRef, params: JobCreateParameters, out: { url: string; identity?: string }) {
    if (!params.properties)
      throw new InputError('InvalidOption', 'The job has no properties: expected a Batch AI job.json body.');
    return translateJob(params.properties, {
      jobId: ref.job,
      poolId: poolIdOf(params.properties.cluster.id),
      experiment: ref.experiment,
      outputContainerUrl: out.url,
      outputIdentity: out.identity,
    });
  }

  async function write<T>(a: AzureBatchAccount, fn: () => Promise<T>): Promise<T> {
    listings.drop(a.account);
    return fn();
  }

  async function getCluster(ref: ClusterRef): Promise<ComputeCluster> {
    const a = accountOf(ref);
    const pool = await a.client.getPool(ref.cluster);
    const [counts] = await collect(a.client.listPoolNodeCounts({ filter: `poolId eq '${pool.id}'` }));
    return clusterOf(a, pool, counts);
  }

  async function resize(
    a: AzureBatchAccount,
    poolId: string,
    body: object,
    deallocation: NodeDeallocationOption,
  ): Promise<void> {
    try {
      await a.client.resizePool(poolId, { ...body, nodeDeallocationOption: deallocation });
    } catch (e) {
      if (!(e instanceof ComputeError) || e.status !== 409) throw e;
      const pool = await a.client.getPool(poolId);
      if (pool.enableAutoScale) await a.client.disablePoolAutoScale(poolId);
      else await a.client.stopPoolResize(poolId);
      await a.client.resizePool(poolId, { ...body, nodeDeallocationOption: deallocation });
    }
  }

  async function getJob(ref: JobRef): Promise<ComputeJob> {
    const a = accountOf(ref);
    const notHere = () =>
      batchError('JobNotFound', `The job '${ref.job}' is not in experiment '${ref.experiment}'.`, 404);
    const listed = await listedJob(a, ref.job);
    if (listed) {
      if (listed.job.experiment.toLowerCase() !== ref.experiment.toLowerCase()) throw notHere();
      return completedWithTask(listed.job, await listedTask(a, listed.l, ref.job));
    }
    const job = await a.client.getJob(ref.job);
    if ((experimentOf(job) ?? 'default').toLowerCase() !== ref.experiment.toLowerCase()) throw notHere();
    return jobOf(a, job, await taskOf(a, ref.job));
  }

  /**
   * 'stdouterr': the task's log files as the Batch file API lists them (sizes while it runs), linked to the
   * blobs they are uploaded to when the task ends; an output directory: the blobs uploaded below it.
   */
  async function* listOutputFiles(
    a: AzureBatchAccount,
    ref: JobRef,
    opts: ListOutputFilesOptions,
  ): AsyncIterable<OutputFile> {
    const expiryMinutes = opts.linkExpiryInMinutes ?? 60;
    const max = opts.maxResults ?? 1000;
    const sub = opts.directory ? `/${opts.directory.replace(/^\/+|\/+$/g, '')}` : '';
    if (opts.outputDirectoryId.toLowerCase() === STDOUTERR_ID) {
      for await (const f of a.client.listTaskFiles(ref.job, BATCH_TASK_ID)) {
        if (f.isDirectory || !f.name || !STD_FILE.test(f.name)) continue;
        const url = await o.outputs.link(`${ref.job}/${STDOUTERR_ID}/${f.name}`, expiryMinutes);
        yield { name: f.name, isDirectory: false, url, size: f.properties?.contentLength ?? 0 };
      }
      return;
    }
    const prefix = `${ref.job}/outputs/${opts.outputDirectoryId}${sub}`;
    for await (const b of o.outputs.list(prefix, { expiryMinutes, max })) {
      yield { name: b.name, isDirectory: false, url: b.url, size: b.size };
    }
  }

  return {
    backend: 'azurebatch',
    labels: AZURE_BATCH_LABELS,
    subscriptionId: o.subscriptionId,
    async *listClusters(ref) {
      const a = accountOf(ref);
      const counts = new Map<string, PoolNodeCounts>();
      for await (const c of a.client.listPoolNodeCounts()) counts.set(c.poolId, c);
      for await (const p of a.client.listPools()) yield clusterOf(a, p, counts.get(p.id));
    },
    getCluster,
    async scaleCluster(ref, s) {
      const a = accountOf(ref);
      const pool = await a.client.getPool(ref.cluster);
      const low = lowPriorityPool(pool);
      if (s.mode === 'manual') {
        if (pool.enableAutoScale) await a.client.disablePoolAutoScale(pool.id);
        const target = s.targetNodeCount;
        const body = low
          ? { targetDedicatedNodes: 0, targetLowPriorityNodes: target }
          : { targetDedicatedNodes: target };
        // Running tasks go back to the queue, as Batch AI's default deallocation option did.
        await resize(a, pool.id, body, 'requeue');
      } else if (s.mode === 'auto') {
        const formula = autoScaleFormula({ min: s.min, max: s.max }, low);
        await a.client.enablePoolAutoScale(pool.id, { autoScaleFormula: formula, autoScaleEvaluationInterval: 'PT5M' });
        const run = await a.client.evaluatePoolAutoScale(pool.id, formula);
        if (run.error)
          throw batchError(
            run.error.code ?? 'AutoScaleEvaluationFailed',
            run.error.message ?? 'The auto-scale formula did not evaluate.',
            400,
          );
      } else {
        throw new InputError('InvalidOption', 'scale: expected mode manual or auto.');
      }
      return getCluster(ref);
    },

    async *listExperiments(ref) {
      yield* (await listing(accountOf(ref), true).jobs).experiments;
    },
    // An experiment is a label on jobs: it exists as soon as it is named.
    getExperiment: async () => undefined,
    ensureExperiment: async () => undefined,

    async *listJobs(ref) {
      const a = accountOf(ref);
      const l = listing(a);
      for (const { job, active } of (await l.jobs).byExperiment.get(ref.experiment.toLowerCase()) ?? []) {
        yield active ? jobOf(a, active, await listedTask(a, l, active.id)) : job;
      }
    },
    getJob,
    releaseListing(ref) {
      const a = o.accounts.find((x) => x.account.toLowerCase() === ref.workspace.toLowerCase());
      if (a) listings.drop(a.account);
    },
    describeSubmit(ref, params) {
      const { job, task } = translate(ref, params, { url: o.outputs.containerUrl });
      const a = accountOf(ref);
      return {
        requests: [
          { method: 'POST', path: `${a.client.endpoint}/jobs?api-version=${BATCH_API_VERSION}`, body: job },
          {
            method: 'POST',
            path: `${a.client.endpoint}/jobs/${job.id}/tasks?api-version=${BATCH_API_VERSION}`,
            body: task,
          },
        ],
      };
    },
    async submitJob(ref, params) {
      const a = accountOf(ref);
      const { job, task } = translate(ref, params, await o.outputs.uploadTarget());
      await write(a, () => a.client.createJob(job));
      try {
        await a.client.createTask(job.id, task);
      } catch (e) {
        // Nothing half-done: a job without its task would never end.
        await a.client.deleteJob(job.id).catch(() => undefined);
        throw e;
      }
      return getJob(ref);
    },
    async terminateJob(ref) {
      const a = accountOf(ref);
      try {
        await write(a, () => a.client.terminateJob(ref.job));
      } catch (e) {
        // Already ended: Batch AI answered such a terminate with success too.
        if (!(e instanceof ComputeError && e.code === 'JobCompleted')) throw e;
      }
    },
    deleteJob: async (ref) => {
      const a = accountOf(ref);
      await write(a, () => a.client.deleteJob(ref.job));
    },
    listOutputFiles: (ref, opts) => listOutputFiles(accountOf(ref), ref, opts),
    // Through the Batch file API, by byte range: HEAD for the size, one ranged GET (the file may still grow).
    async readTail(ref, file, opts) {
      if (!file.name) return { lines: [], truncated: false };
      const t = await accountOf(ref).client.readTaskFileTail(ref.job, BATCH_TASK_ID, file.name, opts.maxBytes);
      return tailLines(t.bytes, t.size - t.bytes.length, opts.maxLines);
    },
  };
}
