// Runs one shell command as its own process group, with stdout/stderr appended to files, so that terminate,
// the wall-clock limit and engine shutdown can kill the whole tree the command started (not just bash).
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';

export interface ProcessSpec {
  command: string;
  env: Record<string, string>;
  cwd: string;
  stdoutPath: string;
  stderrPath: string;
}

export interface RunningProcess {
  readonly pid: number | undefined;
  /** Exit code; 128+n for a signal, 127 when bash could not be started. */
  readonly done: Promise<number>;
  kill(): void;
}

const SIGNAL_NUMBERS: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };

export function runProcess(spec: ProcessSpec): RunningProcess {
  const out = openSync(spec.stdoutPath, 'a');
  const err = openSync(spec.stderrPath, 'a');
  let child;
  try {
    child = spawn('bash', ['-c', spec.command], {
      cwd: spec.cwd,
      env: { ...process.env, ...spec.env },
      stdio: ['ignore', out, err],
      detached: true,
    });
  } finally {
    // The child holds its own copies of the descriptors.
    closeSync(out);
    closeSync(err);
  }
  const pid = child.pid;
  const done = new Promise<number>((resolve) => {
    child.once('error', () => resolve(127));
    child.once('exit', (code, signal) => resolve(code ?? 128 + (signal ? (SIGNAL_NUMBERS[signal] ?? 1) : 1)));
  });
  return {
    pid,
    done,
    kill(): void {
      if (pid === undefined) return;
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // The group is already gone.
      }
    },
  };
}
