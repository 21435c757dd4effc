// Pure: a completed Batch job kept by a listing in the model's form (jobOf without its task) and completed with
// its task afterwards reads exactly as jobOf of the job and its task together, whatever the task adds (node
// count, start, exit code, a failure with or without its code or message).
import { EXPERIMENT_METADATA } from '../../shared/azurebatch/batch-job';
import { completedWithTask, jobOf } from '../../shared/azurebatch/to-model';
import type { BatchJob, BatchTask } from '../../shared/azurebatch/types';

const ACCOUNT = { subscriptionId: 'sub', resourceGroup: 'rg', account: 'acct' };

function completed(terminateReason: string): BatchJob {
  return {
    id: 'train-1',
    state: 'completed',
    stateTransitionTime: '2026-12-01T10:05:00Z',
    creationTime: '2026-12-01T10:00:00Z',
    priority: 0,
    poolInfo: { poolId: 'gpu' },
    executionInfo: { startTime: '2026-12-01T10:00:01Z', endTime: '2026-12-01T10:04:59Z', terminateReason },
    metadata: [{ name: EXPERIMENT_METADATA, value: 'exp' }],
  } as BatchJob;
}

function task(extra: Partial<BatchTask> = {}, execution: Record<string, unknown> = {}): BatchTask {
  return {
    id: 'main',
    state: 'completed',
    stateTransitionTime: '2026-12-01T10:04:58Z',
    executionInfo: { startTime: '2026-12-01T10:01:00Z', endTime: '2026-12-01T10:04:58Z', ...execution },
    ...extra,
  } as BatchTask;
}

test.each<[string, BatchJob, BatchTask | undefined]>([
  ['succeeded, exit 0', completed('AllTasksComplete'), task({}, { exitCode: 0 })],
  [
    'succeeded on 4 nodes',
    completed('AllTasksComplete'),
    task({ multiInstanceSettings: { numberOfInstances: 4, coordinationCommandLine: 'true' } }),
  ],
  [
    'failed with the task failure',
    completed('TaskFailed'),
    task({}, { exitCode: 2, failureInfo: { code: 'FailureExitCode', message: 'exit code 2' } }),
  ],
  ['failed, failure without code', completed('TaskFailed'), task({}, { failureInfo: { message: 'boom' } })],
  ['failed, failure without message', completed('TaskFailed'), task({}, { failureInfo: { code: 'OOM' } })],
  ['failed, task without failure', completed('MaxWallClockTimeExpiry'), task()],
  ['terminated before a task ran', completed('UserTerminate'), undefined],
])('%s: completed with its task as jobOf with both', (_, job, t) => {
  expect(completedWithTask(jobOf(ACCOUNT, job), t)).toEqual(jobOf(ACCOUNT, job, t));
});
