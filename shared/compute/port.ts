// The one compute port the bot, the poller, the notifier, idle scale-down and approvals use: clusters, jobs,
// submit, terminate, scale, output files and log tails, in the port's own model (model.ts). Each backend folder
// maps its service into it: shared/batchai/compute.ts (ARM REST + tails through Azure Files URLs) and
// shared/azurebatch/adapter.ts (pools/jobs/tasks + tails through the Batch file API, links to blobs).
// Every method throws ComputeError (shared/errors.ts) for the service's errors, with the service's code.
import type { JobCreateParameters } from './job-file';
import type {
  BackendLabels,
  ClusterRef,
  ComputeBackend,
  ComputeCluster,
  ComputeJob,
  ExperimentRef,
  JobRef,
  ListOutputFilesOptions,
  LogTail,
  OutputFile,
  ScaleMode,
  SubmitDescription,
  TailOptions,
  WorkspaceRef,
} from './model';

export interface ComputePort {
  readonly backend: ComputeBackend;
  readonly labels: BackendLabels;
  /** Where job files' cluster ids point (/subscriptions/<id>/…). */
  readonly subscriptionId: string;

  listClusters(ws: WorkspaceRef): AsyncIterable<ComputeCluster>;
  getCluster(ref: ClusterRef): Promise<ComputeCluster>;
  /** Sets the scale mode and answers the cluster as the service shows it right after (often still resizing). */
  scaleCluster(ref: ClusterRef, scale: ScaleMode): Promise<ComputeCluster>;

  /** The experiment labels the workspace's jobs are filed under. */
  listExperiments(ws: WorkspaceRef): AsyncIterable<string>;
  /** Throws a 404 ComputeError when the experiment does not exist (where experiments are resources). */
  getExperiment(ref: ExperimentRef): Promise<void>;
  /** Makes sure jobs can be filed under the experiment (creates it where it is a resource). */
  ensureExperiment(ref: ExperimentRef): Promise<void>;

  /** One request per page, following the service's paging; never a GET per job. */
  listJobs(ref: ExperimentRef): AsyncIterable<ComputeJob>;
  getJob(ref: JobRef): Promise<ComputeJob>;
  /**
   * A poll (or idle pass) is done with the workspace: an adapter that shares one listing of its jobs between the
   * poll's calls (Azure Batch, Azure ML) drops it now rather than when its age runs out, so a tick over many
   * workspaces holds the listings of those it is polling, not of every workspace polled in the last `ttlMs`.
   * Local memory only: no request, cannot fail.
   */
  releaseListing?(ws: WorkspaceRef): void;
  /** The requests submitJob would send for this Batch AI job.json (the template input of every backend). */
  describeSubmit(ref: JobRef, job: JobCreateParameters): SubmitDescription;
  /** Submits without waiting for the job to start; answers the job as the service shows it then. */
  submitJob(ref: JobRef, job: JobCreateParameters): Promise<ComputeJob>;
  /** Asks the service to stop the job, without waiting for it to stop; a job already ended is no error. */
  terminateJob(ref: JobRef): Promise<void>;

  listOutputFiles(ref: JobRef, opts: ListOutputFilesOptions): AsyncIterable<OutputFile>;
  /** The end of `file` (as listOutputFiles listed it under 'stdouterr'), never a download of the whole file. */
  readTail(ref: JobRef, file: OutputFile, opts: TailOptions): Promise<LogTail>;
}
