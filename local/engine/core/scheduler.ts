// One scheduler pass: due (and not held) deferred transitions, cluster allocation, then placement of queued jobs.
// Placement is gang scheduling in strict order (priority high > normal > low, then submission): a job starts
// only when all its nodes are idle, and a job that does not fit blocks those behind it, so big jobs are not
// starved by a stream of small ones. Jobs bigger than the cluster can ever be are passed over.
import type { Core } from './core';
import { allocate, idleNodes, maxNodes, scaleDownShortfall } from './clusters';
import { preemptForScaleDown, startJob } from './jobs';
import { byPriority } from './priority';

function runDeferred(core: Core): void {
  const now = core.now();
  const due = core.deferred.filter((d) => d.at <= now && !core.holds.isHeld(d.kind) && (!d.ready || d.ready()));
  if (due.length === 0) return;
  const dueSet = new Set(due);
  const keep = core.deferred.filter((d) => !dueSet.has(d));
  core.deferred.length = 0;
  core.deferred.push(...keep);
  for (const d of due) d.run();
}

export function tick(core: Core): void {
  runDeferred(core);
  for (const c0 of [...core.state.clusters.values()]) {
    const changed = allocate(core, c0);
    if (changed) core.state.saveCluster(changed);
    const c = changed ?? c0;
    if (c.provisioningState !== 'succeeded') continue;
    const shortfall = scaleDownShortfall(core, c);
    if (shortfall > 0) preemptForScaleDown(core, c, shortfall);
    const queued = core.state
      .activeJobs(c)
      .filter((j) => j.executionState === 'queued' && j.provisioningState !== 'deleting')
      .sort(byPriority);
    let free = idleNodes(core, c);
    const ceiling = maxNodes(c);
    for (const j of queued) {
      if (j.props.nodeCount > ceiling) continue;
      // A job still being created keeps its place: those behind it wait, as they would for a bigger job.
      if (j.provisioningState !== 'succeeded' || j.props.nodeCount > free) break;
      free -= j.props.nodeCount;
      startJob(core, j, c);
    }
  }
}
