// How a job ended, read where its card is made: a listing that does not carry it (Azure Batch lists jobs, not their
// tasks; Azure ML's job resource has no times or exit code, run history has) gets one job read per job the card
// shows. Reading it in the tick cost a burst of 1,000 ends 1,000 reads before its first card, for a digest that
// shows 20. A failed read degrades the card, not the alert: the ending is the news.
import type { ComputePort } from '../compute/port';
import type { BackendEvent } from '../core/events';
import { toError } from '../errors';
import { observeJob } from './observe';

export interface EndDetailsDeps {
  compute: Pick<ComputePort, 'getJob' | 'labels'>;
  log: (line: string) => void;
}

export async function withEndDetails(deps: EndDetailsDeps, e: BackendEvent): Promise<BackendEvent> {
  if (e.kind !== 'job' || (e.to !== 'succeeded' && e.to !== 'failed') || e.summary.exitCode !== undefined) return e;
  try {
    const job = await deps.compute.getJob({ ...e.workspace, experiment: e.experiment, job: e.job });
    const o = observeJob(job, e.workspace, e.experiment, deps.compute.labels);
    return { ...e, summary: { ...o.summary, state: e.summary.state }, outputDirectoryIds: o.outputDirectoryIds };
  } catch (err) {
    deps.log(`notify: cannot read how ${e.experiment}/${e.job} ended: ${toError(err).message}`);
    return e;
  }
}
