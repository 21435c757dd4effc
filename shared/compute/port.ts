// The one compute port the bot, the poller, the notifier, idle scale-down and approvals use: clusters, jobs,
// submit, terminate, scale, output files and log tails, in the Batch AI shapes the views and diff read.
// Two implementations: Batch AI (batchai-compute.ts: the ARM client + tails through Azure Files URLs) and
// Azure Batch (azurebatch-compute.ts: pools/jobs/tasks + tails through the Batch file API, links to blobs).
import type { BatchAi, JobRef } from '../batchai/port';
import type { File } from '../batchai/types';

export type ComputeBackend = 'batchai' | 'azurebatch';

export interface TailOptions {
  /** How much of the end of the file to fetch (one ranged read of at most this many bytes). */
  maxBytes: number;
  /** At most this many lines are returned (the last ones). */
  maxLines: number;
}

export interface LogTail {
  lines: string[];
  /** Earlier content exists that is not in `lines`. */
  truncated: boolean;
}

export type ComputePort = Pick<BatchAi,
  'listClusters' | 'getCluster' | 'updateClusterScale' |
  'listExperiments' | 'getExperiment' | 'createExperiment' |
  'listJobs' | 'getJob' | 'createJob' | 'terminateJob' | 'listOutputFiles'> & {
  readonly backend: ComputeBackend;
  /** Where job files' cluster ids point (/subscriptions/<id>/…). */
  readonly subscriptionId: string;
  /** The end of `file` (as listOutputFiles listed it under 'stdouterr'), never a download of the whole file. */
  readTail(ref: JobRef, file: File, opts: TailOptions): Promise<LogTail>;
};
