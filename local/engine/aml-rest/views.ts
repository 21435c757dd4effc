// The core's records as Azure ML answers them: computes of type AmlCompute and command jobs, with the explicit
// nulls of the live service (an unset property is `null`, runtime fields of a compute being created too).
import type { CommandJobProperties, JobStatus } from '../../../shared/azureml/types';
import { nodeStateCounts } from '../core/clusters';
import type { Core } from '../core/core';
import type { ClusterRec, JobRec } from '../core/model';
import { iso } from '../rest/views';
import { DEFAULT_OUTPUT } from './command';
import { batchAiClusterId, PROVIDER, storeKey, workspaceId, type AmlFacade, type FoundJob } from './facade';

/** Azure ML's default idle time before a node is given back. */
export const DEFAULT_IDLE = 'PT120S';

export function scaleSettingsOf(
  f: AmlFacade,
  c: ClusterRec,
): { minNodeCount: number; maxNodeCount: number; nodeIdleTimeBeforeScaleDown: string } {
  const s = c.props.scaleSettings;
  const idle = f.store.idle(storeKey(c, c.cluster)) ?? DEFAULT_IDLE;
  if (s?.autoScale)
    return {
      minNodeCount: s.autoScale.minimumNodeCount,
      maxNodeCount: s.autoScale.maximumNodeCount,
      nodeIdleTimeBeforeScaleDown: idle,
    };
  const n = s?.manual?.targetNodeCount ?? 0;
  return { minNodeCount: n, maxNodeCount: n, nodeIdleTimeBeforeScaleDown: idle };
}

function targetNodes(c: ClusterRec): number {
  const s = c.props.scaleSettings;
  if (s?.manual) return s.manual.targetNodeCount;
  return c.currentNodeCount + c.preparingNodeCount - c.leavingNodeCount;
}

export function computeView(f: AmlFacade, c: ClusterRec, provisioningState?: string): unknown {
  const creating = c.provisioningState === 'creating';
  const counts = nodeStateCounts(f.core, c);
  const runtime = (v: unknown) => (creating ? null : v);
  return {
    id: `${workspaceId(c)}/computes/${c.cluster}`,
    name: c.cluster,
    type: `${PROVIDER}/workspaces/computes`,
    location: f.core.region,
    tags: null,
    identity: null,
    sku: null,
    systemData: null,
    properties: {
      computeType: 'AmlCompute',
      computeLocation: f.core.region,
      provisioningState: provisioningState ?? stateOf(c.provisioningState),
      description: null,
      createdOn: iso(c.creationTime),
      modifiedOn: iso(c.provisioningStateTransitionTime),
      // An AmlCompute is a Batch AI cluster underneath: the live service says so here.
      resourceId: batchAiClusterId(c),
      provisioningErrors: null,
      isAttachedCompute: false,
      disableLocalAuth: true,
      properties: {
        osType: 'Linux',
        vmSize: c.props.vmSize?.toUpperCase() ?? null,
        vmPriority: c.props.vmPriority === 'lowpriority' ? 'LowPriority' : 'Dedicated',
        virtualMachineImage: null,
        isolatedNetwork: false,
        subnet: null,
        scaleSettings: scaleSettingsOf(f, c),
        userAccountCredentials: null,
        remoteLoginPortPublicAccess: 'Disabled',
        allocationState: runtime(c.allocationState === 'resizing' ? 'Resizing' : 'Steady'),
        allocationStateTransitionTime: runtime(iso(c.allocationStateTransitionTime)),
        errors: null,
        currentNodeCount: runtime(c.currentNodeCount),
        targetNodeCount: runtime(targetNodes(c)),
        nodeStateCounts: runtime({ ...counts, preemptedNodeCount: 0 }),
        enableNodePublicIp: false,
        propertyBag: null,
      },
    },
  };
}

function stateOf(s: ClusterRec['provisioningState']): string {
  return s === 'creating' ? 'Creating' : s === 'deleting' ? 'Deleting' : s === 'failed' ? 'Failed' : 'Succeeded';
}

/** The core's execution state as Azure ML's JobStatus. */
export function jobStatusOf(j: JobRec, cancelRequested: boolean): JobStatus {
  if (j.provisioningState === 'creating') return 'Starting';
  switch (j.executionState) {
    case 'queued':
      return 'Queued';
    case 'running':
      return cancelRequested ? 'CancelRequested' : 'Running';
    case 'terminating':
      return 'CancelRequested';
    case 'succeeded':
      return 'Completed';
    case 'failed':
      return cancelRequested ? 'Canceled' : 'Failed';
  }
}

/** A job the core ran that was not PUT here (seeded for benchmarks): its command job as the store would hold it. */
function synthesized(j: JobRec): CommandJobProperties {
  return {
    jobType: 'Command',
    experimentName: j.exp,
    computeId: `${workspaceId(j)}/computes/${j.cluster.cluster}`,
    command: j.props.customToolkitSettings?.commandLine ?? j.props.customMpiSettings?.commandLine ?? 'true',
    environmentId: 'azureml://registries/azureml/environments/sklearn-1.5/labels/latest',
    resources: { instanceCount: j.props.nodeCount },
  };
}

export function jobView(found: FoundJob): unknown {
  const { rec: j, stored } = found;
  const p = stored?.properties ?? synthesized(j);
  const name = stored?.name ?? j.job;
  const created = iso(stored?.createdAt ?? j.creationTime);
  const outputs: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(p.outputs ?? {})) {
    outputs[k] = { description: null, assetName: null, assetVersion: null, mode: 'ReadWriteMount', uri: null, ...v };
  }
  outputs[DEFAULT_OUTPUT] = {
    description: null,
    assetName: null,
    assetVersion: null,
    mode: 'ReadWriteMount',
    uri: `azureml://datastores/workspaceartifactstore/ExperimentRun/dcid.${name}`,
    jobOutputType: 'uri_folder',
  };
  return {
    id: `${workspaceId(j)}/jobs/${name}`,
    name,
    type: `${PROVIDER}/workspaces/jobs`,
    systemData: {
      createdAt: created,
      createdBy: 'local',
      createdByType: 'User',
      lastModifiedAt: null,
      lastModifiedBy: null,
      lastModifiedByType: null,
    },
    properties: {
      description: p.description ?? null,
      tags: p.tags ?? {},
      properties: { 'azureml.runsource': 'azureml.local-engine', ...(p.properties ?? {}) },
      displayName: p.displayName ?? name,
      status: jobStatusOf(j, !!stored?.cancelRequested),
      experimentName: p.experimentName ?? 'Default',
      services: null,
      computeId: p.computeId,
      isArchived: false,
      identity: null,
      componentId: null,
      notificationSetting: null,
      jobType: 'Command',
      resources: {
        instanceCount: 1,
        instanceType: null,
        properties: null,
        shmSize: '2g',
        dockerArgs: null,
        ...p.resources,
      },
      codeId: null,
      command: p.command,
      environmentId: p.environmentId,
      environmentVariables: p.environmentVariables ?? {},
      inputs: p.inputs ?? {},
      outputs,
      distribution: p.distribution ?? null,
      limits: p.limits ? { timeout: null, ...p.limits } : null,
      parameters: {},
      queueSettings: null,
      autologgerSettings: null,
    },
  };
}

/** listNodes: one entry per node of the cluster, in Azure ML's node states. */
export function nodesView(core: Core, c: ClusterRec): unknown[] {
  const counts = nodeStateCounts(core, c);
  const running = core.state.activeJobs(c).filter((j) => j.executionState === 'running');
  const states = [
    ...Array<string>(counts.runningNodeCount).fill('running'),
    ...Array<string>(counts.idleNodeCount).fill('idle'),
    ...Array<string>(counts.preparingNodeCount).fill('preparing'),
    ...Array<string>(counts.leavingNodeCount).fill('leaving'),
  ];
  let runIndex = 0;
  let used = 0;
  return states.map((nodeState, i) => {
    let runId: string | null = null;
    if (nodeState === 'running' && running[runIndex]) {
      runId = running[runIndex]!.job;
      if (++used >= running[runIndex]!.props.nodeCount) {
        runIndex++;
        used = 0;
      }
    }
    return {
      nodeId: `tvm-${c.cluster}_${i + 1}`,
      privateIpAddress: '127.0.0.1',
      publicIpAddress: null,
      port: 50000 + i,
      nodeState,
      runId,
    };
  });
}
