// Core records and stored Batch entities → the Batch data plane's JSON (2025-06-01.21.0 names), with the
// ETag every entity carries: a digest of the entity, so it changes whenever anything a client sees changes.
import { createHash } from 'node:crypto';
import type {
  BatchJob,
  BatchPool,
  BatchTask,
  NodeStateCounts,
  PoolNodeCounts,
  TaskState,
} from '../../../shared/azurebatch/types';
import { autoScaleBounds, autoScaleFormula } from '../../../shared/core/autoscale-formula';
import { evaluate, lastEvaluation } from './autoscale-run';
import { nodeStateCounts } from '../core/clusters';
import { isFinished, type ClusterRec } from '../core/model';
import { coreJobOf, poolIdOf, type BatchFacade } from './facade';
import type { Reply } from './http-io';
import type { StoredJob, StoredTask } from './store';

/** The service's "no limit" for maxWallClockTime and retention. */
export const UNLIMITED = 'P10675199DT2H48M5.4775807S';
export const LOCAL_NODE_ID = 'tvm-local_0';

export const iso = (ms: number | undefined): string | undefined =>
  ms === undefined ? undefined : new Date(ms).toISOString();

export function etagOf(view: object): string {
  return `0x${createHash('sha1').update(JSON.stringify(view)).digest('hex').slice(0, 15).toUpperCase()}`;
}

function withEtag<T extends object>(view: T): T & { eTag: string } {
  const { eTag: _old, ...rest } = view as T & { eTag?: string };
  return { ...view, eTag: etagOf(rest) };
}

/** A single entity's answer: the body with odata.metadata, and ETag / Last-Modified headers. */
export function entityReply(f: BatchFacade, set: string, view: { eTag?: string; lastModified?: string }): Reply {
  const headers: Record<string, string> = {};
  if (view.eTag) headers.ETag = view.eTag;
  if (view.lastModified) headers['Last-Modified'] = new Date(view.lastModified).toUTCString();
  return { status: 200, headers, json: { 'odata.metadata': `${f.baseUrl}/$metadata#${set}/@Element`, ...view } };
}

export function poolView(f: BatchFacade, c: ClusterRec): BatchPool {
  const extra = f.store.pools.get(c.cluster);
  const scale = c.props.scaleSettings;
  const low = c.props.vmPriority === 'lowpriority';
  const auto = extra?.enableAutoScale ?? scale?.autoScale !== undefined;
  const target = scale?.manual?.targetNodeCount ?? c.currentNodeCount;
  const lastModified = Math.max(c.provisioningStateTransitionTime, extra?.lastModified ?? 0);
  const spec = (extra?.spec ?? {}) as Partial<BatchPool>;
  const bounds = auto && extra?.autoScaleFormula ? autoScaleBounds(extra.autoScaleFormula) : undefined;
  const interval = extra?.autoScaleEvaluationInterval;
  return withEtag({
    // What was sent reads back as given; the engine's own values follow.
    ...spec,
    id: c.cluster,
    displayName: extra?.displayName,
    url: `${f.baseUrl}/pools/${c.cluster}`,
    lastModified: iso(lastModified),
    creationTime: iso(c.creationTime),
    state: c.provisioningState === 'deleting' ? 'deleting' : 'active',
    stateTransitionTime: iso(c.provisioningStateTransitionTime),
    allocationState: c.allocationState,
    allocationStateTransitionTime: iso(c.allocationStateTransitionTime),
    vmSize: c.props.vmSize.toLowerCase(),
    resizeTimeout: 'PT15M',
    currentDedicatedNodes: low ? 0 : c.currentNodeCount,
    currentLowPriorityNodes: low ? c.currentNodeCount : 0,
    targetDedicatedNodes: low ? 0 : target,
    targetLowPriorityNodes: low ? target : 0,
    enableAutoScale: auto,
    // A cluster auto-scaled through Batch AI has no formula of its own: a Batch pool always shows one, so it
    // shows the product's formula for the cluster's bounds.
    autoScaleFormula: auto
      ? (extra?.autoScaleFormula ??
        (scale?.autoScale &&
          autoScaleFormula({ min: scale.autoScale.minimumNodeCount, max: scale.autoScale.maximumNodeCount }, low)))
      : undefined,
    autoScaleEvaluationInterval: auto ? (interval ?? 'PT15M') : undefined,
    autoScaleRun:
      bounds && extra?.autoScaleEnabledAt !== undefined
        ? evaluate(f, c, bounds, lastEvaluation(extra.autoScaleEnabledAt, interval, f.core.now()))
        : undefined,
    enableInterNodeCommunication: spec.enableInterNodeCommunication ?? true,
    taskSlotsPerNode: 1,
    taskSchedulingPolicy: spec.taskSchedulingPolicy ?? { nodeFillType: 'spread' },
    virtualMachineConfiguration: spec.virtualMachineConfiguration ?? {
      imageReference: { publisher: 'canonical', offer: 'ubuntu-24_04-lts', sku: 'server', version: 'latest' },
      nodeAgentSKUId: 'batch.node.ubuntu 24.04',
    },
    metadata: extra?.metadata,
  });
}

/** Nodes can be deallocated (and counted so) from this api-version on. */
const DEALLOCATION_VERSION = '2024-07-01.20.0';

function counts(partial: Partial<NodeStateCounts>, apiVersion: string): NodeStateCounts {
  const zero: NodeStateCounts = {
    creating: 0,
    idle: 0,
    offline: 0,
    preempted: 0,
    rebooting: 0,
    reimaging: 0,
    running: 0,
    starting: 0,
    startTaskFailed: 0,
    leavingPool: 0,
    unknown: 0,
    unusable: 0,
    waitingForStartTask: 0,
    upgradingOS: 0,
    total: 0,
  };
  // Versions are dates first, so they compare as text.
  const deallocation = apiVersion >= DEALLOCATION_VERSION ? { deallocated: 0, deallocating: 0 } : {};
  return { ...zero, ...deallocation, ...partial };
}

export function nodeCountsView(f: BatchFacade, c: ClusterRec, apiVersion: string): PoolNodeCounts {
  const n = nodeStateCounts(f.core, c);
  const these = counts(
    {
      idle: n.idleNodeCount,
      running: n.runningNodeCount,
      starting: n.preparingNodeCount,
      leavingPool: n.leavingNodeCount,
      unusable: n.unusableNodeCount,
      total: c.currentNodeCount,
    },
    apiVersion,
  );
  const low = c.props.vmPriority === 'lowpriority';
  const none = counts({}, apiVersion);
  return { poolId: c.cluster, dedicated: low ? none : these, lowPriority: low ? these : none };
}

export function jobView(f: BatchFacade, j: StoredJob): BatchJob {
  const o = j.options;
  const started = j.tasks.map((t) => coreJobOf(f, t)?.startTime).filter((x): x is number => x !== undefined);
  return withEtag({
    ...o,
    id: j.id,
    displayName: o.displayName,
    url: `${f.baseUrl}/jobs/${j.id}`,
    lastModified: iso(j.lastModified),
    creationTime: iso(j.creationTime),
    state: j.state,
    stateTransitionTime: iso(j.stateTransitionTime),
    previousState: j.previousState,
    previousStateTransitionTime: j.previousState ? iso(j.stateTransitionTime) : undefined,
    priority: o.priority ?? 0,
    maxParallelTasks: -1,
    allowTaskPreemption: false,
    usesTaskDependencies: o.usesTaskDependencies ?? false,
    constraints: {
      maxWallClockTime: o.constraints?.maxWallClockTime ?? UNLIMITED,
      maxTaskRetryCount: o.constraints?.maxTaskRetryCount ?? 0,
    },
    jobPreparationTask: o.jobPreparationTask,
    poolInfo: o.poolInfo,
    executionInfo: {
      startTime: iso(started.length ? Math.min(...started) : j.creationTime),
      endTime: iso(j.endTime),
      poolId: poolIdOf(j),
      terminateReason: j.terminateReason,
    },
    onAllTasksComplete: o.onAllTasksComplete ?? 'noaction',
    onTaskFailure: o.onTaskFailure ?? 'noaction',
    metadata: o.metadata,
  });
}

export function taskState(f: BatchFacade, t: StoredTask): TaskState {
  if (t.outcome) return 'completed';
  const c = coreJobOf(f, t);
  if (!c || c.executionState === 'queued') return 'active';
  // A finished process whose outputs are still uploading is still running, as on the service.
  return isFinished(c) || c.executionState === 'running' || c.executionState === 'terminating' ? 'running' : 'active';
}

export function taskView(f: BatchFacade, j: StoredJob, t: StoredTask): BatchTask {
  const o = t.options;
  const c = coreJobOf(f, t);
  const state = taskState(f, t);
  const stateTime = t.outcome?.endTime ?? (state === 'running' ? c?.startTime : undefined) ?? t.creationTime;
  return withEtag({
    // What was sent reads back as given (resource files, dependencies, affinity, ...); the engine's own follow.
    ...o,
    id: t.id,
    displayName: o.displayName,
    url: `${f.baseUrl}/jobs/${j.id}/tasks/${t.id}`,
    lastModified: iso(t.lastModified),
    creationTime: iso(t.creationTime),
    state,
    stateTransitionTime: iso(stateTime),
    commandLine: o.commandLine,
    containerSettings: o.containerSettings,
    environmentSettings: o.environmentSettings,
    outputFiles: o.outputFiles,
    exitConditions: o.exitConditions,
    multiInstanceSettings: o.multiInstanceSettings,
    userIdentity: o.userIdentity ?? { autoUser: { scope: 'pool', elevationLevel: 'nonadmin' } },
    constraints: {
      maxWallClockTime: o.constraints?.maxWallClockTime ?? UNLIMITED,
      retentionTime: o.constraints?.retentionTime ?? 'P7D',
      maxTaskRetryCount: o.constraints?.maxTaskRetryCount ?? 0,
    },
    requiredSlots: 1,
    executionInfo: {
      startTime: iso(c?.startTime),
      endTime: iso(t.outcome?.endTime),
      exitCode: t.outcome?.exitCode,
      failureInfo: t.outcome?.failure,
      result: t.outcome?.result,
      retryCount: t.retryCount ?? 0,
      lastRetryTime: iso(t.lastRetryTime),
      requeueCount: 0,
    },
    nodeInfo:
      c?.startTime !== undefined
        ? {
            affinityId: LOCAL_NODE_ID,
            nodeUrl: `${f.baseUrl}/pools/${poolIdOf(j)}/nodes/${LOCAL_NODE_ID}`,
            poolId: poolIdOf(j),
            nodeId: LOCAL_NODE_ID,
            taskRootDirectory: `workitems/${j.id}/job-1/${t.id}`,
            taskRootDirectoryUrl:
              `${f.baseUrl}/pools/${poolIdOf(j)}/nodes/${LOCAL_NODE_ID}` + `/files/workitems/${j.id}/job-1/${t.id}`,
          }
        : undefined,
  });
}
