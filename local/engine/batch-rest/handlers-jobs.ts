// Jobs and their tasks. A job is a record of this facade; each task runs as a core job on the pool's cluster
// (task-runs.ts). Terminate and delete stop the tasks' processes; the job completes (or goes) once they have.
import { MAX_ENVIRONMENT_VARIABLES, MAX_NODES, MAX_TASKS_PER_JOB } from '../quota';
import type { BatchJobCreateOptions, BatchTaskCreateOptions } from '../../../shared/azurebatch/types';
import { BatchHttpError, invalidProperty, missingProperty, notFound } from './batch-http-error';
import { coreJobOf, type BatchFacade, type Handler } from './facade';
import { accepted, created, listReply, record, requireMatch, updated } from './replies';
import type { StoredJob, StoredTask } from './store';
import { deleteTaskRun, newTask, startTask, stopTask } from './task-runs';
import { checkResourceFiles } from './resource-files';
import { checkJobSpec, checkTaskSpec } from './unsupported';
import { entityReply, jobView, taskState, taskView } from './views';

const ID = /^[\w-]{1,64}$/;

export function jobOf(f: BatchFacade, id: string): StoredJob {
  const j = f.store.job(id);
  if (!j) throw notFound('Job', id);
  return j;
}

export function taskOf(j: StoredJob, id: string): StoredTask {
  const t = j.tasks.find((x) => x.id.toLowerCase() === id.toLowerCase());
  if (!t) throw notFound('Task', id);
  return t;
}

function checkId(v: unknown): string {
  if (v === undefined) throw missingProperty('id');
  if (typeof v !== 'string' || !ID.test(v))
    throw invalidProperty('id', 'expected 1-64 letters, digits, hyphens or underscores');
  return v;
}

export function notActive(j: StoredJob): BatchHttpError {
  return j.state === 'completed'
    ? new BatchHttpError(409, 'JobCompleted', 'The specified job is already in a completed state.', [
        { key: 'JobId', value: j.id },
      ])
    : new BatchHttpError(
        409,
        'OperationInvalidForCurrentState',
        `The operation is not allowed while the job is ${j.state}.`,
        [{ key: 'JobId', value: j.id }],
      );
}

/** The local quota of environment settings per job or task: each is a variable of every process it starts. */
function checkEnvironmentSettings(v: unknown, name: string): void {
  if (Array.isArray(v) && v.length > MAX_ENVIRONMENT_VARIABLES)
    throw invalidProperty(
      name,
      `expected at most ${MAX_ENVIRONMENT_VARIABLES} settings (the local engine's quota), got ${v.length}`,
    );
}

const addJob: Handler = (f, r) => {
  const b = record(r.body, 'job') as BatchJobCreateOptions;
  const id = checkId(b.id);
  checkJobSpec(b);
  checkEnvironmentSettings(b.commonEnvironmentSettings, 'commonEnvironmentSettings');
  checkEnvironmentSettings(b.jobPreparationTask?.environmentSettings, 'jobPreparationTask.environmentSettings');
  if (!b.poolInfo?.poolId) {
    throw b.poolInfo?.autoPoolSpecification
      ? invalidProperty(
          'poolInfo.autoPoolSpecification',
          'the local engine runs jobs on existing pools: give poolInfo.poolId',
        )
      : missingProperty('poolInfo');
  }
  if (f.store.job(id))
    throw new BatchHttpError(409, 'JobExists', 'The specified job already exists.', [{ key: 'JobId', value: id }]);
  const now = f.core.now();
  f.store.jobs.set(id.toLowerCase(), {
    id,
    options: b,
    creationTime: now,
    lastModified: now,
    state: 'active',
    stateTransitionTime: now,
    tasks: [],
  });
  f.store.save();
  return created(f, `/jobs/${id}`, jobView(f, f.store.job(id)!).eTag);
};

const UPDATABLE = [
  'priority',
  'maxParallelTasks',
  'allowTaskPreemption',
  'constraints',
  'poolInfo',
  'onAllTasksComplete',
  'metadata',
] as const;

const updateJob: Handler = (f, r) => {
  const j = jobOf(f, r.params.jobId);
  requireMatch(r, jobView(f, j));
  const b = record(r.body, 'job');
  for (const k of UPDATABLE) if (b[k] !== undefined) (j.options as Record<string, unknown>)[k] = b[k];
  j.lastModified = f.core.now();
  f.store.save();
  return updated(f, `/jobs/${j.id}`, jobView(f, j).eTag);
};

const terminate: Handler = (f, r) => {
  const j = jobOf(f, r.params.jobId);
  requireMatch(r, jobView(f, j));
  if (j.state !== 'active' && j.state !== 'disabled') throw notActive(j);
  const reason = record(r.body, 'options').terminateReason;
  const now = f.core.now();
  Object.assign(j, {
    previousState: j.state,
    state: 'terminating',
    stateTransitionTime: now,
    lastModified: now,
    terminateReason: typeof reason === 'string' ? reason : 'UserTerminate',
  });
  for (const t of j.tasks) if (!t.outcome) stopTask(f, t);
  f.store.save();
  return accepted(f, `/jobs/${j.id}`);
};

const deleteJob: Handler = (f, r) => {
  const j = jobOf(f, r.params.jobId);
  requireMatch(r, jobView(f, j));
  const now = f.core.now();
  Object.assign(j, { previousState: j.state, state: 'deleting', stateTransitionTime: now, lastModified: now });
  for (const t of j.tasks) deleteTaskRun(f, t);
  f.store.save();
  return { status: 202 };
};

/**
 * Checks one task's definition and starts it in job `j` (a single add and each item of a task collection);
 * throws the service's error for the first thing wrong with it.
 */
export function addTaskTo(f: BatchFacade, j: StoredJob, body: unknown): StoredTask {
  // A disabled job takes tasks; they start when it is enabled (handlers-job-state.ts).
  if (j.state !== 'active' && j.state !== 'disabled') throw notActive(j);
  const b = record(body, 'task') as BatchTaskCreateOptions;
  const id = checkId(b.id);
  if (typeof b.commandLine !== 'string' || !b.commandLine.trim()) throw missingProperty('commandLine');
  checkTaskSpec(b);
  checkEnvironmentSettings(b.environmentSettings, 'environmentSettings');
  checkResourceFiles(b.resourceFiles, 'resourceFiles');
  const n = b.multiInstanceSettings?.numberOfInstances;
  if (n !== undefined && (!Number.isInteger(n) || n < 1 || n > MAX_NODES)) {
    throw invalidProperty(
      'multiInstanceSettings.numberOfInstances',
      `expected a whole number from 1 to ${MAX_NODES} (the local engine's quota of nodes)`,
    );
  }
  if (j.tasks.some((t) => t.id.toLowerCase() === id.toLowerCase()))
    throw new BatchHttpError(409, 'TaskExists', 'The specified task already exists.', [{ key: 'TaskId', value: id }]);
  // The spec names no code for this (the service's own quotas are per account): a 409 the SDKs surface as is.
  if (j.tasks.length >= MAX_TASKS_PER_JOB) {
    throw new BatchHttpError(409, 'TaskQuotaReached', `The job already has ${MAX_TASKS_PER_JOB} tasks.`, [
      { key: 'Reason', value: `The local engine keeps at most ${MAX_TASKS_PER_JOB} tasks per job.` },
    ]);
  }
  const t = newTask(j, b, f.core.now());
  if (j.state === 'active') startTask(f, j, t);
  j.tasks.push(t);
  f.store.save();
  return t;
}

const addTask: Handler = (f, r) => {
  const j = jobOf(f, r.params.jobId);
  const t = addTaskTo(f, j, r.body);
  return created(f, `/jobs/${j.id}/tasks/${t.id}`, taskView(f, j, t).eTag);
};

function taskCounts(f: BatchFacade, j: StoredJob) {
  const c = { active: 0, running: 0, completed: 0, succeeded: 0, failed: 0 };
  for (const t of j.tasks) {
    const s = taskState(f, t);
    if (s === 'completed') {
      c.completed++;
      if (t.outcome?.result === 'success') c.succeeded++;
      else c.failed++;
    } else if (s === 'running' || s === 'preparing') c.running++;
    else c.active++;
  }
  return c;
}

export const jobRoutes: Array<[string, string, Handler]> = [
  ['GET', '/jobs', (f, r) => listReply(f, r, 'jobs', [...f.store.jobs.values()], (j) => jobView(f, j))],
  ['POST', '/jobs', addJob],
  [
    'GET',
    '/jobs/{jobId}',
    (f, r) => entityReply(f, 'jobs', requireMatch(r, jobView(f, jobOf(f, r.params.jobId)), true)),
  ],
  ['PATCH', '/jobs/{jobId}', updateJob],
  ['DELETE', '/jobs/{jobId}', deleteJob],
  ['POST', '/jobs/{jobId}/terminate', terminate],
  [
    'GET',
    '/jobs/{jobId}/taskcounts',
    (f, r) => {
      const counts = taskCounts(f, jobOf(f, r.params.jobId));
      return entityReply(f, 'Microsoft.Azure.Batch.Protocol.Entities.TaskCountsResult', {
        taskCounts: counts,
        taskSlotCounts: counts,
      } as never);
    },
  ],
  [
    'GET',
    '/jobs/{jobId}/jobpreparationandreleasetaskstatus',
    (f, r) => {
      const j = jobOf(f, r.params.jobId);
      const ran = j.options.jobPreparationTask
        ? j.tasks.map((t) => coreJobOf(f, t)).filter((c) => c?.startTime !== undefined)
        : [];
      const value = ran.slice(0, 1).map((c) => ({
        poolId: j.options.poolInfo.poolId,
        nodeId: 'tvm-local_0',
        nodeUrl: `${f.baseUrl}/pools/${j.options.poolInfo.poolId}/nodes/tvm-local_0`,
        jobPreparationTaskExecutionInfo: {
          startTime: new Date(c!.startTime!).toISOString(),
          state: 'completed',
          retryCount: 0,
          exitCode: 0,
        },
      }));
      return listReply(f, r, 'jobpreparationandreleasetaskstatus', value);
    },
  ],
  [
    'GET',
    '/jobs/{jobId}/tasks',
    (f, r) => {
      const j = jobOf(f, r.params.jobId);
      return listReply(f, r, 'tasks', j.tasks, (t) => taskView(f, j, t));
    },
  ],
  ['POST', '/jobs/{jobId}/tasks', addTask],
  [
    'GET',
    '/jobs/{jobId}/tasks/{taskId}',
    (f, r) => {
      const j = jobOf(f, r.params.jobId);
      return entityReply(f, 'tasks', requireMatch(r, taskView(f, j, taskOf(j, r.params.taskId)), true));
    },
  ],
  [
    'PUT',
    '/jobs/{jobId}/tasks/{taskId}',
    (f, r) => {
      const j = jobOf(f, r.params.jobId);
      const t = taskOf(j, r.params.taskId);
      requireMatch(r, taskView(f, j, t));
      const c = record(r.body, 'task').constraints;
      if (c !== undefined) t.options = { ...t.options, constraints: record(c, 'constraints') };
      t.lastModified = f.core.now();
      f.store.save();
      return updated(f, `/jobs/${j.id}/tasks/${t.id}`, taskView(f, j, t).eTag);
    },
  ],
  [
    'POST',
    '/jobs/{jobId}/tasks/{taskId}/terminate',
    (f, r) => {
      const j = jobOf(f, r.params.jobId);
      const t = taskOf(j, r.params.taskId);
      requireMatch(r, taskView(f, j, t));
      stopTask(f, t);
      return { status: 204 };
    },
  ],
  [
    'DELETE',
    '/jobs/{jobId}/tasks/{taskId}',
    (f, r) => {
      const j = jobOf(f, r.params.jobId);
      const t = taskOf(j, r.params.taskId);
      requireMatch(r, taskView(f, j, t));
      deleteTaskRun(f, t);
      j.tasks = j.tasks.filter((x) => x !== t);
      f.store.save();
      return { status: 200 };
    },
  ],
];
