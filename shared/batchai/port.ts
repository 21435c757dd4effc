// The one interface the rest of the product uses to reach Batch AI. `client.ts` implements it over ARM REST
// (the real service or the local engine: only endpoint and credential differ); tests may pass the real client
// pointed at the engine. Every method throws `ComputeError` (shared/errors.ts) for an ARM error body.
import type {
  Cluster,
  ClusterCreateParameters,
  Experiment,
  File,
  FileServer,
  Job,
  JobCreateParameters,
  RemoteLoginInformation,
  ScaleSettings,
  Usage,
  Workspace,
  WorkspaceCreateParameters,
} from './types';
import type { ClusterRef, ExperimentRef, JobRef, ListOutputFilesOptions, WorkspaceRef } from '../compute/model';

/** Options every long-running call accepts. */
export interface LroOptions {
  /** false: return as soon as the service accepted (202) without waiting for the operation to finish. */
  wait?: boolean;
  abortSignal?: AbortSignal;
}

export interface BatchAi {
  readonly subscriptionId: string;

  listWorkspaces(): AsyncIterable<Workspace>;
  listWorkspacesByResourceGroup(resourceGroup: string): AsyncIterable<Workspace>;
  getWorkspace(ref: WorkspaceRef): Promise<Workspace>;
  createWorkspace(ref: WorkspaceRef, params: WorkspaceCreateParameters, opts?: LroOptions): Promise<Workspace>;
  deleteWorkspace(ref: WorkspaceRef, opts?: LroOptions): Promise<void>;

  listExperiments(ref: WorkspaceRef): AsyncIterable<Experiment>;
  getExperiment(ref: ExperimentRef): Promise<Experiment>;
  createExperiment(ref: ExperimentRef, opts?: LroOptions): Promise<Experiment>;
  deleteExperiment(ref: ExperimentRef, opts?: LroOptions): Promise<void>;

  listClusters(ref: WorkspaceRef): AsyncIterable<Cluster>;
  getCluster(ref: ClusterRef): Promise<Cluster>;
  createCluster(ref: ClusterRef, params: ClusterCreateParameters, opts?: LroOptions): Promise<Cluster>;
  /**
   * PATCH scaleSettings: `{ manual: { targetNodeCount } }` or
   * `{ autoScale: { minimumNodeCount, maximumNodeCount } }`.
   */
  updateClusterScale(ref: ClusterRef, scaleSettings: ScaleSettings): Promise<Cluster>;
  deleteCluster(ref: ClusterRef, opts?: LroOptions): Promise<void>;
  listClusterRemoteLoginInformation(ref: ClusterRef): AsyncIterable<RemoteLoginInformation>;

  /** One request per page (`maxresults` up to 1000), following nextLink. */
  listJobs(ref: ExperimentRef, opts?: { maxResults?: number }): AsyncIterable<Job>;
  getJob(ref: JobRef): Promise<Job>;
  createJob(ref: JobRef, params: JobCreateParameters, opts?: LroOptions): Promise<Job>;
  deleteJob(ref: JobRef, opts?: LroOptions): Promise<void>;
  terminateJob(ref: JobRef, opts?: LroOptions): Promise<void>;
  listOutputFiles(ref: JobRef, opts: ListOutputFilesOptions): AsyncIterable<File>;
  listJobRemoteLoginInformation(ref: JobRef): AsyncIterable<RemoteLoginInformation>;

  listFileServers(ref: WorkspaceRef): AsyncIterable<FileServer>;
  getFileServer(ref: WorkspaceRef & { fileServer: string }): Promise<FileServer>;

  listUsages(location: string): AsyncIterable<Usage>;
}
