// The port's job → the neutral job views cards render.
import type { ComputeJob, OutputFile } from '../compute/model';
import type { JobName } from './commands';
import { commandText } from './command-text';
import { secondsBetween } from './arm-names';
import { failureCause } from './failure-cause';
import {
  type ActionView,
  type CauseView,
  type JobSummaryView,
  type JobView,
  labelled,
  type LogTailView,
  type OutputFileView,
  type ResourceLabels,
} from './views';

/** `now` gives a running job its duration so far; without it only finished jobs have one. */
export function toJobSummary(job: ComputeJob, workspace: string, now?: Date, labels?: ResourceLabels): JobSummaryView {
  const summary: JobSummaryView = {
    workspace,
    ...labelled(labels),
    experiment: job.experiment,
    name: job.name,
    state: job.state,
    cluster: job.cluster,
    nodeCount: job.nodeCount,
    errors: job.errors,
  };
  if (job.serviceName) summary.serviceName = job.serviceName;
  if (job.toolType) summary.toolType = job.toolType;
  if (job.priority) summary.priority = job.priority;
  if (job.createdAt) summary.createdAt = job.createdAt;
  if (job.startedAt) summary.startedAt = job.startedAt;
  if (job.endedAt) summary.endedAt = job.endedAt;
  const running = job.state === 'running' || job.state === 'terminating';
  const duration = secondsBetween(job.startedAt, job.endedAt ?? (running ? now : undefined));
  if (duration !== undefined) summary.durationSeconds = duration;
  if (job.exitCode !== undefined) summary.exitCode = job.exitCode;
  return summary;
}

export function toOutputFileView(f: OutputFile): OutputFileView {
  return {
    name: f.name,
    url: f.url ?? '',
    isDirectory: f.isDirectory,
    ...(f.size === undefined ? {} : { size: f.size }),
  };
}

export function jobNameOf(s: JobSummaryView): JobName {
  return s.experiment ? { experiment: s.experiment, job: s.name } : { job: s.name };
}

/** Refresh, Logs, Outputs always; Terminate only while the job can still be stopped. */
export function jobActions(s: JobSummaryView): ActionView[] {
  const job = jobNameOf(s);
  const actions: ActionView[] = [
    { title: 'Refresh', command: commandText({ kind: 'job', job }) },
    { title: 'Logs', command: commandText({ kind: 'logs', job, stderr: false }) },
    { title: 'Outputs', command: commandText({ kind: 'outputs', job }) },
  ];
  if (s.state === 'queued' || s.state === 'running') {
    actions.push({
      title: 'Terminate',
      command: commandText({ kind: 'terminate', job, confirmed: false }),
      style: 'destructive',
    });
  }
  return actions;
}

/**
 * Why a failed job failed, from its summary and whatever log tails the view already holds (no read of its
 * own). stderr goes last: the newest matching line wins, and a failure is usually said there.
 */
export function jobCause(s: JobSummaryView, tails: readonly LogTailView[]): CauseView | undefined {
  if (s.state !== 'failed' && s.state !== 'terminated') return undefined;
  const isErr = (t: LogTailView) => t.file.startsWith('stderr');
  const ordered = [...tails.filter((t) => !isErr(t)), ...tails.filter(isErr)];
  const c = failureCause({
    state: s.state,
    ...(s.exitCode === undefined ? {} : { exitCode: s.exitCode }),
    errors: s.errors,
    lines: ordered.flatMap((t) => t.lines),
  });
  return c && { title: c.title, ...(c.quote ? { quote: c.quote } : {}) };
}

export function toJobView(
  job: ComputeJob,
  workspace: string,
  extra: Partial<Pick<JobView, 'tails' | 'outputs' | 'headline'>> & { now?: Date; labels?: ResourceLabels } = {},
): JobView {
  const summary = toJobSummary(job, workspace, extra.now, extra.labels);
  const view: JobView = {
    kind: 'job',
    job: summary,
    tails: extra.tails ?? [],
    outputs: extra.outputs ?? [],
    actions: jobActions(summary),
  };
  if (extra.headline) view.headline = extra.headline;
  const cause = jobCause(summary, view.tails);
  if (cause) view.cause = cause;
  return view;
}
