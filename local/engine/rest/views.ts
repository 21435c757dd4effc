// Records → ARM JSON as the service answered it: ids with lower-cased names, ISO-8601 UTC times, secrets
// removed (admin password, storage keys, registry passwords, instrumentation keys, job secret values).
import type {
  Cluster,
  Experiment,
  FileServer,
  Job,
  RemoteLoginInformation,
  Workspace,
} from '../../../shared/batchai/types';
import type { Core } from '../core/core';
import { nodeStateCounts } from '../core/clusters';
import { scrub } from '../core/secrets';
import {
  jobOutputSegment,
  type ClusterKey,
  type ClusterRec,
  type ExperimentRec,
  type FileServerRec,
  type JobRec,
  type WorkspaceKey,
  type WorkspaceRec,
} from '../core/model';

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function rgPath(sub: string, rg: string): string {
  return `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.BatchAI`;
}
function workspaceArmId(k: WorkspaceKey): string {
  return `${rgPath(k.sub, k.rg)}/workspaces/${k.ws}`;
}
function clusterArmId(k: ClusterKey): string {
  return `${workspaceArmId(k)}/clusters/${k.cluster}`;
}

function tracked(r: { creationTime: number; provisioningState: string; provisioningStateTransitionTime: number }) {
  return {
    creationTime: iso(r.creationTime),
    provisioningState: r.provisioningState,
    provisioningStateTransitionTime: iso(r.provisioningStateTransitionTime),
  };
}

export function workspaceView(w: WorkspaceRec): Workspace {
  return {
    id: workspaceArmId(w),
    name: w.ws,
    type: 'Microsoft.BatchAI/workspaces',
    location: w.location,
    ...(w.tags ? { tags: w.tags } : {}),
    properties: tracked(w) as Workspace['properties'],
  };
}

export function experimentView(e: ExperimentRec): Experiment {
  return {
    id: `${workspaceArmId(e)}/experiments/${e.exp}`,
    name: e.exp,
    type: 'Microsoft.BatchAI/workspaces/experiments',
    properties: tracked(e) as Experiment['properties'],
  };
}

export function fileServerView(f: FileServerRec): FileServer {
  return {
    id: `${workspaceArmId(f)}/fileServers/${f.name}`,
    name: f.name,
    type: 'Microsoft.BatchAI/workspaces/fileservers',
    properties: {
      ...scrub(f.props),
      mountSettings: { mountPoint: '/data', fileServerPublicIP: '127.0.0.1', fileServerInternalIP: '127.0.0.1' },
      ...tracked(f),
    } as FileServer['properties'],
  };
}

/** listRemoteLoginInformation: every node is this machine, each with its own port. */
export function remoteLoginNodes(cluster: string, count: number): RemoteLoginInformation[] {
  return Array.from({ length: count }, (_, i) => ({
    nodeId: `tvm-local-${cluster}_${i + 1}`,
    ipAddress: '127.0.0.1',
    port: 50000 + i,
  }));
}

const DEFAULT_IMAGE = {
  imageReference: { publisher: 'Canonical', offer: 'UbuntuServer', sku: '16.04-LTS', version: 'latest' },
};

export function clusterView(core: Core, c: ClusterRec): Cluster {
  return {
    id: clusterArmId(c),
    name: c.cluster,
    type: 'Microsoft.BatchAI/workspaces/clusters',
    properties: {
      ...scrub(c.props),
      virtualMachineConfiguration: c.props.virtualMachineConfiguration ?? DEFAULT_IMAGE,
      ...tracked(c),
      allocationState: c.allocationState,
      allocationStateTransitionTime: iso(c.allocationStateTransitionTime),
      currentNodeCount: c.currentNodeCount,
      nodeStateCounts: nodeStateCounts(core, c),
    } as Cluster['properties'],
  };
}

export function jobView(j: JobRec): Job {
  const started = j.startTime !== undefined || j.errors !== undefined;
  return {
    id: `${workspaceArmId(j)}/experiments/${j.exp}/jobs/${j.job}`,
    name: j.job,
    type: 'Microsoft.BatchAI/workspaces/experiments/jobs',
    properties: {
      ...scrub(j.props),
      cluster: { id: clusterArmId(j.cluster) },
      toolType: j.toolType,
      jobOutputDirectoryPathSegment: jobOutputSegment(j),
      ...tracked(j),
      executionState: j.executionState,
      executionStateTransitionTime: iso(j.executionStateTransitionTime),
      ...(started
        ? {
            executionInfo: {
              ...(j.startTime !== undefined ? { startTime: iso(j.startTime) } : {}),
              ...(j.endTime !== undefined ? { endTime: iso(j.endTime) } : {}),
              ...(j.exitCode !== undefined ? { exitCode: j.exitCode } : {}),
              ...(j.errors ? { errors: j.errors } : {}),
            },
          }
        : {}),
    } as Job['properties'],
  };
}
