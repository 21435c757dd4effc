// Bulk insertion of Batch jobs (each with one task) for benchmarks of polling: no processes, one store write.
// Finished (the task succeeded), or running (its core job running with no process: the scheduler starts only queued
// jobs) until endSeededBatchJobs ends them all at once, as a sweep's jobs end together after the poll saw them run.
// Pools are created steady with no nodes if missing.
import { endSeededJobs, seedCluster, seedJobs } from '../core/seed';
import { experimentOf } from '../../../shared/azurebatch/to-model';
import { BATCH_EXPERIMENT, clusterKey, coreJobName, type BatchFacade } from './facade';
import { completeJob, deleteTaskRun } from './task-runs';
import type { StoredJob, TaskOutcome } from './store';

/** Ids are never reused within a process, though dropped jobs shrink the store: a reused id is another job. */
let seeded = 0;

const succeeded = (endTime: number): TaskOutcome => ({ endTime, exitCode: 0, result: 'success' });

/** The seeded jobs' ids; `experiment` absent: spread over exp0..exp9. */
export function seedBatchJobs(
  f: BatchFacade,
  count: number,
  pools: readonly string[],
  experiment?: string,
  opts: { running?: boolean } = {},
): string[] {
  const now = f.core.now();
  for (const p of pools) seedCluster(f.core, clusterKey(f, p), 'STANDARD_D2S_V3');
  seeded = Math.max(seeded, f.store.jobs.size);
  const width = String(seeded + count).length;
  const jobs: StoredJob[] = [];
  while (jobs.length < count) {
    const id = `seed-${String(++seeded).padStart(width, '0')}`;
    if (f.store.job(id)) continue;
    const i = jobs.length;
    const at = now - (count - i) * 1000;
    const created = { creationTime: at - 500, lastModified: opts.running ? at : at + 400 };
    jobs.push({
      id,
      ...created,
      ...(opts.running
        ? { state: 'active', stateTransitionTime: at - 500 }
        : {
            state: 'completed',
            stateTransitionTime: at + 400,
            previousState: 'active',
            endTime: at + 400,
            terminateReason: 'AllTasksComplete',
          }),
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
          ...created,
          coreJob: coreJobName(id, 'main'),
          ...(opts.running ? {} : { outcome: succeeded(at + 400) }),
        },
      ],
    });
  }
  if (opts.running) {
    // The task reads its state from its core job: running, with no process.
    const k = { ...f.ws, exp: BATCH_EXPERIMENT };
    const names = jobs.map((j) => j.tasks[0]!.coreJob);
    seedJobs(f.core, k, count, {
      // On the first pool: a core job's cluster only places its process, and these have none.
      cluster: pools[0],
      running: true,
      names,
    });
  }
  for (const j of jobs) f.store.jobs.set(j.id, j);
  f.store.save();
  return jobs.map((j) => j.id);
}

const inExperiment = (j: StoredJob, experiment: string) => experimentOf(j.options) === experiment;

/** Ends the experiment's seeded running jobs now, their tasks succeeded; how many. */
export function endSeededBatchJobs(f: BatchFacade, experiment: string): number {
  const now = f.core.now();
  const running = [...f.store.jobs.values()].filter((j) => j.state === 'active' && inExperiment(j, experiment));
  for (const j of running) {
    for (const t of j.tasks) Object.assign(t, { lastModified: now, outcome: succeeded(now) });
    completeJob(f, j, 'AllTasksComplete');
  }
  endSeededJobs(
    f.core,
    { ...f.ws, exp: BATCH_EXPERIMENT },
    new Set(running.flatMap((j) => j.tasks.map((t) => t.coreJob))),
  );
  f.store.save();
  return running.length;
}

/** Deletes the experiment's jobs at once (the service's delete, ended). */
export function dropBatchExperiment(f: BatchFacade, experiment: string): void {
  const gone = [...f.store.jobs.values()].filter((j) => inExperiment(j, experiment));
  for (const t of gone.flatMap((j) => j.tasks)) deleteTaskRun(f, t);
  for (const j of gone) f.store.jobs.delete(j.id.toLowerCase());
  f.store.save();
}
