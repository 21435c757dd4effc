// The engine's state: plain records, persisted as JSON. Keys and names are lower-cased (the service treated
// names case-insensitively and answered them lower-cased). Times are epoch milliseconds inside; facades format.
import type {
  BatchAIError,
  ClusterBaseProperties,
  FileServerBaseProperties,
  JobBaseProperties,
  ToolType,
} from '../../../shared/batchai/types';

export type ProvisioningState = 'creating' | 'succeeded' | 'failed' | 'deleting';
export type ExecutionState = 'queued' | 'running' | 'terminating' | 'succeeded' | 'failed';

export interface WorkspaceKey {
  sub: string;
  rg: string;
  ws: string;
}
export interface ExperimentKey extends WorkspaceKey {
  exp: string;
}
export interface ClusterKey extends WorkspaceKey {
  cluster: string;
}
export interface JobKey extends ExperimentKey {
  job: string;
}

interface Tracked {
  creationTime: number;
  provisioningState: ProvisioningState;
  provisioningStateTransitionTime: number;
}

export interface WorkspaceRec extends WorkspaceKey, Tracked {
  location: string;
  tags?: Record<string, string>;
}

export interface ExperimentRec extends ExperimentKey, Tracked {}

export interface FileServerRec extends WorkspaceKey, Tracked {
  name: string;
  props: FileServerBaseProperties;
}

export interface ClusterRec extends ClusterKey, Tracked {
  props: ClusterBaseProperties;
  allocationState: 'steady' | 'resizing';
  allocationStateTransitionTime: number;
  /** Nodes that exist, including those still preparing or leaving. */
  currentNodeCount: number;
  preparingNodeCount: number;
  leavingNodeCount: number;
  /** When the allocation under way (preparing or leaving nodes) completes. */
  allocationDoneAt?: number;
  /** Auto-scale: the first allocation goes to initialNodeCount; demand drives it afterwards. */
  initialPending?: boolean;
  /** Auto-scale: since when the cluster has had idle nodes and nothing queued (shrink after the idle window). */
  idleSince?: number;
}

/** Where a running job's files live on this machine; fixed when the job starts. */
export interface JobPaths {
  mountRoot: string;
  jobMountRoot: string;
  tempDir: string;
  stdOutErr: string;
  outputs: Record<string, string>;
}

export interface JobRec extends JobKey, Tracked {
  uuid: string;
  /** Submission order, for FIFO within a priority. */
  seq: number;
  props: JobBaseProperties;
  cluster: ClusterKey;
  toolType: ToolType;
  executionState: ExecutionState;
  executionStateTransitionTime: number;
  startTime?: number;
  endTime?: number;
  exitCode?: number;
  errors?: BatchAIError[];
  paths?: JobPaths;
}

export function workspaceId(k: WorkspaceKey): string {
  return `${k.sub}/${k.rg}/${k.ws}`;
}
export function experimentId(k: ExperimentKey): string {
  return `${workspaceId(k)}/${k.exp}`;
}
export function clusterId(k: ClusterKey): string {
  return `${workspaceId(k)}/clusters/${k.cluster}`;
}
export function jobId(k: JobKey): string {
  return `${experimentId(k)}/${k.job}`;
}

/** The service's unique path segment for a job's output and stdout/stderr directories. */
export function jobOutputSegment(j: JobRec): string {
  return `${j.sub}/${j.rg}/workspaces/${j.ws}/experiments/${j.exp}/jobs/${j.job}/${j.uuid}`;
}

export function isFinished(j: JobRec): boolean {
  return j.executionState === 'succeeded' || j.executionState === 'failed';
}
