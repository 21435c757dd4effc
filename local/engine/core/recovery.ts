// After a restart: what was in flight when the engine stopped. Jobs that were running have lost their processes
// and end failed; creations and deletions that were under way complete (their delay has long passed).
import type { Core } from './core';
import { isFinished } from './model';

export function recoverAfterRestart(core: Core): void {
  const { state } = core;
  const now = core.now();
  for (const jobs of state.jobsByExperiment.values()) {
    for (const j of [...jobs.values()]) {
      if (j.provisioningState === 'deleting') {
        state.deleteJobs([j]);
        continue;
      }
      let next =
        j.provisioningState === 'creating'
          ? { ...j, provisioningState: 'succeeded' as const, provisioningStateTransitionTime: now }
          : j;
      if (!isFinished(next) && next.executionState !== 'queued') {
        next = {
          ...next,
          executionState: 'failed',
          executionStateTransitionTime: now,
          endTime: now,
          errors: [{ code: 'JobFailed', message: 'The engine stopped while the job was running.' }],
        };
      }
      if (next !== j) state.saveJob(next);
    }
  }
  for (const c of [...state.clusters.values()]) {
    if (c.provisioningState === 'deleting') state.deleteCluster(c);
    else if (c.provisioningState === 'creating')
      state.saveCluster({ ...c, provisioningState: 'succeeded', provisioningStateTransitionTime: now });
  }
  for (const e of [...state.experiments.values()]) if (e.provisioningState === 'deleting') state.deleteExperiment(e);
  for (const w of [...state.workspaces.values()]) if (w.provisioningState === 'deleting') state.deleteWorkspace(w);
  for (const f of [...state.fileServers.values()]) {
    if (f.provisioningState === 'deleting') state.deleteFileServer(f);
    else if (f.provisioningState === 'creating')
      state.saveFileServer({ ...f, provisioningState: 'succeeded', provisioningStateTransitionTime: now });
  }
}
