// One job's execution: job preparation, then every task of its tool at once (a gang), then the outcome.
// A stop request (terminate, wall-clock limit, engine shutdown) kills every process group of the job.
import { join } from 'node:path';
import type { BatchAIError } from '../../../shared/batchai/types';
import type { JobPaths, JobRec } from './model';
import { taskEnv, writeHostFile } from './job-env';
import { writeMpirunShim } from './mpirun-shim';
import { runProcess, type RunningProcess } from './runner';
import { taskLogNames, tasksOf, type TaskSpec } from './tool-commands';

export type StopReason =
  | 'terminated'
  | 'timedOut'
  | 'engineStopped'
  | 'deleted'
  | 'clusterDeleted'
  | 'preempted'
  | 'requeued';

export interface JobOutcome {
  exitCode: number;
  errors?: BatchAIError[];
  stoppedBy?: StopReason;
}

export interface JobExecution {
  readonly outcome: Promise<JobOutcome>;
  stop(reason: StopReason): void;
}

const STOP_ERRORS: Record<StopReason, BatchAIError> = {
  terminated: { code: 'JobTerminated', message: 'The job was terminated by the user.' },
  timedOut: {
    code: 'MaxWallClockTimeExpiry',
    message: 'The job ran longer than its constraints.maxWallClockTime and was killed.',
  },
  engineStopped: { code: 'JobFailed', message: 'The engine stopped while the job was running.' },
  deleted: { code: 'JobTerminated', message: 'The job was deleted while running.' },
  clusterDeleted: { code: 'JobFailed', message: "The job's cluster was deleted while the job was running." },
  preempted: {
    code: 'JobTerminated',
    message: "The cluster was scaled down with nodeDeallocationOption 'terminate' while the job was running.",
  },
  requeued: {
    code: 'JobRequeued',
    message: "The cluster was scaled down with nodeDeallocationOption 'requeue': the job goes back to the queue.",
  },
};

export function startJobExecution(j: JobRec, paths: JobPaths, cwd: string): JobExecution {
  const running = new Set<RunningProcess>();
  let stopped: StopReason | undefined;

  const run = (task: TaskSpec | 'prep', all: TaskSpec[]): Promise<number> => {
    const names = task === 'prep' ? { out: 'stdout-job_prep.txt', err: 'stderr-job_prep.txt' } : taskLogNames(task);
    const spec =
      task === 'prep' ? { role: 'master' as const, index: 0, command: j.props.jobPreparation!.commandLine } : task;
    const p = runProcess({
      command: spec.command,
      env: taskEnv(j, paths, spec, all),
      cwd,
      stdoutPath: join(paths.stdOutErr, names.out),
      stderrPath: join(paths.stdOutErr, names.err),
    });
    running.add(p);
    return p.done.then((code) => {
      // Reap what the command left behind in its group: the node's task ended with it.
      p.kill();
      running.delete(p);
      return code;
    });
  };

  const outcome = (async (): Promise<JobOutcome> => {
    const tasks = tasksOf(j.props);
    writeHostFile(paths, j.props.nodeCount);
    writeMpirunShim(paths.tempDir);
    if (j.props.jobPreparation) {
      const code = await run('prep', tasks);
      if (stopped) return { exitCode: code, errors: [STOP_ERRORS[stopped]], stoppedBy: stopped };
      if (code !== 0) {
        return {
          exitCode: code,
          errors: [
            { code: 'JobPreparationFailed', message: `The job preparation task failed with exit code ${code}.` },
          ],
        };
      }
    }
    const codes = await Promise.all(tasks.map((t) => run(t, tasks)));
    if (stopped)
      return {
        exitCode: codes.find((c) => c !== 0) ?? codes[0] ?? 0,
        errors: [STOP_ERRORS[stopped]],
        stoppedBy: stopped,
      };
    const failed = codes.find((c) => c !== 0);
    if (failed === undefined) return { exitCode: 0 };
    return {
      exitCode: failed,
      errors: [{ code: 'JobFailed', message: `The job failed with non-zero exit code ${failed}.` }],
    };
  })();

  return {
    outcome,
    stop(reason: StopReason): void {
      stopped ??= reason;
      for (const p of running) p.kill();
    },
  };
}
