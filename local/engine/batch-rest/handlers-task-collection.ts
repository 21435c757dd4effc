// Task collections and multi-instance subtasks. A collection adds up to 100 tasks in one call and answers 200
// with a result per task (success, or the error that task alone would have had), as the service does; more
// than 100 is RequestBodyTooLarge, which both SDKs answer by sending smaller chunks. A multi-instance task's
// subtasks are the gang's other nodes (1..n-1; the primary is the task itself): they share the gang's process
// state and times, because the engine runs a multi-instance task as one core job on n nodes.
import { BatchHttpError, missingProperty, toBatchError } from './batch-http-error';
import { coreJobOf, poolIdOf, type Handler } from './facade';
import { addTaskTo, jobOf, notActive, taskOf } from './handlers-jobs';
import { listReply, record } from './replies';
import { iso, taskView } from './views';

const MAX_TASKS = 100;

const addTaskCollection: Handler = (f, r) => {
  const j = jobOf(f, r.params.jobId);
  if (j.state !== 'active' && j.state !== 'disabled') throw notActive(j);
  const tasks = record(r.body, 'taskCollection').value;
  if (!Array.isArray(tasks)) throw missingProperty('value');
  if (tasks.length > MAX_TASKS) {
    throw new BatchHttpError(
      413,
      'RequestBodyTooLarge',
      `The request body is too large: at most ${MAX_TASKS} tasks per call, and ${tasks.length} were sent.`,
    );
  }
  const value = tasks.map((body: unknown) => {
    const taskId = typeof (body as { id?: unknown } | null)?.id === 'string' ? (body as { id: string }).id : '';
    try {
      const t = addTaskTo(f, j, body);
      const v = taskView(f, j, t);
      return { status: 'success', taskId, eTag: v.eTag, lastModified: v.lastModified, location: v.url };
    } catch (e) {
      const err = toBatchError(e);
      return {
        status: err.status >= 500 ? 'servererror' : 'clienterror',
        taskId,
        error: {
          code: err.code,
          message: { lang: 'en-US', value: err.message },
          ...(err.values.length ? { values: err.values } : {}),
        },
      };
    }
  });
  return {
    status: 200,
    json: {
      'odata.metadata': `${f.baseUrl}/$metadata#Microsoft.Azure.Batch.Protocol.Entities.TaskAddCollectionResult`,
      value,
    },
  };
};

const listSubtasks: Handler = (f, r) => {
  const j = jobOf(f, r.params.jobId);
  const t = taskOf(j, r.params.taskId);
  const view = taskView(f, j, t);
  const c = coreJobOf(f, t);
  const n = t.options.multiInstanceSettings?.numberOfInstances ?? 1;
  // Subtasks exist once the gang has its nodes, i.e. once the core job has started.
  const started = c?.startTime !== undefined;
  const done = !!t.outcome;
  const subtasks = started
    ? Array.from({ length: n - 1 }, (_, i) => {
        const nodeId = `tvm-local_${i + 1}`;
        return {
          id: i + 1,
          nodeInfo: {
            affinityId: nodeId,
            nodeUrl: `${f.baseUrl}/pools/${poolIdOf(j)}/nodes/${nodeId}`,
            poolId: poolIdOf(j),
            nodeId,
            taskRootDirectory: `workitems/${j.id}/job-1/${t.id}`,
          },
          startTime: iso(c.startTime),
          endTime: done ? iso(t.outcome?.endTime) : undefined,
          exitCode: done ? t.outcome?.exitCode : undefined,
          failureInfo: done ? t.outcome?.failure : undefined,
          state: done ? 'completed' : 'running',
          stateTransitionTime: iso(done ? t.outcome?.endTime : c.startTime),
          result: done ? t.outcome?.result : undefined,
        };
      })
    : [];
  const reply = listReply(f, r, 'Microsoft.Azure.Batch.Protocol.Entities.CloudTaskListSubtasksResult', subtasks);
  const lastModified = view.lastModified ? new Date(view.lastModified).toUTCString() : undefined;
  return {
    ...reply,
    headers: { ...reply.headers, ETag: view.eTag ?? '', ...(lastModified ? { 'Last-Modified': lastModified } : {}) },
  };
};

export const taskCollectionRoutes: Array<[string, string, Handler]> = [
  ['POST', '/jobs/{jobId}/addtaskcollection', addTaskCollection],
  ['GET', '/jobs/{jobId}/tasks/{taskId}/subtasksinfo', listSubtasks],
];
