// Microsoft's clients that come from Debian packages (python3-azure, azure-cli): how a test finds out that the
// package is missing (a clear message naming it, not an ImportError deep in a script), and how it runs a
// script of steps that print one JSON line each ({"step", "ok", "error"}).
import { execFile, spawnSync } from 'node:child_process';

export const PYTHON = '/usr/bin/python3';

/** Throws naming the Debian package when `check` (a command and its arguments) does not succeed. */
export function requireDebianPackage(pkg: string, check: [string, ...string[]]): void {
  const r = spawnSync(check[0], check.slice(1), { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) {
    throw new Error(
      `This test needs the Debian package ${pkg} (apt-get install -y ${pkg}; .ci/run installs it): ` +
        `\`${check.join(' ')}\` failed: ${(r.error?.message ?? r.stderr ?? '').trim().split('\n').pop()}`,
    );
  }
}

export interface StepResult {
  step: string;
  ok: boolean;
  error?: string;
}

/** Runs a step script to its end; resolves with each step's result, and the output that was not a step. */
export function runSteps(
  file: string,
  args: string[],
  env: Record<string, string>,
  timeoutMs = 120_000,
): Promise<{ steps: Map<string, StepResult>; other: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { env: { ...process.env, ...env }, timeout: timeoutMs }, (_e, stdout, stderr) => {
      const steps = new Map<string, StepResult>();
      const other: string[] = [];
      for (const line of `${stdout}`.split('\n')) {
        if (!line.startsWith('{"step"')) {
          if (line.trim()) other.push(line);
          continue;
        }
        const r = JSON.parse(line) as StepResult;
        steps.set(r.step, r);
      }
      resolve({ steps, other: `${other.join('\n')}\n${stderr}`.trim() });
    });
  });
}

/** A step's result, or a failure that says the script never reported it (and what else it printed). */
export function stepOutcome(run: { steps: Map<string, StepResult>; other: string }, name: string): string {
  const r = run.steps.get(name);
  if (!r) return `step "${name}" was not reported; the script printed:\n${run.other.slice(-3000)}`;
  return r.ok ? 'ok' : (r.error ?? 'failed');
}
