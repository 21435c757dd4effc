// After a restart: a task that had not reached the core (its resource files were being fetched; the fetch died
// with the process) starts again from the fetch; in a terminating job it ends instead, so the job can complete.
// A task of a disabled job keeps waiting for enable. One whose pool is gone fails as its start would have.
import { toBatchError } from './batch-http-error';
import { coreJobOf, type BatchFacade } from './facade';
import { failBeforeStart, startTask, stopTask } from './task-runs';

export function resumeTasks(f: BatchFacade): void {
  for (const j of f.store.jobs.values()) {
    for (const t of j.tasks) {
      if (t.outcome || coreJobOf(f, t)) continue;
      if (j.state === 'terminating') stopTask(f, t);
      else if (j.state === 'active') {
        try {
          startTask(f, j, t);
        } catch (e) {
          const err = toBatchError(e);
          failBeforeStart(f, j, t, { category: 'usererror', code: err.code, message: err.message });
        }
      }
    }
  }
  f.store.save();
}
