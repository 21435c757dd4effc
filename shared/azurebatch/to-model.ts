// Azure Batch entities in the compute port's model (pure): pool + its node counts → ComputeCluster, job (+ its
// task, when read) → ComputeJob. Workspace = Batch account,
// cluster = pool, experiment = the job's `batchai-experiment` metadata.
import type { ComputeCluster, ComputeJob, JobState } from '../compute/model';
import type { ToolType } from '../compute/job-file';
import { autoScaleBounds } from '../core/autoscale-formula';
import { EXPERIMENT_METADATA, OUTPUTS_METADATA, TOOL_METADATA } from './batch-job';
import type { BatchJob, BatchPool, BatchTask, NodeStateCounts, PoolNodeCounts } from './types';

export interface AccountRef {
  subscriptionId: string;
  resourceGroup: string;
  account: string;
}

/** The account's ARM id: pools and jobs are named below it. */
function accountId(a: AccountRef): string {
  return (
    `/subscriptions/${a.subscriptionId}/resourceGroups/${a.resourceGroup}` +
    `/providers/Microsoft.Batch/batchAccounts/${a.account}`
  );
}

/** The pool a Batch AI cluster id (…/clusters/<name>) names. */
export function poolIdOf(clusterId: string): string {
  const m = /\/clusters\/([^/]+)\/?$/i.exec(clusterId);
  return m ? m[1] : clusterId;
}

const sum = (c: NodeStateCounts | undefined, keys: (keyof NodeStateCounts)[]): number =>
  keys.reduce<number>((n, k) => n + (c?.[k] ?? 0), 0);

export function lowPriorityPool(p: BatchPool): boolean {
  return (p.targetLowPriorityNodes ?? 0) > 0 || (p.currentLowPriorityNodes ?? 0) > 0;
}

export function clusterOf(a: AccountRef, p: BatchPool, counts: PoolNodeCounts | undefined): ComputeCluster {
  const low = lowPriorityPool(p);
  const c = low ? counts?.lowPriority : counts?.dedicated;
  const bounds = p.enableAutoScale && p.autoScaleFormula ? autoScaleBounds(p.autoScaleFormula) : undefined;
  const current = low ? (p.currentLowPriorityNodes ?? 0) : (p.currentDedicatedNodes ?? 0);
  const cluster: ComputeCluster = {
    id: `${accountId(a)}/pools/${p.id}`,
    name: p.id,
    vmSize: p.vmSize ?? '',
    vmPriority: low ? 'lowpriority' : 'dedicated',
    allocationState: p.allocationState === 'steady' ? 'steady' : 'resizing',
    currentNodeCount: current,
    nodes: {
      idle: c?.idle ?? 0,
      running: c?.running ?? 0,
      preparing: sum(c, ['creating', 'starting', 'waitingForStartTask', 'rebooting', 'reimaging']),
      leaving: c?.leavingPool ?? 0,
      unusable: sum(c, ['unusable', 'startTaskFailed', 'offline', 'unknown', 'preempted']),
    },
    scale: p.enableAutoScale
      ? { mode: 'auto', min: bounds?.min ?? 0, max: bounds?.max ?? current }
      : { mode: 'manual', targetNodeCount: low ? (p.targetLowPriorityNodes ?? 0) : (p.targetDedicatedNodes ?? 0) },
    errors: (p.resizeErrors ?? []).map((e) => ({ code: e.code ?? 'ResizeError', message: e.message ?? '' })),
  };
  if (p.allocationStateTransitionTime) cluster.allocationChangedAt = p.allocationStateTransitionTime;
  if (p.creationTime) cluster.createdAt = p.creationTime;
  return cluster;
}

export function experimentOf(j: Pick<BatchJob, 'metadata'>): string | undefined {
  return j.metadata?.find((m) => m.name === EXPERIMENT_METADATA)?.value;
}

const TOOL_TYPES: Record<string, ToolType> = {
  cntkSettings: 'cntk',
  tensorFlowSettings: 'tensorflow',
  caffeSettings: 'caffe',
  caffe2Settings: 'caffe2',
  chainerSettings: 'chainer',
  horovodSettings: 'horovod',
  customMpiSettings: 'custommpi',
  customToolkitSettings: 'custom',
  pyTorchSettings: 'custom',
};

/** The job's state (and its task's when known: queued vs running needs the task). */
export function jobStateOf(j: BatchJob, t: BatchTask | undefined): JobState {
  if (j.state === 'completed') return j.executionInfo?.terminateReason === 'AllTasksComplete' ? 'succeeded' : 'failed';
  if (j.state === 'terminating' || j.state === 'deleting') return 'terminating';
  return t?.state === 'running' || t?.state === 'preparing' || t?.state === 'completed' ? 'running' : 'queued';
}

const metadata = (j: Pick<BatchJob, 'metadata'>, name: string): string | undefined =>
  j.metadata?.find((m) => m.name === name)?.value;

export function jobOf(a: AccountRef, j: BatchJob, t?: BatchTask): ComputeJob {
  const state = jobStateOf(j, t);
  const failure = t?.executionInfo?.failureInfo;
  const reason = j.executionInfo?.terminateReason;
  const priority = j.priority ?? 0;
  const job: ComputeJob = {
    id: `${accountId(a)}/jobs/${j.id}`,
    name: j.id,
    experiment: experimentOf(j) ?? 'default',
    state,
    cluster: j.poolInfo?.poolId ?? j.executionInfo?.poolId ?? '',
    nodeCount: t?.multiInstanceSettings?.numberOfInstances ?? 1,
    toolType: TOOL_TYPES[metadata(j, TOOL_METADATA) ?? ''] ?? 'custom',
    priority: priority > 200 ? 'high' : priority < -200 ? 'low' : 'normal',
    errors:
      state === 'failed'
        ? [
            {
              code: failure?.code ?? reason ?? 'JobFailed',
              message: failure?.message ?? `The job ended: ${reason ?? 'unknown reason'}.`,
            },
          ]
        : [],
    // Where they were uploaded is the blob layout (batch-job.ts), not a path on a node.
    outputDirectoryIds: (metadata(j, OUTPUTS_METADATA) ?? '').split(',').filter(Boolean),
  };
  const changedAt = state === 'running' && t?.stateTransitionTime ? t.stateTransitionTime : j.stateTransitionTime;
  if (changedAt) job.stateChangedAt = changedAt;
  if (j.creationTime) job.createdAt = j.creationTime;
  if (t?.executionInfo?.startTime) job.startedAt = t.executionInfo.startTime;
  const endedAt = j.state === 'completed' ? (j.executionInfo?.endTime ?? j.stateTransitionTime) : undefined;
  if (endedAt) job.endedAt = endedAt;
  if (t?.executionInfo?.exitCode !== undefined) job.exitCode = t.executionInfo.exitCode;
  return job;
}

/**
 * A completed job as listed (jobOf without its task) with what its task adds: the same as jobOf with both, so a
 * listing keeps each job in the model's form (a third of the service's resource) and a read of how a listed job
 * ended asks only for its task. How a completed job ended does not depend on its task: its state, times and the
 * job's own reason stay; the task adds its node count, start, exit code and failure.
 */
export function completedWithTask(listed: ComputeJob, t: BatchTask | undefined): ComputeJob {
  if (!t) return listed;
  const job: ComputeJob = { ...listed, nodeCount: t.multiInstanceSettings?.numberOfInstances ?? 1 };
  const failure = t.executionInfo?.failureInfo;
  const [error] = listed.errors;
  if (error && failure) job.errors = [{ code: failure.code ?? error.code, message: failure.message ?? error.message }];
  if (t.executionInfo?.startTime) job.startedAt = t.executionInfo.startTime;
  if (t.executionInfo?.exitCode !== undefined) job.exitCode = t.executionInfo.exitCode;
  return job;
}
