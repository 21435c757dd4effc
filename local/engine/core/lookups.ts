// Lookups: one resource by key (or a workspace's/experiment's list), each checking that its parents exist, with
// the service's not-found codes. The floor every operation stands on; it changes nothing.
import type { Core } from './core';
import { EngineError } from './errors';
import {
  workspaceId,
  type ClusterKey,
  type ClusterRec,
  type ExperimentKey,
  type ExperimentRec,
  type FileServerRec,
  type JobKey,
  type JobRec,
  type WorkspaceKey,
  type WorkspaceRec,
} from './model';
import { fileServerId } from './state';

export function getWorkspace(core: Core, k: WorkspaceKey): WorkspaceRec {
  const w = core.state.workspace(k);
  if (!w)
    throw new EngineError(
      'notFound',
      'WorkspaceNotFound',
      `The workspace '${k.ws}' was not found in resource group '${k.rg}'.`,
    );
  return w;
}

export function listWorkspaces(core: Core, sub: string, rg?: string): WorkspaceRec[] {
  return [...core.state.workspaces.values()].filter((w) => w.sub === sub && (rg === undefined || w.rg === rg));
}

export function getExperiment(core: Core, k: ExperimentKey): ExperimentRec {
  getWorkspace(core, k);
  const e = core.state.experiment(k);
  if (!e)
    throw new EngineError(
      'notFound',
      'ExperimentNotFound',
      `The experiment '${k.exp}' was not found in workspace '${k.ws}'.`,
    );
  return e;
}

export function listExperiments(core: Core, k: WorkspaceKey): ExperimentRec[] {
  getWorkspace(core, k);
  const wid = workspaceId(k);
  return [...core.state.experiments.values()].filter((e) => workspaceId(e) === wid);
}

export function getCluster(core: Core, k: ClusterKey): ClusterRec {
  getWorkspace(core, k);
  const c = core.state.cluster(k);
  if (!c)
    throw new EngineError(
      'notFound',
      'ClusterNotFound',
      `The cluster '${k.cluster}' was not found in workspace '${k.ws}'.`,
    );
  return c;
}

export function listClusters(core: Core, k: WorkspaceKey): ClusterRec[] {
  getWorkspace(core, k);
  const wid = workspaceId(k);
  return [...core.state.clusters.values()].filter((c) => workspaceId(c) === wid);
}

export function getJob(core: Core, k: JobKey): JobRec {
  getExperiment(core, k);
  const j = core.state.job(k);
  if (!j)
    throw new EngineError('notFound', 'JobNotFound', `The job '${k.job}' was not found in experiment '${k.exp}'.`);
  return j;
}

export function listJobs(core: Core, k: ExperimentKey): JobRec[] {
  getExperiment(core, k);
  return core.state.jobsOf(k);
}

export function findFileServer(core: Core, k: WorkspaceKey, name: string): FileServerRec | undefined {
  return core.state.fileServers.get(fileServerId({ ...k, name }));
}

export function getFileServer(core: Core, k: WorkspaceKey, name: string): FileServerRec {
  getWorkspace(core, k);
  const f = findFileServer(core, k, name);
  if (!f)
    throw new EngineError(
      'notFound',
      'FileServerNotFound',
      `The file server '${name}' was not found in workspace '${k.ws}'.`,
    );
  return f;
}

export function listFileServers(core: Core, k: WorkspaceKey): FileServerRec[] {
  getWorkspace(core, k);
  const wid = workspaceId(k);
  return [...core.state.fileServers.values()].filter((f) => workspaceId(f) === wid);
}
