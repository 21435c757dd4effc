// Jobs: submitted 'queued', started by the scheduler when their gang of nodes is free, run as real processes,
// ended 'succeeded' or 'failed'. Terminate and delete stop the whole process tree.
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BatchAIError, JobBaseProperties } from '../../../shared/batchai/types';
import type { Core } from './core';
import { deletingConflict, EngineError, invalidContent } from './errors';
import { DEFAULT_MAX_WALL_CLOCK, parseDuration } from './durations';
import { jobDir, preparePaths } from './job-env';
import { startJobExecution, type StopReason } from './job-run';
import { getExperiment, getJob } from './lookups';
import { isFinished, type ClusterKey, type ClusterRec, type JobKey, type JobRec } from './model';
import { checkMountVolumes } from './mounts';
import { scrub } from './secrets';
import { toolOf } from './tool-commands';
import { byPriority } from './priority';

/** Reads the cluster a job names; lenient about the id's form (examples show `/workspace/` and no workspace). */
function parseClusterRef(k: JobKey, id: string): ClusterKey {
  const parts = id.split('/').filter(Boolean);
  const after = (...names: string[]): string | undefined => {
    const i = parts.findIndex((p) => names.includes(p.toLowerCase()));
    return i >= 0 ? parts[i + 1]?.toLowerCase() : undefined;
  };
  const cluster = after('clusters', 'cluster');
  if (!cluster)
    throw invalidContent(
      `cluster.id '${id}' names no cluster: expected .../workspaces/{workspace}/clusters/{cluster}.`,
    );
  return {
    sub: after('subscriptions') ?? k.sub,
    rg: after('resourcegroups') ?? k.rg,
    ws: after('workspaces', 'workspace') ?? k.ws,
    cluster,
  };
}

/** Creates a job (`created: true`), or returns the existing job of that name unchanged. */
export function createJob(core: Core, k: JobKey, props: JobBaseProperties): { rec: JobRec; created: boolean } {
  const exp = getExperiment(core, k);
  if (exp.provisioningState === 'deleting') throw deletingConflict('experiment', k.exp);
  const existing = core.state.job(k);
  if (existing) return { rec: existing, created: false };
  const cluster = parseClusterRef(k, props.cluster.id);
  const c = core.state.cluster(cluster);
  if (!c || c.provisioningState === 'deleting') {
    throw new EngineError(
      'notFound',
      'ClusterNotFound',
      `The cluster '${cluster.cluster}' named by cluster.id was not found in workspace '${cluster.ws}'.`,
    );
  }
  if (props.nodeCount < 1) throw invalidContent(`nodeCount must be 1 or more, got ${props.nodeCount}.`);
  const { toolType } = toolOf(props);
  parseDuration(props.constraints?.maxWallClockTime ?? DEFAULT_MAX_WALL_CLOCK);
  checkMountVolumes(core.dataDir, props.mountVolumes, 'mountVolumes');
  const ids = new Set<string>();
  for (const o of props.outputDirectories ?? []) {
    if (ids.has(o.id.toLowerCase()) || o.id.toLowerCase() === 'stdouterr') {
      throw invalidContent(`outputDirectories: id '${o.id}' is used twice or is reserved ('stdouterr').`);
    }
    ids.add(o.id.toLowerCase());
  }
  const now = core.now();
  const rec: JobRec = {
    ...k,
    uuid: randomUUID(),
    seq: core.state.takeSeq(),
    props: {
      ...scrub(props, false),
      cluster: { id: props.cluster.id },
      schedulingPriority: props.schedulingPriority ?? 'normal',
      constraints: { maxWallClockTime: props.constraints?.maxWallClockTime ?? DEFAULT_MAX_WALL_CLOCK },
    },
    cluster,
    toolType,
    creationTime: now,
    provisioningState: 'creating',
    provisioningStateTransitionTime: now,
    executionState: 'queued',
    executionStateTransitionTime: now,
  };
  core.state.saveJob(rec);
  core.defer('create', core.timing.operationDelayMs, () => {
    const cur = core.state.job(k);
    if (cur?.uuid === rec.uuid && cur.provisioningState === 'creating') {
      core.state.saveJob({ ...cur, provisioningState: 'succeeded', provisioningStateTransitionTime: core.now() });
    }
  });
  return { rec, created: true };
}

function finish(core: Core, j: JobRec, exitCode: number | undefined, errors: BatchAIError[] | undefined): void {
  const cur = core.state.job(j);
  if (!cur || cur.uuid !== j.uuid) return; // deleted meanwhile
  const now = core.now();
  const notes: BatchAIError[] = cur.props.containerSettings
    ? [
        {
          code: 'ContainerNotSupported',
          message:
            'The local engine ran the job on the host: ' +
            `image '${cur.props.containerSettings.imageSourceRegistry.image}' was not used (no Docker engine).`,
        },
      ]
    : [];
  const all = [...(errors ?? []), ...notes];
  core.state.saveJob({
    ...cur,
    executionState: exitCode === 0 && !errors?.length ? 'succeeded' : 'failed',
    executionStateTransitionTime: now,
    endTime: now,
    ...(exitCode === undefined ? {} : { exitCode }),
    ...(all.length ? { errors: all } : {}),
  });
  core.kick();
}

/** Called by the scheduler once the job's nodes are reserved. */
export function startJob(core: Core, j: JobRec, c: ClusterRec): void {
  const now = core.now();
  let rec: JobRec = { ...j, executionState: 'running', executionStateTransitionTime: now, startTime: now };
  try {
    const paths = preparePaths(core.dataDir, c, rec);
    rec = { ...rec, paths };
    core.state.saveJob(rec);
  } catch (e) {
    core.state.saveJob(rec);
    finish(core, rec, undefined, [
      {
        code: 'JobFailed',
        message: `The job's directories could not be prepared: ${e instanceof Error ? e.message : String(e)}`,
      },
    ]);
    return;
  }
  const cwd = join(jobDir(core.dataDir, rec), 'wd');
  mkdirSync(cwd, { recursive: true });
  const exec = startJobExecution(rec, rec.paths!, cwd);
  core.executions.set(rec.uuid, exec);
  const limit = parseDuration(rec.props.constraints?.maxWallClockTime ?? DEFAULT_MAX_WALL_CLOCK);
  // setTimeout holds at most ~24.8 days; a longer limit cannot be reached by a local run anyway.
  if (limit < 2 ** 31 - 1)
    core.wallClockTimers.set(
      rec.uuid,
      setTimeout(() => exec.stop('timedOut'), limit),
    );
  // While 'jobEnd' is held, the outcome waits (the job stays running or terminating, its nodes busy).
  exec.outcome.then(
    (o) => core.holds.whenFree('jobEnd', () => (o.stoppedBy === 'requeued' ? requeue() : done(o.exitCode, o.errors))),
    (e: unknown) =>
      core.holds.whenFree('jobEnd', () =>
        done(undefined, [
          { code: 'JobFailed', message: `The job could not be run: ${e instanceof Error ? e.message : String(e)}` },
        ]),
      ),
  );
  function release(): void {
    clearTimeout(core.wallClockTimers.get(rec.uuid));
    core.wallClockTimers.delete(rec.uuid);
    core.executions.delete(rec.uuid);
  }
  function done(code: number | undefined, errors: BatchAIError[] | undefined): void {
    release();
    finish(core, rec, code, errors);
  }
  function requeue(): void {
    release();
    const cur = core.state.job(rec);
    if (cur?.uuid !== rec.uuid) return;
    const { startTime: _s, paths: _p, ...rest } = cur;
    core.state.saveJob({ ...rest, executionState: 'queued', executionStateTransitionTime: core.now() });
    core.kick();
  }
}

function stopJob(core: Core, j: JobRec, reason: StopReason): void {
  const exec = core.executions.get(j.uuid);
  if (exec) {
    if (j.executionState === 'running')
      core.state.saveJob({ ...j, executionState: 'terminating', executionStateTransitionTime: core.now() });
    exec.stop(reason);
  } else if (!isFinished(j)) {
    finish(core, j, undefined, [
      {
        code: 'JobTerminated',
        message:
          reason === 'clusterDeleted'
            ? "The job's cluster was deleted before the job ran."
            : 'The job was terminated before it ran.',
      },
    ]);
  }
}

/** 'finished' when there was nothing to terminate (the service answered 200), else 'terminating'. */
export function terminateJob(core: Core, k: JobKey): 'finished' | 'terminating' {
  const j = getJob(core, k);
  if (isFinished(j)) return 'finished';
  stopJob(core, j, 'terminated');
  return 'terminating';
}

/** True once the job is finished (the terminate operation's completion check). */
export function isJobDone(core: Core, k: JobKey): boolean {
  const j = core.state.job(k);
  return !j || isFinished(j);
}

export function deleteJob(core: Core, k: JobKey): void {
  const j = getJob(core, k);
  if (j.provisioningState === 'deleting') return;
  stopJob(core, j, 'deleted');
  const cur = core.state.job(k)!;
  core.state.saveJob({ ...cur, provisioningState: 'deleting', provisioningStateTransitionTime: core.now() });
  core.defer(
    'delete',
    core.timing.operationDelayMs,
    () => {
      const now = core.state.job(k);
      if (now?.uuid === j.uuid) core.state.deleteJobs([now]);
    },
    () => !core.executions.has(j.uuid),
  );
}

/**
 * A manual scale-down below the busy nodes: with 'requeue' or 'terminate', stop running jobs (lowest priority,
 * newest first) until `nodes` nodes are freed; 'waitforjobcompletion' waits for them instead.
 */
export function preemptForScaleDown(core: Core, c: ClusterRec, nodes: number): void {
  const option = c.props.scaleSettings?.manual?.nodeDeallocationOption ?? 'requeue';
  if (option === 'waitforjobcompletion') return;
  const active = core.state.activeJobs(c);
  const victims = active.filter((j) => j.executionState === 'running').sort((a, b) => byPriority(b, a));
  // Jobs already terminating free their nodes soon: count them, or every pass would stop one more job.
  let freed = active.filter((j) => j.executionState === 'terminating').reduce((n, j) => n + j.props.nodeCount, 0);
  for (const j of victims) {
    if (freed >= nodes) break;
    freed += j.props.nodeCount;
    stopJob(core, j, option === 'requeue' ? 'requeued' : 'preempted');
  }
}

export function stopJobsOfCluster(core: Core, c: ClusterKey): void {
  for (const j of core.state.activeJobs(c)) stopJob(core, j, 'clusterDeleted');
}
