// The Azure ML (Microsoft.MachineLearningServices 2025-12-01) wire shapes the adapter reads and sends: AmlCompute,
// command jobs, environment versions, and the run-history data plane's run details and artifact content info.
// Every field the service may send as an explicit null is typed `| null`.

export const AML_API_VERSION = '2025-12-01';

export interface SystemData {
  createdAt?: string | null;
  createdBy?: string | null;
  lastModifiedAt?: string | null;
}

export interface ErrorDetail {
  code?: string | null;
  message?: string | null;
}

export interface ScaleSettings {
  maxNodeCount: number;
  minNodeCount?: number | null;
  /** ISO-8601 duration, e.g. PT120S. */
  nodeIdleTimeBeforeScaleDown?: string | null;
}

export interface NodeStateCounts {
  idleNodeCount?: number | null;
  runningNodeCount?: number | null;
  preparingNodeCount?: number | null;
  unusableNodeCount?: number | null;
  leavingNodeCount?: number | null;
  preemptedNodeCount?: number | null;
}

export interface AmlComputeProperties {
  osType?: string | null;
  vmSize?: string | null;
  vmPriority?: 'Dedicated' | 'LowPriority' | null;
  scaleSettings?: ScaleSettings | null;
  allocationState?: 'Steady' | 'Resizing' | null;
  allocationStateTransitionTime?: string | null;
  errors?: Array<{ error?: ErrorDetail | null }> | null;
  currentNodeCount?: number | null;
  targetNodeCount?: number | null;
  nodeStateCounts?: NodeStateCounts | null;
}

export interface Compute {
  computeType: string;
  computeLocation?: string | null;
  provisioningState?: string | null;
  description?: string | null;
  createdOn?: string | null;
  modifiedOn?: string | null;
  resourceId?: string | null;
  provisioningErrors?: Array<{ error?: ErrorDetail | null }> | null;
  properties?: AmlComputeProperties | null;
}

export interface ComputeResource {
  id?: string;
  name?: string;
  type?: string;
  location?: string | null;
  properties?: Compute | null;
}

export interface AmlComputeNode {
  nodeId?: string | null;
  privateIpAddress?: string | null;
  publicIpAddress?: string | null;
  port?: number | null;
  nodeState?: string | null;
  runId?: string | null;
}

export type JobStatus =
  | 'NotStarted'
  | 'Starting'
  | 'Provisioning'
  | 'Preparing'
  | 'Queued'
  | 'Running'
  | 'Finalizing'
  | 'CancelRequested'
  | 'Completed'
  | 'Failed'
  | 'Canceled'
  | 'NotResponding'
  | 'Paused'
  | 'Unknown'
  | 'Scheduled';

export type Distribution =
  | { distributionType: 'PyTorch'; processCountPerInstance?: number | null }
  | { distributionType: 'Mpi'; processCountPerInstance?: number | null }
  | { distributionType: 'TensorFlow'; workerCount?: number | null; parameterServerCount?: number | null };

export interface JobOutput {
  jobOutputType: 'uri_folder' | 'uri_file' | 'mlflow_model' | 'custom_model' | 'mltable' | 'triton_model';
  mode?: 'ReadWriteMount' | 'Upload' | 'Direct' | null;
  uri?: string | null;
  description?: string | null;
}

export interface CommandJobProperties {
  jobType: 'Command';
  displayName?: string | null;
  description?: string | null;
  tags?: Record<string, string | null> | null;
  properties?: Record<string, string | null> | null;
  experimentName?: string | null;
  computeId?: string | null;
  status?: JobStatus | string | null;
  command: string;
  environmentId: string;
  environmentVariables?: Record<string, string | null> | null;
  distribution?: Distribution | null;
  limits?: { jobLimitsType: 'Command'; timeout?: string | null } | null;
  resources?: { instanceCount?: number | null; instanceType?: string | null; shmSize?: string | null } | null;
  outputs?: Record<string, JobOutput | null> | null;
  inputs?: Record<string, unknown> | null;
}

/** A job of any type as the list and GET answer it; the adapter reads the command job's fields. */
export interface JobResource {
  id?: string;
  name?: string;
  type?: string;
  systemData?: SystemData | null;
  properties: CommandJobProperties;
}

export interface EnvironmentVersionResource {
  properties: { image: string; description?: string; isAnonymous?: boolean; osType?: 'Linux' | 'Windows' };
}

export interface Workspace {
  id?: string;
  location?: string | null;
  properties?: { discoveryUrl?: string | null } | null;
}

/** The run-history data plane's RunDetails (azure-ai-ml's `_restclient/runhistory`): the log files by name. */
export interface RunDetails {
  runId?: string | null;
  status?: string | null;
  startTimeUtc?: string | null;
  endTimeUtc?: string | null;
  /** Why a run failed: `{"error": {"code", "message"}}` ("… exited with status code 3 …"). */
  error?: { error?: ErrorDetail | null } | null;
  logFiles?: Record<string, string> | null;
}

/** The artifact service's content information: a path of a run's artifacts and its (expiring) content URL. */
export interface ArtifactContentInformation {
  contentUri?: string | null;
  origin?: string | null;
  container?: string | null;
  path?: string | null;
}
