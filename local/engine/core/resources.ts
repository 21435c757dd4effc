// Workspaces, experiments and file servers: containers and records with no processes behind them.
// Keys arrive lower-cased from the facade. Deleting a workspace or an experiment cascades (cascades.ts).
import type { FileServerBaseProperties } from '../../../shared/batchai/types';
import type { Core } from './core';
import { deletingConflict } from './errors';
import { findFileServer, getFileServer, getWorkspace } from './lookups';
import type { ExperimentKey, ExperimentRec, FileServerRec, WorkspaceKey, WorkspaceRec } from './model';
import { scrub } from './secrets';

/** Creates the workspace, or updates location/tags of an existing one (ARM PUT semantics). */
export function putWorkspace(
  core: Core,
  k: WorkspaceKey,
  location: string,
  tags?: Record<string, string>,
): WorkspaceRec {
  const existing = core.state.workspace(k);
  if (existing?.provisioningState === 'deleting') throw deletingConflict('workspace', k.ws);
  const now = core.now();
  const rec: WorkspaceRec = existing
    ? { ...existing, location: location.toLowerCase(), ...(tags ? { tags } : {}) }
    : {
        ...k,
        location: location.toLowerCase(),
        tags,
        creationTime: now,
        provisioningState: 'succeeded',
        provisioningStateTransitionTime: now,
      };
  core.state.saveWorkspace(rec);
  return rec;
}

export function patchWorkspace(core: Core, k: WorkspaceKey, tags: Record<string, string> | undefined): WorkspaceRec {
  const w = getWorkspace(core, k);
  const rec = { ...w, ...(tags ? { tags } : {}) };
  core.state.saveWorkspace(rec);
  return rec;
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
  const rec: ExperimentRec = {
    ...k,
    creationTime: now,
    provisioningState: 'succeeded',
    provisioningStateTransitionTime: now,
  };
  core.state.saveExperiment(rec);
  return rec;
}

export function putFileServer(
  core: Core,
  k: WorkspaceKey,
  name: string,
  props: FileServerBaseProperties,
): FileServerRec {
  getWorkspace(core, k);
  const now = core.now();
  const rec: FileServerRec = {
    ...k,
    name,
    props: scrub(props),
    creationTime: now,
    provisioningState: 'creating',
    provisioningStateTransitionTime: now,
  };
  core.state.saveFileServer(rec);
  core.defer('create', core.timing.operationDelayMs, () => {
    const cur = findFileServer(core, k, name);
    if (cur?.provisioningState === 'creating')
      core.state.saveFileServer({
        ...cur,
        provisioningState: 'succeeded',
        provisioningStateTransitionTime: core.now(),
      });
  });
  return rec;
}

export function deleteFileServer(core: Core, k: WorkspaceKey, name: string): void {
  const f = getFileServer(core, k, name);
  core.state.saveFileServer({ ...f, provisioningState: 'deleting', provisioningStateTransitionTime: core.now() });
  core.defer('delete', core.timing.operationDelayMs, () => core.state.deleteFileServer(f));
}
