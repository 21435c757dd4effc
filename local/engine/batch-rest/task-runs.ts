// Batch tasks on the core: each task is a core job (a gang of `numberOfInstances` nodes on the pool's
// cluster) whose command runs with the environment a Batch node gives (AZ_BATCH_* variables, the task and
// working directories). When the process ends, its outputFiles upload, then the task completes and the job's
// rules apply: exit options (onTaskFailure), onAllTasksComplete, the wall clock, a user's terminate.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { JobBaseProperties } from '../../../shared/batchai/types';
import type { EnvironmentSetting, ExitConditions, ExitOptions } from '../../../shared/azurebatch/types';
import { shellQuote } from '../../../shared/templates/shell-quote';
import { EngineError } from '../core/errors';
import { createJob, deleteJob, terminateJob } from '../core/jobs';
import { isFinished, type JobRec } from '../core/model';
import { putExperiment } from '../core/resources';
import { notFound } from './batch-http-error';
import {
  BATCH_EXPERIMENT,
  clusterIdText,
  clusterKey,
  coreJobKey,
  coreJobName,
  coreJobOf,
  poolIdOf,
  type BatchFacade,
} from './facade';
import { checkResourceFiles, fetchResourceFiles, isResourceFileFailure, type TaskFailure } from './resource-files';
import type { StoredJob, StoredTask, TaskOutcome } from './store';
import { mayRetry } from './task-retry';
import { uploadOutputFiles } from './uploads';
import { LOCAL_NODE_ID } from './views';

function priorityOf(p: number | undefined): 'low' | 'normal' | 'high' {
  return (p ?? 0) > 200 ? 'high' : (p ?? 0) < -200 ? 'low' : 'normal';
}

function exportLines(vars: Record<string, string>): string {
  return Object.entries(vars)
    .map(([k, v]) => `export ${k}=${v}`)
    .join('\n');
}

/** The script the core runs: a Batch node's environment and directories, then the command line as given. */
function nodeScript(
  f: BatchFacade,
  j: StoredJob,
  t: StoredTask,
  nodes: number,
  command: string,
  prep: boolean,
): string {
  const q = shellQuote;
  return [
    exportLines({
      AZ_BATCH_ACCOUNT_NAME: q(f.account),
      AZ_BATCH_ACCOUNT_URL: q(f.baseUrl),
      AZ_BATCH_POOL_ID: q(poolIdOf(j)),
      AZ_BATCH_JOB_ID: q(j.id),
      AZ_BATCH_TASK_ID: q(prep ? 'jobpreparation' : t.id),
      AZ_BATCH_NODE_ID: LOCAL_NODE_ID,
      AZ_BATCH_HOST_LIST: Array.from({ length: nodes }, () => '127.0.0.1').join(','),
      AZ_BATCH_MASTER_NODE: '127.0.0.1:6105',
      AZ_BATCH_IS_CURRENT_NODE_MASTER: 'true',
      AZ_BATCH_NODE_MOUNTS_DIR: '"$AZ_BATCHAI_MOUNT_ROOT"',
      AZ_BATCH_TASK_DIR: prep ? '"$AZ_BATCHAI_STDOUTERR_DIR/jobpreparation"' : '"$AZ_BATCHAI_STDOUTERR_DIR"',
    }),
    'export AZ_BATCH_TASK_WORKING_DIR="$AZ_BATCH_TASK_DIR/wd"',
    'mkdir -p "$AZ_BATCH_TASK_WORKING_DIR" && cd "$AZ_BATCH_TASK_WORKING_DIR" || exit 1',
    // Resource files fetched before the task was given to the core (resource-files.ts), copied with their modes.
    ...(prep ? [] : [`if [ -n "\${${STAGED}:-}" ]; then cp -pR "$${STAGED}/." . || exit 1; fi`]),
    command,
  ].join('\n');
}

const env = (...lists: (EnvironmentSetting[] | undefined)[]) =>
  lists.flatMap((l) => l ?? []).map((e) => ({ name: e.name, value: e.value ?? '' }));

/**
 * A multi-instance task's coordination command runs first (on the service it runs on every node and the
 * application command starts once all have finished; here the gang is this one machine), on its own lines so
 * that a comment or a trailing `&` in it stays its own; a failure fails the task with its exit code.
 */
function withCoordination(o: StoredTask['options']): string {
  const coordination = o.multiInstanceSettings?.coordinationCommandLine;
  if (!coordination) return o.commandLine;
  return [coordination, 'rc=$?; [ "$rc" -eq 0 ] || exit "$rc"', o.commandLine].join('\n');
}

/** The variable naming the folder a task's resource files were fetched into (set only when it has some). */
const STAGED = 'AZ_BATCH_LOCAL_RESOURCE_FILES_DIR';

function runTask(f: BatchFacade, j: StoredJob, t: StoredTask, staged?: string): void {
  const o = t.options;
  const nodes = o.multiInstanceSettings?.numberOfInstances ?? 1;
  const prep = j.options.jobPreparationTask;
  const common = j.options.commonEnvironmentSettings as EnvironmentSetting[] | undefined;
  const clocks = [j.options.constraints?.maxWallClockTime, o.constraints?.maxWallClockTime].filter(
    (x): x is string => !!x,
  );
  const props: JobBaseProperties = {
    cluster: { id: clusterIdText(f, poolIdOf(j)) },
    nodeCount: nodes,
    schedulingPriority: priorityOf(j.options.priority),
    customToolkitSettings: { commandLine: nodeScript(f, j, t, nodes, withCoordination(o), false) },
    ...(prep ? { jobPreparation: { commandLine: nodeScript(f, j, t, nodes, prep.commandLine, true) } } : {}),
    environmentVariables: [
      ...env(common, o.environmentSettings, prep?.environmentSettings),
      ...(staged ? [{ name: STAGED, value: staged }] : []),
    ],
    stdOutErrPathPrefix: '$AZ_BATCHAI_JOB_MOUNT_ROOT',
    // The shorter of the job's and the task's limits (the job's counts from its creation on the service).
    ...(clocks.length ? { constraints: { maxWallClockTime: clocks[0] } } : {}),
    ...(o.containerSettings
      ? { containerSettings: { imageSourceRegistry: { image: o.containerSettings.imageName } } }
      : {}),
  };
  putExperiment(f.core, { ...f.ws, exp: BATCH_EXPERIMENT });
  try {
    createJob(f.core, coreJobKey(f, t), props);
  } catch (e) {
    if (e instanceof EngineError && e.code === 'ClusterNotFound') throw notFound('Pool', poolIdOf(j));
    throw e;
  }
}

function stagingDir(f: BatchFacade, t: StoredTask): string {
  return join(f.core.dataDir, 'batch', 'resource-files', t.coreJob);
}

/** Marks a task that never reached the core as completed with `failure` (and applies the job's rules). */
export function failBeforeStart(f: BatchFacade, j: StoredJob, t: StoredTask, failure: TaskFailure): void {
  t.outcome = { endTime: f.core.now(), result: 'failure', failure };
  t.lastModified = f.core.now();
  applyJobRules(f, j, t);
  finishTermination(f, j);
}

/**
 * Starts a task on the core; one with resource files first fetches them (in the background, as a node agent
 * does while the task shows `active`), then starts, or fails the task as the service reports a failed fetch.
 */
export function startTask(f: BatchFacade, j: StoredJob, t: StoredTask): void {
  const files = checkResourceFiles(t.options.resourceFiles, 'resourceFiles');
  if (!files.length) {
    runTask(f, j, t);
    return;
  }
  if (!f.core.state.cluster(clusterKey(f, poolIdOf(j)))) throw notFound('Pool', poolIdOf(j));
  const dir = stagingDir(f, t);
  const key = `fetch:${t.coreJob}`;
  const fetched = fetchResourceFiles(dir, files, f.stopping.signal)
    .then((failure) => {
      // Deleted, terminated or ended while fetching: nothing to start. Stopped: resume-tasks.ts starts it again.
      if (f.stopping.signal.aborted || f.store.job(j.id) !== j || !j.tasks.includes(t) || t.outcome) return;
      if (failure) failBeforeStart(f, j, t, failure);
      else {
        try {
          runTask(f, j, t, dir);
        } catch (e) {
          const message = e instanceof Error ? e.message : String(e);
          failBeforeStart(f, j, t, { category: 'servererror', code: 'TaskStartFailed', message });
        }
      }
      f.store.save();
    })
    .finally(() => f.pending.delete(key));
  f.pending.set(key, fetched);
}

/**
 * Lets go of a task's core job (its process stops; the record goes once it has) and names the next run's:
 * from here on the task has no core job, so it shows `active` until it starts again (a retry, a requeue, a
 * reactivation). A re-run needs a core job of its own, since the old one is still being deleted.
 */
export function detach(f: BatchFacade, j: StoredJob, t: StoredTask): void {
  if (coreJobOf(f, t)) deleteTaskRun(f, t);
  const runs = Number(/~r(\d+)$/.exec(t.coreJob)?.[1] ?? 0) + 1;
  t.coreJob = `${coreJobName(j.id, t.id)}~r${runs}`;
  t.lastModified = f.core.now();
}

export function newTask(j: StoredJob, options: StoredTask['options'], now: number): StoredTask {
  return { id: options.id, options, creationTime: now, lastModified: now, coreJob: coreJobName(j.id, options.id) };
}

/** Stops a task's process (terminate, job terminate or delete); its outcome is recorded when it has stopped. */
export function stopTask(f: BatchFacade, t: StoredTask): void {
  const c = coreJobOf(f, t);
  if (c && !isFinished(c)) terminateJob(f.core, coreJobKey(f, t));
  // Not started (still fetching its resource files, or waiting in a disabled job): it ends here, and nothing
  // starts it later.
  else if (!c && !t.outcome) {
    t.outcome = {
      endTime: f.core.now(),
      result: 'failure',
      failure: { category: 'usererror', code: 'TaskEnded', message: 'Task Was Ended by User Request' },
    };
    t.lastModified = f.core.now();
  }
}

export function deleteTaskRun(f: BatchFacade, t: StoredTask): void {
  if (coreJobOf(f, t)) deleteJob(f.core, coreJobKey(f, t));
  rmSync(stagingDir(f, t), { recursive: true, force: true });
}

function exitAction(c: ExitConditions | undefined, o: TaskOutcome): ExitOptions['jobAction'] {
  if (!c) return 'none';
  if (o.failure?.code === 'FileUploadError') return c.fileUploadError?.jobAction ?? c.default?.jobAction ?? 'none';
  // A task that failed before its command ran (a resource file) follows preProcessingError.
  if (o.failure && isResourceFileFailure(o.failure.code))
    return c.preProcessingError?.jobAction ?? c.default?.jobAction ?? 'none';
  const code = o.exitCode;
  const exact = c.exitCodes?.find((x) => x.code === code);
  if (exact) return exact.exitOptions.jobAction ?? 'none';
  const range = c.exitCodeRanges?.find((x) => code !== undefined && code >= x.start && code <= x.end);
  if (range) return range.exitOptions.jobAction ?? 'none';
  return c.default?.jobAction ?? 'none';
}

export function completeJob(f: BatchFacade, j: StoredJob, reason: string): void {
  const now = f.core.now();
  Object.assign(j, {
    previousState: j.state,
    state: 'completed',
    stateTransitionTime: now,
    lastModified: now,
    endTime: now,
    terminateReason: reason,
  });
  for (const t of j.tasks) if (!t.outcome) stopTask(f, t);
}

function outcomeOf(c: JobRec, uploadError: string | undefined, now: number): TaskOutcome {
  const endTime = c.endTime ?? now;
  if (uploadError)
    return {
      endTime,
      exitCode: c.exitCode,
      result: 'failure',
      failure: { category: 'usererror', code: 'FileUploadError', message: uploadError },
    };
  if (c.executionState === 'succeeded') return { endTime, exitCode: c.exitCode ?? 0, result: 'success' };
  const code = c.errors?.[0]?.code;
  const failure =
    code === 'MaxWallClockTimeExpiry'
      ? {
          category: 'usererror' as const,
          code: 'TaskEnded',
          message: 'The task ran longer than the maximum wall clock time.',
        }
      : code === 'JobTerminated'
        ? { category: 'usererror' as const, code: 'TaskEnded', message: 'Task Was Ended by User Request' }
        : {
            category: 'usererror' as const,
            code: 'FailureExitCode',
            message: 'The task process exited with an unexpected exit code',
          };
  return { endTime, exitCode: c.exitCode, result: 'failure', failure };
}

function applyJobRules(f: BatchFacade, j: StoredJob, t: StoredTask, c?: JobRec): void {
  if (j.state !== 'active') return;
  if (c?.errors?.some((e) => e.code === 'MaxWallClockTimeExpiry')) {
    completeJob(f, j, 'MaxWallClockTimeExpiry');
    return;
  }
  if (t.outcome?.result === 'failure' && j.options.onTaskFailure === 'performexitoptionsjobaction') {
    const action = exitAction(t.options.exitConditions, t.outcome);
    if (action === 'terminate') {
      completeJob(f, j, 'TaskFailed');
      return;
    }
    if (action === 'disable')
      Object.assign(j, { previousState: j.state, state: 'disabled', stateTransitionTime: f.core.now() });
  }
  if (j.options.onAllTasksComplete === 'terminatejob' && j.tasks.every((x) => x.outcome))
    completeJob(f, j, 'AllTasksComplete');
}

/** A terminating job completes once every task has its outcome (its uploads are done). */
function finishTermination(f: BatchFacade, j: StoredJob): boolean {
  if (j.state !== 'terminating' || !j.tasks.every((t) => t.outcome)) return false;
  const now = f.core.now();
  Object.assign(j, {
    previousState: 'terminating',
    state: 'completed',
    stateTransitionTime: now,
    lastModified: now,
    endTime: now,
  });
  return true;
}

/**
 * Moves Batch state forward from the core's: finished processes → uploads → completed tasks → job rules;
 * terminated and deleted jobs once their processes are gone. Uploads run in the background; `pending` holds
 * them so that a test (or shutdown) can wait for them.
 */
export function reconcile(f: BatchFacade, pending: Map<string, Promise<void>>): void {
  let changed = false;
  for (const j of [...f.store.jobs.values()]) {
    if (j.state === 'deleting') {
      if (j.tasks.every((t) => !coreJobOf(f, t))) {
        f.store.jobs.delete(j.id.toLowerCase());
        changed = true;
      }
      continue;
    }
    for (const t of j.tasks) {
      if (t.outcome || pending.has(t.coreJob)) continue;
      const c = coreJobOf(f, t);
      if (!c || !isFinished(c)) continue;
      const dir = join(c.paths?.stdOutErr ?? '', 'wd');
      const files = c.paths ? (t.options.outputFiles ?? []) : [];
      // A retry renames the task's core job: the upload is known by the name it started under.
      const key = t.coreJob;
      pending.set(
        key,
        uploadOutputFiles(dir, files, c.executionState === 'succeeded')
          .then((r) => {
            // The fetched resource files were copied into the working directory when the task started.
            rmSync(stagingDir(f, t), { recursive: true, force: true });
            const outcome = outcomeOf(c, r.error, f.core.now());
            if (j.state === 'active' && mayRetry(j, t, outcome)) {
              t.retryCount = (t.retryCount ?? 0) + 1;
              t.lastRetryTime = f.core.now();
              detach(f, j, t);
              startTask(f, j, t);
            } else {
              t.outcome = outcome;
              t.lastModified = f.core.now();
              applyJobRules(f, j, t, c);
              finishTermination(f, j);
            }
            f.store.save();
          })
          .finally(() => pending.delete(key)),
      );
    }
    changed = finishTermination(f, j) || changed;
  }
  if (changed) f.store.save();
}
