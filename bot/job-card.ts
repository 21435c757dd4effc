// The job card the bot answers with: shared/core's job view plus who submitted it from chat, which only the
// bot knows (the Batch AI job does not record it).
import type { Job } from '../shared/batchai/types';
import { toJobView } from '../shared/core/job-view';
import type { JobView } from '../shared/core/views';

export function jobView(
  job: Job,
  workspace: string,
  extra: Partial<Pick<JobView, 'tails' | 'outputs' | 'headline'>> & { submittedBy?: string; now?: Date } = {},
): JobView {
  const { submittedBy, ...rest } = extra;
  const view = toJobView(job, workspace, rest);
  if (submittedBy) view.job.submittedBy = submittedBy;
  return view;
}

export function isFinished(job: Job): boolean {
  const s = job.properties?.executionState;
  return s === 'succeeded' || s === 'failed';
}
