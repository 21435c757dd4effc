// The job card the bot answers with: shared/core's job view plus who submitted it from chat, which only the
// bot knows (the compute services do not record it).
import { type ComputeJob, isFinalState } from '../shared/compute/model';
import { toJobView } from '../shared/core/job-view';
import type { JobView } from '../shared/core/views';

export function jobView(
  job: ComputeJob,
  workspace: string,
  extra: Parameters<typeof toJobView>[2] & { submittedBy?: string } = {},
): JobView {
  const { submittedBy, ...rest } = extra;
  const view = toJobView(job, workspace, rest);
  if (submittedBy) view.job.submittedBy = submittedBy;
  return view;
}

export const isFinished = (job: ComputeJob): boolean => isFinalState(job.state);
