// Whether a task that just ended runs again, as the service decides: only a process that exited nonzero (not
// one a user or the wall clock ended, not a failed upload or fetch) is retried, up to the task's
// maxTaskRetryCount, else the job's, else 0; -1 retries without limit.
import type { StoredJob, StoredTask, TaskOutcome } from './store';

export function mayRetry(j: StoredJob, t: StoredTask, outcome: TaskOutcome): boolean {
  if (outcome.result !== 'failure' || outcome.failure?.code !== 'FailureExitCode') return false;
  const max = t.options.constraints?.maxTaskRetryCount ?? j.options.constraints?.maxTaskRetryCount ?? 0;
  return max === -1 || (t.retryCount ?? 0) < max;
}
