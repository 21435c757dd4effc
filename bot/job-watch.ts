// The follow-up of submit and terminate: keep the answered job card in step with the job until it finishes,
// then show its stdout tail (and stderr's on failure), as the completion alert does.
import type { JobRef } from '../shared/batchai/port';
import type { Job } from '../shared/batchai/types';
import type { LogTailView } from '../shared/core/views';
import type { FollowUp, HandlerContext } from './handler';
import { readJobTail } from './handlers/files';
import { isFinished, jobView } from './job-card';
import { watch } from './follow-up';

const stateKey = (j: Job) => j.properties?.executionState ?? '';

/** `headline(state)` names the card's headline for a job state (e.g. "Submitted", "Terminated"). */
export function watchJob(ctx: HandlerContext, ref: JobRef, initial: Job, headline: (j: Job) => string, submittedBy?: string): FollowUp {
  return watch(ctx.timing, {
    fetch: () => ctx.deps.batchAi.getJob(ref),
    key: stateKey,
    done: isFinished,
    render: async (j, done) => {
      const tails: LogTailView[] = [];
      if (done) {
        const lines = ctx.deps.config.logs.tailLines;
        tails.push((await readJobTail(ctx, ref, 'stdout.txt', lines)).tail);
        if (j.properties?.executionState === 'failed') tails.push((await readJobTail(ctx, ref, 'stderr.txt', lines)).tail);
      }
      return jobView(j, ref.workspace, { now: ctx.deps.now(), headline: headline(j), tails, submittedBy });
    },
  }, stateKey(initial));
}
