// Deletions that reach below the deleted resource, as on the service: a workspace takes its experiments,
// clusters and file servers; an experiment its jobs; a cluster stops its jobs. Each resource goes once what it
// waits for is gone.
import type { Core } from './core';
import { deleteJob, stopJobsOfCluster } from './jobs';
import { getCluster, getExperiment, getWorkspace } from './lookups';
import { experimentId, workspaceId, type ClusterKey, type ExperimentKey, type WorkspaceKey } from './model';

export function deleteWorkspace(core: Core, k: WorkspaceKey): void {
  const w = getWorkspace(core, k);
  if (w.provisioningState === 'deleting') return;
  core.state.saveWorkspace({ ...w, provisioningState: 'deleting', provisioningStateTransitionTime: core.now() });
  const wid = workspaceId(k);
  for (const e of core.state.experiments.values()) if (workspaceId(e) === wid) deleteExperiment(core, e);
  for (const c of core.state.clusters.values()) if (workspaceId(c) === wid) deleteCluster(core, c);
  for (const f of core.state.fileServers.values()) if (workspaceId(f) === wid) core.state.deleteFileServer(f);
  core.defer(
    'delete',
    core.timing.operationDelayMs,
    () => core.state.deleteWorkspace(k),
    () => !hasChildren(core, wid),
  );
}

function hasChildren(core: Core, wid: string): boolean {
  for (const e of core.state.experiments.values()) if (workspaceId(e) === wid) return true;
  for (const c of core.state.clusters.values()) if (workspaceId(c) === wid) return true;
  return false;
}

export function deleteExperiment(core: Core, k: ExperimentKey): void {
  const e = getExperiment(core, k);
  if (e.provisioningState === 'deleting') return;
  core.state.saveExperiment({ ...e, provisioningState: 'deleting', provisioningStateTransitionTime: core.now() });
  for (const j of core.state.jobsOf(k)) deleteJob(core, j);
  core.defer(
    'delete',
    core.timing.operationDelayMs,
    () => core.state.deleteExperiment(k),
    () => (core.state.jobsByExperiment.get(experimentId(k))?.size ?? 0) === 0,
  );
}

export function deleteCluster(core: Core, k: ClusterKey): void {
  const c = getCluster(core, k);
  if (c.provisioningState === 'deleting') return;
  core.state.saveCluster({ ...c, provisioningState: 'deleting', provisioningStateTransitionTime: core.now() });
  stopJobsOfCluster(core, c);
  core.defer(
    'delete',
    core.timing.operationDelayMs,
    () => core.state.deleteCluster(c),
    () => !core.state.activeJobs(c).length,
  );
}
