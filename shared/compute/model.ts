// The compute port's own language: what every backend (Batch AI, Azure Batch, Azure ML) maps its
// service's shapes into, and all the product outside the backend folders reads. Field names are the product's,
// not any service's wire names; times are ISO-8601 strings.

export type ComputeBackend = 'batchai' | 'azurebatch' | 'azureml';

/** Names a workspace (a Batch AI workspace, a Batch account, an Azure ML workspace): every call needs these. */
export interface WorkspaceRef {
  resourceGroup: string;
  workspace: string;
}

export interface ExperimentRef extends WorkspaceRef {
  experiment: string;
}

export interface JobRef extends ExperimentRef {
  job: string;
}

export interface ClusterRef extends WorkspaceRef {
  cluster: string;
}

/**
 * `terminated` is a job stopped on request where the service says so apart from a failure; `terminating` is on
 * its way there.
 */
export type JobState = 'queued' | 'running' | 'terminating' | 'succeeded' | 'failed' | 'terminated';

/** How a cluster sizes itself: a fixed node count, or between min and max with the service's auto-scale. */
export type ScaleMode =
  | { mode: 'manual'; targetNodeCount: number }
  | { mode: 'auto'; min: number; max: number; initial?: number };

export interface NodeCounts {
  idle: number;
  running: number;
  preparing: number;
  leaving: number;
  unusable: number;
}

export interface ServiceError {
  code: string;
  message: string;
}

export interface ComputeCluster {
  /** The service's id of the cluster (stable; keys events). */
  id: string;
  name: string;
  vmSize: string;
  vmPriority?: string;
  allocationState: 'steady' | 'resizing';
  /** When allocationState last changed, by the service's clock. */
  allocationChangedAt?: string;
  createdAt?: string;
  currentNodeCount: number;
  nodes: NodeCounts;
  scale: ScaleMode;
  /** How long an idle node is kept before the service scales it down itself, where the backend has that. */
  idleSeconds?: number;
  errors: ServiceError[];
}

export interface ComputeJob {
  /** The service's id of the job (stable; keys events). */
  id: string;
  name: string;
  /** The name the service knows the job by, where it differs from `name` (Azure ML's are unique per workspace). */
  serviceName?: string;
  /** The experiment label the product files the job under. */
  experiment: string;
  state: JobState;
  /** When `state` last changed, by the service's clock. */
  stateChangedAt?: string;
  cluster: string;
  nodeCount: number;
  toolType?: string;
  priority?: string;
  createdAt?: string;
  startedAt?: string;
  endedAt?: string;
  exitCode?: number;
  errors: ServiceError[];
  /** Ids of the job's output directories (the logs' `stdouterr` is always there too). */
  outputDirectoryIds: string[];
}

/** One file of a job's output directory, with an expiring read-only link where the backend gives one. */
export interface OutputFile {
  name: string;
  isDirectory: boolean;
  size?: number;
  url?: string;
}

export interface ListOutputFilesOptions {
  /** Output directory id; 'stdouterr' is the job's stdout.txt / stderr.txt. */
  outputDirectoryId: string;
  /** Sub-path below the output directory. */
  directory?: string;
  linkExpiryInMinutes?: number;
  maxResults?: number;
}

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

/** The request a submit would send to this backend: what a dry run shows (secrets masked by the caller). */
export interface SubmitDescription {
  /** e.g. `PUT https://management.azure.com/…?api-version=2018-05-01`, one line per request. */
  requests: Array<{ method: string; path: string; body: unknown }>;
}

/** What a backend's things are called on a card: a Batch account is not a "workspace" to its users. */
export interface BackendLabels {
  service: string;
  workspace: string;
  cluster: string;
}

/** A job in one of these states will not change any more. */
export function isFinalState(s: JobState): boolean {
  return s === 'succeeded' || s === 'failed' || s === 'terminated';
}
