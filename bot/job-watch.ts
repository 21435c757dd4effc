// The follow-up of submit and terminate: keep the answered job card in step with the job until it finishes,
// then show the tail of each process's stdout (and stderr on failure), as the completion alert does.
import type { ComputeJob, JobRef } from '../shared/compute/model';
import { tailFileNames } from '../shared/core/log-files';
import type { LogTailView } from '../shared/core/views';
import type { FollowUpTarget } from '../shared/storage/followup-queue';
import type { BotDeps } from './deps';
import type { FollowUp } from './handler';
import { readJobTails } from './handlers/files';
import { isFinished, jobView } from './job-card';
import { STOPPED_NOTE, type Watch } from './follow-up';

type JobTarget = Extract<FollowUpTarget, { kind: 'job' }>;

const stateKey = (j: ComputeJob) => j.state;

/**
 * The card's headline: what the command did, never the state again (the card's state line says that, in its
 * colour). The follow-up message names the command, not a function.
 */
export const JOB_HEADLINES: Record<JobTarget['headline'], (j: ComputeJob) => string> = {
  submit: (j) => (isFinished(j) ? 'Finished' : 'Submitted'),
  terminate: (j) => (isFinished(j) ? 'Terminated' : 'Terminate requested'),
};

export function followJob(
  ref: JobRef,
  initial: ComputeJob,
  headline: JobTarget['headline'],
  submittedBy?: string,
): FollowUp {
  const job = { resourceGroup: ref.resourceGroup, workspace: ref.workspace, experiment: ref.experiment, job: ref.job };
  return { target: { kind: 'job', job, headline, ...(submittedBy ? { submittedBy } : {}) }, key: stateKey(initial) };
}

export function jobWatch(deps: BotDeps, target: JobTarget): Watch<ComputeJob> {
  const ref = target.job;
  return {
    fetch: () => deps.compute.getJob(ref),
    key: stateKey,
    done: isFinished,
    render: async (j, phase) => {
      let tails: LogTailView[] = [];
      if (phase === 'done') {
        const failed = j.state === 'failed';
        tails = (
          await readJobTails({ deps }, ref, (listed) => tailFileNames(listed, failed), deps.config.logs.tailLines)
        ).map((t) => t.tail);
      }
      const headline = JOB_HEADLINES[target.headline](j);
      return jobView(j, ref.workspace, {
        now: deps.now(),
        labels: deps.compute.labels,
        headline: phase === 'stopped' ? `${headline} (${STOPPED_NOTE}: press Refresh)` : headline,
        tails,
        submittedBy: target.submittedBy,
      });
    },
  };
}
