// A job's life beyond add and terminate: replace (PUT: what is not given goes back to its default), disable and
// enable, and reactivating a failed task. Disable follows `disableTasks`: `terminate` ends the running tasks,
// `requeue` stops them and runs them again on enable, `wait` lets them finish; while disabled no task starts
// (an added one waits). A re-run gets a core job of its own, since the old one is still being deleted.
import { BatchHttpError, invalidProperty, missingProperty } from './batch-http-error';
import { coreJobOf, type Handler } from './facade';
import { jobOf, notActive, taskOf } from './handlers-jobs';
import { accepted, record, requireMatch, updated } from './replies';
import { detach, startTask, stopTask } from './task-runs';
import { jobView, taskView } from './views';

const replaceJob: Handler = (f, r) => {
  const j = jobOf(f, r.params.jobId);
  requireMatch(r, jobView(f, j));
  const b = record(r.body, 'job');
  const poolInfo = b.poolInfo as { poolId?: unknown } | undefined;
  if (!poolInfo) throw missingProperty('poolInfo');
  if (typeof poolInfo.poolId !== 'string')
    throw invalidProperty('poolInfo.poolId', 'the local engine runs jobs on existing pools: give poolInfo.poolId');
  const o = j.options as Record<string, unknown>;
  for (const k of [
    'priority',
    'maxParallelTasks',
    'allowTaskPreemption',
    'constraints',
    'onAllTasksComplete',
    'metadata',
  ])
    o[k] = b[k];
  j.options.poolInfo = { poolId: poolInfo.poolId };
  j.lastModified = f.core.now();
  f.store.save();
  return updated(f, `/jobs/${j.id}`, jobView(f, j).eTag);
};

const DISABLE = ['requeue', 'terminate', 'wait'];

const disableJob: Handler = (f, r) => {
  const j = jobOf(f, r.params.jobId);
  requireMatch(r, jobView(f, j));
  if (j.state !== 'active' && j.state !== 'disabled') throw notActive(j);
  const how = record(r.body, 'disableOptions').disableTasks;
  if (how === undefined) throw missingProperty('disableTasks');
  if (!DISABLE.includes(String(how))) throw invalidProperty('disableTasks', 'expected requeue, terminate or wait');
  for (const t of j.tasks) {
    if (t.outcome) continue;
    if (how === 'terminate') stopTask(f, t);
    // Requeued: its process stops and its core job goes; enable starts it again from the beginning.
    else if (how === 'requeue' && coreJobOf(f, t)) detach(f, j, t);
  }
  const now = f.core.now();
  Object.assign(j, { previousState: j.state, state: 'disabled', stateTransitionTime: now, lastModified: now });
  f.store.save();
  return accepted(f, `/jobs/${j.id}`, jobView(f, j).eTag);
};

const enableJob: Handler = (f, r) => {
  const j = jobOf(f, r.params.jobId);
  requireMatch(r, jobView(f, j));
  if (j.state === 'active') return accepted(f, `/jobs/${j.id}`, jobView(f, j).eTag);
  if (j.state !== 'disabled') throw notActive(j);
  const now = f.core.now();
  Object.assign(j, { previousState: j.state, state: 'active', stateTransitionTime: now, lastModified: now });
  for (const t of j.tasks)
    if (!t.outcome && !coreJobOf(f, t) && !f.pending.has(`fetch:${t.coreJob}`)) startTask(f, j, t);
  f.store.save();
  return accepted(f, `/jobs/${j.id}`, jobView(f, j).eTag);
};

const reactivateTask: Handler = (f, r) => {
  const j = jobOf(f, r.params.jobId);
  const t = taskOf(j, r.params.taskId);
  requireMatch(r, taskView(f, j, t));
  if (j.state !== 'active') throw notActive(j);
  if (t.outcome?.result !== 'failure') {
    throw new BatchHttpError(
      409,
      t.outcome ? 'TaskCompletedSuccessfully' : 'TaskNotCompleted',
      t.outcome
        ? 'The task completed successfully: only a failed task can be reactivated.'
        : 'The task has not completed: only a completed, failed task can be reactivated.',
      [{ key: 'TaskId', value: t.id }],
    );
  }
  t.outcome = undefined;
  t.retryCount = 0;
  detach(f, j, t);
  startTask(f, j, t);
  f.store.save();
  return { status: 204, headers: { DataServiceId: `${f.baseUrl}/jobs/${j.id}/tasks/${t.id}` } };
};

export const jobStateRoutes: Array<[string, string, Handler]> = [
  ['PUT', '/jobs/{jobId}', replaceJob],
  ['POST', '/jobs/{jobId}/disable', disableJob],
  ['POST', '/jobs/{jobId}/enable', enableJob],
  ['POST', '/jobs/{jobId}/tasks/{taskId}/reactivate', reactivateTask],
];
