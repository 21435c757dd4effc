// Bulk insertion of finished Batch jobs (each with one succeeded task) for benchmarks of polling: no
// processes, one store write. Pools are created steady with no nodes if missing.
import { clusterKey, coreJobName, type BatchFacade } from './facade';
import type { StoredJob } from './store';

export function seedFinishedBatchJobs(
  f: BatchFacade,
  count: number,
  pools: readonly string[],
  experiment?: string,
): void {
  const now = f.core.now();
  for (const p of pools) {
    const k = clusterKey(f, p);
    if (f.core.state.cluster(k)) continue;
    f.core.state.saveCluster({
      ...k,
      creationTime: now,
      provisioningState: 'succeeded',
      provisioningStateTransitionTime: now,
      props: {
        vmSize: 'STANDARD_D2S_V3',
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
  const width = String(f.store.jobs.size + count).length;
  for (let i = 0; i < count; i++) {
    const id = `seed-${String(f.store.jobs.size + 1).padStart(width, '0')}`;
    const at = now - (count - i) * 1000;
    const job: StoredJob = {
      id,
      creationTime: at - 500,
      lastModified: at + 400,
      state: 'completed',
      stateTransitionTime: at + 400,
      previousState: 'active',
      endTime: at + 400,
      terminateReason: 'AllTasksComplete',
      options: {
        id,
        poolInfo: { poolId: pools[i % pools.length] },
        onAllTasksComplete: 'terminatejob',
        onTaskFailure: 'performexitoptionsjobaction',
        metadata: [{ name: 'batchai-experiment', value: experiment ?? `exp${i % 10}` }],
      },
      tasks: [
        {
          id: 'main',
          options: { id: 'main', commandLine: "/bin/bash -c 'echo seeded'" },
          creationTime: at - 500,
          lastModified: at + 400,
          coreJob: coreJobName(id, 'main'),
          outcome: { endTime: at + 400, exitCode: 0, result: 'success' },
        },
      ],
    };
    f.store.jobs.set(id, job);
  }
  f.store.save();
}
