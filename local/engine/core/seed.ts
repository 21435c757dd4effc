// Bulk insertion of jobs for benchmarks of listing and polling: no processes, one journal append. Jobs are seeded
// finished, or running (with no process: the scheduler starts only queued jobs) until endSeededJobs ends them all at
// once, as a sweep's jobs end together after the poll has seen them run.
import { randomUUID } from 'node:crypto';
import type { Core } from './core';
import { experimentId, type ClusterKey, type ExperimentKey, type JobRec } from './model';

/** A steady cluster with no nodes, unless it exists. */
export function seedCluster(core: Core, cluster: ClusterKey, vmSize: string): void {
  if (core.state.cluster(cluster)) return;
  const now = core.now();
  core.state.saveCluster({
    ...cluster,
    creationTime: now,
    provisioningState: 'succeeded',
    provisioningStateTransitionTime: now,
    props: {
      vmSize,
      vmPriority: 'dedicated',
      scaleSettings: { manual: { targetNodeCount: 0, nodeDeallocationOption: 'requeue' } },
      userAccountSettings: { adminUserName: 'seed' },
    },
    allocationState: 'steady',
    allocationStateTransitionTime: now,
    currentNodeCount: 0,
    preparingNodeCount: 0,
    leavingNodeCount: 0,
  });
}

export function seedJobs(
  core: Core,
  k: ExperimentKey,
  count: number,
  opts: { cluster?: string; running?: boolean; names?: readonly string[] } = {},
): string[] {
  const clusterName = opts.cluster ?? 'seed-cluster';
  const { state } = core;
  const now = core.now();
  const tracked = { creationTime: now, provisioningState: 'succeeded' as const, provisioningStateTransitionTime: now };
  if (!state.workspace(k)) state.saveWorkspace({ sub: k.sub, rg: k.rg, ws: k.ws, location: core.region, ...tracked });
  if (!state.experiment(k)) state.saveExperiment({ sub: k.sub, rg: k.rg, ws: k.ws, exp: k.exp, ...tracked });
  const cluster: ClusterKey = { sub: k.sub, rg: k.rg, ws: k.ws, cluster: clusterName.toLowerCase() };
  seedCluster(core, cluster, 'STANDARD_NC6');
  const clusterIdText =
    `/subscriptions/${k.sub}/resourceGroups/${k.rg}` +
    `/providers/Microsoft.BatchAI/workspaces/${k.ws}/clusters/${cluster.cluster}`;
  const existing = state.jobsByExperiment.get(experimentId(k))?.size ?? 0;
  const width = String(existing + count).length;
  const jobs: JobRec[] = [];
  for (let i = 0; i < count; i++) {
    const start = now - (count - i) * 1000;
    jobs.push({
      ...k,
      job: opts.names?.[i] ?? `seed-${String(existing + i + 1).padStart(width, '0')}`,
      uuid: randomUUID(),
      seq: state.takeSeq(),
      props: {
        cluster: { id: clusterIdText },
        nodeCount: 1,
        schedulingPriority: 'normal',
        stdOutErrPathPrefix: '$AZ_BATCHAI_JOB_TEMP_DIR',
        customToolkitSettings: { commandLine: 'echo seeded' },
        constraints: { maxWallClockTime: 'P7D' },
      },
      cluster,
      toolType: 'custom',
      ...tracked,
      creationTime: start - 500,
      startTime: start,
      ...(opts.running
        ? { executionState: 'running' as const, executionStateTransitionTime: start }
        : {
            executionState: 'succeeded' as const,
            executionStateTransitionTime: start + 400,
            endTime: start + 400,
            exitCode: 0,
          }),
    });
  }
  state.saveJobs(jobs);
  return jobs.map((j) => j.job);
}

/** Ends every running job of the experiment (or those of `only`) now, succeeded, in one journal append. */
export function endSeededJobs(core: Core, k: ExperimentKey, only?: ReadonlySet<string>): number {
  const now = core.now();
  const ended = core.state
    .jobsOf(k)
    .filter((j) => j.executionState === 'running' && (!only || only.has(j.job)))
    .map(
      (j): JobRec => ({
        ...j,
        executionState: 'succeeded',
        executionStateTransitionTime: now,
        endTime: now,
        exitCode: 0,
      }),
    );
  core.state.saveJobs(ended);
  return ended.length;
}
