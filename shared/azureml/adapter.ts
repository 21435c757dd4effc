// The compute port on Azure ML: workspace = Azure ML workspace, cluster = AmlCompute, experiment = a job's
// experimentName, job = a command job named `<experiment>--<job>` (to-model.ts; Azure ML's names are unique per
// workspace). Limits, written down:
// - the workspace's jobs are listed once per poll (one paged list made anew by listExperiments, which a poll calls
//   first, shared with every experiment's listJobs for `listingTtlMs`, dropped on any write and when the poll releases
//   it) and grouped by experiment here: the ARM list has no experiment filter. A listing keeps each job in the model's
//   form, not the service's resource (a poll holds a few workspaces' listings at once). An ended job read while a
//   complete listing is that young is taken from it and only run history asked (the cards a tick delivers itself read
//   how their jobs ended before it releases the listing: services/end-details.ts). Not safe across instances: each
//   lists for itself.
// - a scale change is accepted by the service (202) and answered with the compute as it reads right after.
// - log tails and output links come from the run-history data plane: the run's log file URLs and its artifacts'
//   content URLs (expiring links), read by byte range (log-tail.ts).
import type { HttpClient } from '@azure/core-rest-pipeline';
import type { ComputeJob, JobRef, OutputFile, ScaleMode, WorkspaceRef } from '../compute/model';
import { isFinalState } from '../compute/model';
import { createListings, type Listing as ListingOf } from '../compute/listings';
import type { ComputePort } from '../compute/port';
import type { JobCreateParameters } from '../compute/job-file';
import { ComputeError, InputError, isNotFound, ProtocolError } from '../errors';
import type { AmlClient } from './client';
import { translateCommandJob, type TranslatedCommandJob } from './command-job';
import { readUrlTail, urlFileSize } from './log-tail';
import { amlJobName, clusterOf, durationSeconds, jobOf, withRunDetails } from './to-model';
import { AML_API_VERSION, type JobResource, type ScaleSettings } from './types';

export const AZURE_ML_LABELS = { service: 'Azure ML', workspace: 'Workspace', cluster: 'Compute' } as const;

/** Azure ML's default idle time before an AmlCompute gives a node back, used where a compute names none. */
const DEFAULT_IDLE = 'PT120S';
/** The run's main log (stdout and stderr together) and the per-process ones of a distributed job. */
const MAIN_LOG = 'user_logs/std_log.txt';
const PROCESS_LOG = /^user_logs\/std_log_process_(\d+)\.txt$/;

export interface AzureMlAdapterOptions {
  client: AmlClient;
  /** The transport of log and artifact reads (the one trusting COMPUTE_CA_FILE). */
  fileHttpClient?: HttpClient;
  /** How long one listing of a workspace's jobs serves a poll's calls (default 2000 ms). */
  listingTtlMs?: number;
  now?: () => number;
}

/** Its jobs by lower-cased experiment name, experiments in the order the service listed them first. */
type Listing = ListingOf<Map<string, ComputeJob[]>>;

async function byExperiment(resources: AsyncIterable<JobResource>): Promise<Map<string, ComputeJob[]>> {
  const out = new Map<string, ComputeJob[]>();
  for await (const r of resources) {
    const job = jobOf(r);
    const key = job.experiment.toLowerCase();
    const list = out.get(key);
    if (list) list.push(job);
    else out.set(key, [job]);
  }
  return out;
}

/** Where the product's output directory `id` of the Azure ML job `name` is kept: the run's own artifacts. */
export function outputUri(name: string, id: string): string {
  return `azureml://datastores/workspaceartifactstore/paths/ExperimentRun/dcid.${name}/outputs/${id}`;
}

/** A run-history log name → the name the product's cards read (stdout.txt, stdout-worker-<i>.txt). */
function logName(path: string): string | undefined {
  if (path === MAIN_LOG) return 'stdout.txt';
  const m = PROCESS_LOG.exec(path);
  if (m) return m[1] === '0' ? undefined : `stdout-worker-${m[1]}.txt`;
  return undefined;
}

export function createAzureMlAdapter(o: AzureMlAdapterOptions): ComputePort {
  const { client } = o;
  const now = o.now ?? Date.now;
  const listings = createListings<Listing>(o.listingTtlMs ?? 2000, now);
  const key = (ws: WorkspaceRef): string => `${ws.resourceGroup}/${ws.workspace}`.toLowerCase();

  function listing(ws: WorkspaceRef, fresh = false): Listing {
    return listings.get(key(ws), fresh, () => ({ jobs: byExperiment(client.listJobs(ws)) }));
  }

  function translate(ref: JobRef, params: JobCreateParameters): TranslatedCommandJob {
    const p = params.properties;
    if (!p) throw new InputError('InvalidOption', 'The job has no properties: expected a Batch AI job.json body.');
    const cluster = /\/clusters\/([^/]+)\/?$/i.exec(p.cluster.id)?.[1] ?? p.cluster.id;
    return translateCommandJob(
      p,
      {
        subscriptionId: client.subscriptionId,
        resourceGroup: ref.resourceGroup,
        workspace: ref.workspace,
        experiment: ref.experiment,
        job: ref.job,
        jobName: amlJobName(ref.experiment, ref.job),
      },
      cluster,
    );
  }

  /** The Azure ML job behind the product's ref: the derived name, or a job made elsewhere under its own name. */
  async function jobResource(ref: JobRef): Promise<JobResource> {
    try {
      return await client.getJob(ref, amlJobName(ref.experiment, ref.job));
    } catch (e) {
      if (!isNotFound(e)) throw e;
      const own = await client.getJob(ref, ref.job);
      if ((own.properties.experimentName ?? 'Default').toLowerCase() !== ref.experiment.toLowerCase()) throw e;
      return own;
    }
  }

  /**
   * An ended job as a complete listing younger than its TTL has it: an ended job's resource no longer changes, so a
   * read of it gains nothing over the listing; a job still going is read live.
   */
  async function listedJob(ref: JobRef): Promise<ComputeJob | undefined> {
    const l = listings.young(key(ref));
    if (!l) return undefined;
    const name = ref.job.toLowerCase();
    const job = (await l.jobs).get(ref.experiment.toLowerCase())?.find((j) => j.name.toLowerCase() === name);
    return job && isFinalState(job.state) ? job : undefined;
  }

  const amlNameOf = async (ref: JobRef): Promise<string> => (await jobResource(ref)).name ?? ref.job;

  /** `fn` on the derived name, which the product's own jobs have (no lookup first); a 404 tries the job's own. */
  async function byName<T>(ref: JobRef, fn: (name: string) => Promise<T>): Promise<T> {
    try {
      return await fn(amlJobName(ref.experiment, ref.job));
    } catch (e) {
      if (!isNotFound(e)) throw e;
      const own = await amlNameOf(ref);
      if (own === amlJobName(ref.experiment, ref.job)) throw e;
      return fn(own);
    }
  }

  function scaleSettingsOf(s: ScaleMode, idle: string): ScaleSettings {
    if (s.mode === 'manual') {
      const n = s.targetNodeCount;
      return { minNodeCount: n, maxNodeCount: n, nodeIdleTimeBeforeScaleDown: idle };
    }
    if (s.mode === 'auto') return { minNodeCount: s.min, maxNodeCount: s.max, nodeIdleTimeBeforeScaleDown: idle };
    throw new InputError('InvalidOption', 'scale: expected mode manual or auto.');
  }

  async function* stdoutErr(ref: JobRef): AsyncIterable<OutputFile> {
    const details = await byName(ref, (n) => client.runDetails(ref, n));
    for (const [path, url] of Object.entries(details.logFiles ?? {})) {
      const name = logName(path);
      // Run history gives links, not sizes: one HEAD each (cards show the size; the tail then needs no HEAD).
      if (name) yield { name, isDirectory: false, url, size: await urlFileSize(url, o.fileHttpClient) };
    }
  }

  async function* artifacts(ref: JobRef, id: string, directory: string | undefined, max: number) {
    const name = await amlNameOf(ref);
    const sub = directory ? `/${directory.replace(/^\/+|\/+$/g, '')}` : '';
    const prefix = `outputs/${id}${sub}`;
    let n = 0;
    for await (const a of client.listArtifacts(ref, name, prefix)) {
      if (n++ >= max) return;
      const path = a.path ?? '';
      const rel = path.startsWith(`outputs/${id}/`) ? path.slice(`outputs/${id}/`.length) : path;
      yield { name: rel, isDirectory: false, ...(a.contentUri ? { url: a.contentUri } : {}) } satisfies OutputFile;
    }
  }

  return {
    backend: 'azureml',
    labels: AZURE_ML_LABELS,
    subscriptionId: client.subscriptionId,
    async *listClusters(ws) {
      for await (const c of client.listComputes(ws)) if (c.properties?.computeType === 'AmlCompute') yield clusterOf(c);
    },
    getCluster: async (ref) => clusterOf(await client.getCompute(ref)),
    async scaleCluster(ref, s) {
      const cur = await client.getCompute(ref);
      const idle = cur.properties?.properties?.scaleSettings?.nodeIdleTimeBeforeScaleDown;
      await client.updateScale(ref, scaleSettingsOf(s, durationSeconds(idle) === undefined ? DEFAULT_IDLE : idle!));
      return clusterOf(await client.getCompute(ref));
    },
    async *listExperiments(ws) {
      for (const [first] of (await listing(ws, true).jobs).values()) yield first!.experiment;
    },
    // An experiment is a label on jobs: it exists as soon as a job names it.
    getExperiment: async () => undefined,
    ensureExperiment: async () => undefined,
    async *listJobs(ref) {
      yield* (await listing(ref).jobs).get(ref.experiment.toLowerCase()) ?? [];
    },
    releaseListing: (ws) => listings.drop(key(ws)),
    // One job read also asks run history when it ran and how it ended (a card reads an ended job so).
    async getJob(ref) {
      const job = (await listedJob(ref)) ?? jobOf(await jobResource(ref));
      if (job.state === 'queued') return job;
      try {
        return withRunDetails(job, await client.runDetails(ref, job.serviceName ?? job.name));
      } catch (e) {
        // The job as ARM has it is still the answer: run history adds detail, it is not the source of truth.
        if (e instanceof ComputeError || e instanceof ProtocolError) return job;
        throw e;
      }
    },
    describeSubmit(ref, params) {
      const t = translate(ref, params);
      const ws = `${client.endpoint}${client.workspacePath(ref)}`;
      const q = `?api-version=${AML_API_VERSION}`;
      return {
        requests: [
          ...(t.environment
            ? [
                {
                  method: 'PUT',
                  path: `${ws}/environments/${t.environment.name}/versions/${t.environment.version}${q}`,
                  body: t.environment.body,
                },
              ]
            : []),
          {
            method: 'PUT',
            path: `${ws}/jobs/${amlJobName(ref.experiment, ref.job)}${q}`,
            body: withOutputUris(ref, t),
          },
        ],
      };
    },
    async submitJob(ref, params) {
      const t = translate(ref, params);
      listings.drop(key(ref));
      if (t.environment)
        await client.putEnvironmentVersion(ref, t.environment.name, t.environment.version, t.environment.body);
      return jobOf(await client.putJob(ref, amlJobName(ref.experiment, ref.job), withOutputUris(ref, t)));
    },
    async terminateJob(ref) {
      listings.drop(key(ref));
      await byName(ref, async (name) => {
        try {
          await client.cancelJob(ref, name);
        } catch (e) {
          // Already ended: Batch AI answered such a terminate with success too.
          if (!(e instanceof ComputeError) || e.status >= 500 || e.status === 404) throw e;
          if (!isFinalState(jobOf(await client.getJob(ref, name)).state)) throw e;
        }
      });
    },
    listOutputFiles(ref, opts) {
      if (opts.outputDirectoryId.toLowerCase() === 'stdouterr') return stdoutErr(ref);
      return artifacts(ref, opts.outputDirectoryId, opts.directory, opts.maxResults ?? 1000);
    },
    async readTail(_ref, file, opts) {
      if (!file.url) return { lines: [], truncated: false };
      const t = await readUrlTail(file.url, { ...opts, size: file.size, httpClient: o.fileHttpClient });
      return { lines: t.lines, truncated: t.truncated };
    },
  };
}

/** The job body with each output kept in the run's artifacts, where listOutputFiles finds it. */
function withOutputUris(ref: JobRef, t: TranslatedCommandJob): TranslatedCommandJob['job'] {
  const outputs = t.job.properties.outputs;
  if (!outputs) return t.job;
  const name = amlJobName(ref.experiment, ref.job);
  const withUris = Object.fromEntries(
    Object.entries(outputs).map(([id, out]) => [id, out && { ...out, uri: outputUri(name, id) }]),
  );
  return { properties: { ...t.job.properties, outputs: withUris } };
}
