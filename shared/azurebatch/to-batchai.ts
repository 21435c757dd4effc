// Azure Batch entities in the Batch AI shapes the product's views, diff and cards already read (pure):
// pool + its node counts → Cluster, job (+ its task, when read) → Job. Workspace = Batch account,
// cluster = pool, experiment = the job's `batchai-experiment` metadata.
import type { Cluster, Job, ToolType } from '../batchai/types';
import { autoScaleBounds } from '../core/autoscale-formula';
import { EXPERIMENT_METADATA, OUTPUTS_METADATA, TOOL_METADATA } from '../core/batch-job';
import type { BatchJob, BatchPool, BatchTask, NodeStateCounts, PoolNodeCounts } from './types';

export interface AccountRef {
  subscriptionId: string;
  resourceGroup: string;
  account: string;
}

export function clusterIdOf(a: AccountRef, poolId: string): string {
  return `/subscriptions/${a.subscriptionId}/resourceGroups/${a.resourceGroup}/providers/Microsoft.BatchAI/workspaces/${a.account}/clusters/${poolId}`;
}

/** The pool a Batch AI cluster id (…/clusters/<name>) names. */
export function poolIdOf(clusterId: string): string {
  const m = /\/clusters\/([^/]+)\/?$/i.exec(clusterId);
  return m ? m[1] : clusterId;
}

const sum = (c: NodeStateCounts | undefined, keys: (keyof NodeStateCounts)[]): number => keys.reduce<number>((n, k) => n + (c?.[k] ?? 0), 0);

export function lowPriorityPool(p: BatchPool): boolean {
  return (p.targetLowPriorityNodes ?? 0) > 0 || (p.currentLowPriorityNodes ?? 0) > 0;
}

export function clusterOf(a: AccountRef, p: BatchPool, counts: PoolNodeCounts | undefined): Cluster {
  const low = lowPriorityPool(p);
  const c = low ? counts?.lowPriority : counts?.dedicated;
  const bounds = p.enableAutoScale && p.autoScaleFormula ? autoScaleBounds(p.autoScaleFormula) : undefined;
  const current = low ? p.currentLowPriorityNodes ?? 0 : p.currentDedicatedNodes ?? 0;
  return {
    id: clusterIdOf(a, p.id),
    name: p.id,
    type: 'Microsoft.BatchAI/workspaces/clusters',
    properties: {
      vmSize: p.vmSize,
      vmPriority: low ? 'lowpriority' : 'dedicated',
      scaleSettings: p.enableAutoScale
        ? { autoScale: { minimumNodeCount: bounds?.min ?? 0, maximumNodeCount: bounds?.max ?? current } }
        : { manual: { targetNodeCount: low ? p.targetLowPriorityNodes ?? 0 : p.targetDedicatedNodes ?? 0 } },
      creationTime: p.creationTime,
      provisioningState: p.state === 'deleting' ? 'deleting' : 'succeeded',
      allocationState: p.allocationState === 'steady' ? 'steady' : 'resizing',
      allocationStateTransitionTime: p.allocationStateTransitionTime,
      currentNodeCount: current,
      nodeStateCounts: {
        idleNodeCount: c?.idle ?? 0,
        runningNodeCount: c?.running ?? 0,
        preparingNodeCount: sum(c, ['creating', 'starting', 'waitingForStartTask', 'rebooting', 'reimaging']),
        unusableNodeCount: sum(c, ['unusable', 'startTaskFailed', 'offline', 'unknown', 'preempted']),
        leavingNodeCount: c?.leavingPool ?? 0,
      },
    },
  };
}

export function experimentOf(j: Pick<BatchJob, 'metadata'>): string | undefined {
  return j.metadata?.find((m) => m.name === EXPERIMENT_METADATA)?.value;
}

const TOOL_TYPES: Record<string, ToolType> = {
  cntkSettings: 'cntk', tensorFlowSettings: 'tensorflow', caffeSettings: 'caffe', caffe2Settings: 'caffe2', chainerSettings: 'chainer',
  horovodSettings: 'horovod', customMpiSettings: 'custommpi', customToolkitSettings: 'custom', pyTorchSettings: 'custom',
};

/** Batch AI's executionState from the job (and its task when known: queued vs running needs the task). */
export function executionStateOf(j: BatchJob, t: BatchTask | undefined): NonNullable<NonNullable<Job['properties']>['executionState']> {
  if (j.state === 'completed') return j.executionInfo?.terminateReason === 'AllTasksComplete' ? 'succeeded' : 'failed';
  if (j.state === 'terminating' || j.state === 'deleting') return 'terminating';
  return t?.state === 'running' || t?.state === 'preparing' || t?.state === 'completed' ? 'running' : 'queued';
}

export function jobOf(a: AccountRef, j: BatchJob, t?: BatchTask): Job {
  const experiment = experimentOf(j) ?? 'default';
  const state = executionStateOf(j, t);
  const failure = t?.executionInfo?.failureInfo;
  const reason = j.executionInfo?.terminateReason;
  const errors = state === 'failed'
    ? [{ code: failure?.code ?? reason ?? 'JobFailed', message: failure?.message ?? `The job ended: ${reason ?? 'unknown reason'}.` }]
    : [];
  return {
    id: `/subscriptions/${a.subscriptionId}/resourceGroups/${a.resourceGroup}/providers/Microsoft.BatchAI/workspaces/${a.account}/experiments/${experiment}/jobs/${j.id}`,
    name: j.id,
    type: 'Microsoft.BatchAI/workspaces/experiments/jobs',
    properties: {
      cluster: { id: clusterIdOf(a, j.poolInfo?.poolId ?? j.executionInfo?.poolId ?? '') },
      nodeCount: t?.multiInstanceSettings?.numberOfInstances ?? 1,
      toolType: TOOL_TYPES[j.metadata?.find((m) => m.name === TOOL_METADATA)?.value ?? ''] ?? 'custom',
      schedulingPriority: (j.priority ?? 0) > 200 ? 'high' : (j.priority ?? 0) < -200 ? 'low' : 'normal',
      creationTime: j.creationTime,
      provisioningState: j.state === 'deleting' ? 'deleting' : 'succeeded',
      executionState: state,
      executionStateTransitionTime: state === 'running' && t?.stateTransitionTime ? t.stateTransitionTime : j.stateTransitionTime,
      constraints: j.constraints?.maxWallClockTime ? { maxWallClockTime: j.constraints.maxWallClockTime } : undefined,
      // Where they were uploaded is the blob layout (shared/core/batch-job.ts), not a path on a node.
      outputDirectories: (j.metadata?.find((m) => m.name === OUTPUTS_METADATA)?.value ?? '').split(',').filter(Boolean).map((id) => ({ id, pathPrefix: '' })),
      executionInfo: {
        startTime: t?.executionInfo?.startTime,
        endTime: j.state === 'completed' ? j.executionInfo?.endTime ?? j.stateTransitionTime : undefined,
        exitCode: t?.executionInfo?.exitCode,
        errors,
      },
    },
  };
}
