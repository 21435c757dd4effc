// Workspaces, experiments and file servers: containers and records with no processes behind them.
// Keys arrive lower-cased from the facade. Deletion cascades to what lives below, as on the service.
import { deletingConflict, EngineError } from './errors';
import type { Core } from './core';
import {
  experimentId, workspaceId,
  type ExperimentKey, type ExperimentRec, type FileServerRec, type WorkspaceKey, type WorkspaceRec,
} from './model';
import type { FileServerBaseProperties } from '../../../shared/batchai/types';
import { deleteCluster } from './clusters';
import { deleteJob } from './jobs';
import { fileServerId } from './state';
import { scrub } from './secrets';

export function getWorkspace(core: Core, k: WorkspaceKey): WorkspaceRec {
  const w = core.state.workspace(k);
  if (!w) throw new EngineError('notFound', 'WorkspaceNotFound', `The workspace '${k.ws}' was not found in resource group '${k.rg}'.`);
  return w;
}

export function listWorkspaces(core: Core, sub: string, rg?: string): WorkspaceRec[] {
  return [...core.state.workspaces.values()].filter((w) => w.sub === sub && (rg === undefined || w.rg === rg));
}

/** Creates the workspace, or updates location/tags of an existing one (ARM PUT semantics). */
export function putWorkspace(core: Core, k: WorkspaceKey, location: string, tags?: Record<string, string>): WorkspaceRec {
  const existing = core.state.workspace(k);
  if (existing?.provisioningState === 'deleting') throw deletingConflict('workspace', k.ws);
  const now = core.now();
  const rec: WorkspaceRec = existing
    ? { ...existing, location: location.toLowerCase(), ...(tags ? { tags } : {}) }
    : { ...k, location: location.toLowerCase(), tags, creationTime: now, provisioningState: 'succeeded', provisioningStateTransitionTime: now };
  core.state.saveWorkspace(rec);
  return rec;
}

export function patchWorkspace(core: Core, k: WorkspaceKey, tags: Record<string, string> | undefined): WorkspaceRec {
  const w = getWorkspace(core, k);
  const rec = { ...w, ...(tags ? { tags } : {}) };
  core.state.saveWorkspace(rec);
  return rec;
}

export function deleteWorkspace(core: Core, k: WorkspaceKey): void {
  const w = getWorkspace(core, k);
  if (w.provisioningState === 'deleting') return;
  core.state.saveWorkspace({ ...w, provisioningState: 'deleting', provisioningStateTransitionTime: core.now() });
  const wid = workspaceId(k);
  for (const e of core.state.experiments.values()) if (workspaceId(e) === wid) deleteExperiment(core, e);
  for (const c of core.state.clusters.values()) if (workspaceId(c) === wid) deleteCluster(core, c);
  for (const f of core.state.fileServers.values()) if (workspaceId(f) === wid) core.state.deleteFileServer(f);
  core.defer(core.timing.operationDelayMs, () => core.state.deleteWorkspace(k), () => !hasChildren(core, wid));
}

function hasChildren(core: Core, wid: string): boolean {
  for (const e of core.state.experiments.values()) if (workspaceId(e) === wid) return true;
  for (const c of core.state.clusters.values()) if (workspaceId(c) === wid) return true;
  return false;
}

export function getExperiment(core: Core, k: ExperimentKey): ExperimentRec {
  getWorkspace(core, k);
  const e = core.state.experiment(k);
  if (!e) throw new EngineError('notFound', 'ExperimentNotFound', `The experiment '${k.exp}' was not found in workspace '${k.ws}'.`);
  return e;
}

export function listExperiments(core: Core, k: WorkspaceKey): ExperimentRec[] {
  getWorkspace(core, k);
  const wid = workspaceId(k);
  return [...core.state.experiments.values()].filter((e) => workspaceId(e) === wid);
}

export function putExperiment(core: Core, k: ExperimentKey): ExperimentRec {
  const w = getWorkspace(core, k);
  if (w.provisioningState === 'deleting') throw deletingConflict('workspace', k.ws);
  const existing = core.state.experiment(k);
  if (existing) {
    if (existing.provisioningState === 'deleting') throw deletingConflict('experiment', k.exp);
    return existing;
  }
  const now = core.now();
  const rec: ExperimentRec = { ...k, creationTime: now, provisioningState: 'succeeded', provisioningStateTransitionTime: now };
  core.state.saveExperiment(rec);
  return rec;
}

export function deleteExperiment(core: Core, k: ExperimentKey): void {
  const e = getExperiment(core, k);
  if (e.provisioningState === 'deleting') return;
  core.state.saveExperiment({ ...e, provisioningState: 'deleting', provisioningStateTransitionTime: core.now() });
  for (const j of core.state.jobsOf(k)) deleteJob(core, j);
  core.defer(core.timing.operationDelayMs, () => core.state.deleteExperiment(k), () => (core.state.jobsByExperiment.get(experimentId(k))?.size ?? 0) === 0);
}

export function putFileServer(core: Core, k: WorkspaceKey, name: string, props: FileServerBaseProperties): FileServerRec {
  getWorkspace(core, k);
  const now = core.now();
  const rec: FileServerRec = { ...k, name, props: scrub(props), creationTime: now, provisioningState: 'creating', provisioningStateTransitionTime: now };
  core.state.saveFileServer(rec);
  core.defer(core.timing.operationDelayMs, () => {
    const cur = findFileServer(core, k, name);
    if (cur?.provisioningState === 'creating') core.state.saveFileServer({ ...cur, provisioningState: 'succeeded', provisioningStateTransitionTime: core.now() });
  });
  return rec;
}

function findFileServer(core: Core, k: WorkspaceKey, name: string): FileServerRec | undefined {
  return core.state.fileServers.get(fileServerId({ ...k, name }));
}

export function getFileServer(core: Core, k: WorkspaceKey, name: string): FileServerRec {
  getWorkspace(core, k);
  const f = findFileServer(core, k, name);
  if (!f) throw new EngineError('notFound', 'FileServerNotFound', `The file server '${name}' was not found in workspace '${k.ws}'.`);
  return f;
}

export function listFileServers(core: Core, k: WorkspaceKey): FileServerRec[] {
  getWorkspace(core, k);
  const wid = workspaceId(k);
  return [...core.state.fileServers.values()].filter((f) => workspaceId(f) === wid);
}

export function deleteFileServer(core: Core, k: WorkspaceKey, name: string): void {
  const f = getFileServer(core, k, name);
  core.state.saveFileServer({ ...f, provisioningState: 'deleting', provisioningStateTransitionTime: core.now() });
  core.defer(core.timing.operationDelayMs, () => core.state.deleteFileServer(f));
}
