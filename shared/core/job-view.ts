// Wire Job → the neutral job views cards render. Lenient: every field the service may omit is optional here.
import type { BatchAIError, Job } from '../batchai/types';
import type { JobName } from './commands';
import { commandText } from './command-text';
import { lastSegment, secondsBetween, segmentAfter } from './arm-names';
import type { ActionView, ErrorItem, JobSummaryView, JobView } from './views';

export function toErrorItems(errors: BatchAIError[] | undefined): ErrorItem[] {
  return (errors ?? []).map((e) => ({ code: e.code ?? 'Error', message: e.message ?? '' }));
}

/** `now` gives a running job its duration so far; without it only finished jobs have one. */
export function toJobSummary(job: Job, workspace: string, now?: Date): JobSummaryView {
  const p = job.properties ?? {};
  const info = p.executionInfo ?? {};
  const state = p.executionState ?? 'queued';
  const summary: JobSummaryView = {
    workspace,
    experiment: segmentAfter(job.id, 'experiments') ?? '',
    name: job.name ?? lastSegment(job.id) ?? '',
    state,
    cluster: lastSegment(p.cluster?.id) ?? '',
    nodeCount: p.nodeCount ?? 1,
    errors: toErrorItems(info.errors),
  };
  if (p.toolType) summary.toolType = p.toolType;
  if (p.schedulingPriority) summary.priority = p.schedulingPriority;
  if (p.creationTime) summary.createdAt = p.creationTime;
  if (info.startTime) summary.startedAt = info.startTime;
  if (info.endTime) summary.endedAt = info.endTime;
  const running = state === 'running' || state === 'terminating';
  const duration = secondsBetween(info.startTime, info.endTime ?? (running ? now : undefined));
  if (duration !== undefined) summary.durationSeconds = duration;
  if (info.exitCode !== undefined) summary.exitCode = info.exitCode;
  return summary;
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
    actions.push({ title: 'Terminate', command: commandText({ kind: 'terminate', job, confirmed: false }), style: 'destructive' });
  }
  return actions;
}

export function toJobView(job: Job, workspace: string, extra: Partial<Pick<JobView, 'tails' | 'outputs' | 'headline'>> & { now?: Date } = {}): JobView {
  const summary = toJobSummary(job, workspace, extra.now);
  const view: JobView = { kind: 'job', job: summary, tails: extra.tails ?? [], outputs: extra.outputs ?? [], actions: jobActions(summary) };
  if (extra.headline) view.headline = extra.headline;
  return view;
}
