// Pure: events → the views an alert card shows (JobView, ClusterAlertView, DigestView). The notifier adds
// what needs I/O (log tails, output links) before calling these.
import { commandText } from './command-text';
import type { BackendEvent, ClusterEvent, JobEvent } from './events';
import { jobActions, jobCause, jobNameOf } from './job-view';
import {
  type CauseView,
  type ClusterAlertView,
  type DigestView,
  type JobView,
  labelsOf,
  type LogTailView,
  type OutputDirectoryView,
} from './views';

/** Digest cards list at most this many items; the rest are counted in a last line. */
export const DIGEST_MAX_ITEMS = 20;

const jobName = (e: JobEvent) => `${e.experiment}/${e.job}`;

function duration(seconds: number | undefined): string {
  if (seconds === undefined) return '';
  if (seconds < 60) return `${Math.round(seconds)} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
}

function jobHeadline(e: JobEvent): string {
  switch (e.to) {
    case 'created':
      return `Job ${jobName(e)} was created`;
    case 'deleted':
      return `Job ${jobName(e)} was deleted`;
    case 'failed':
      return `Job ${jobName(e)} failed${e.summary.exitCode === undefined ? '' : ` (exit code ${e.summary.exitCode})`}`;
    default:
      return `Job ${jobName(e)} ${e.to === 'running' ? 'is running' : e.to}`;
  }
}

export function jobAlertView(
  e: JobEvent,
  extra: { tails?: LogTailView[]; outputs?: OutputDirectoryView[] } = {},
): JobView {
  const actions = e.to === 'deleted' ? [] : jobActions(e.summary);
  const tails = extra.tails ?? [];
  const cause = jobCause(e.summary, tails);
  return {
    kind: 'job',
    job: e.summary,
    tails,
    outputs: extra.outputs ?? [],
    actions,
    headline: jobHeadline(e),
    ...(cause ? { cause } : {}),
  };
}

function clusterMessage(e: ClusterEvent): string {
  const nodes = (n: number) => `${n} node${n === 1 ? '' : 's'}`;
  const now = e.view.currentNodeCount;
  const was = e.fromNodeCount === undefined || e.fromNodeCount === now ? '' : ` (was ${nodes(e.fromNodeCount)})`;
  const it = `${labelsOf(e.view).cluster} ${e.cluster}`;
  switch (e.change) {
    case 'created':
      return `${it} was created with ${nodes(now)}.`;
    case 'deleted':
      return `${it} was deleted.`;
    case 'resizing':
      return `${it} is resizing: ${nodes(now)} now${was}.`;
    case 'steady':
      return `${it} finished resizing: ${nodes(now)}${was}.`;
    case 'nodes':
      return `${it} has ${nodes(now)}${was}.`;
  }
}

export function clusterAlertView(e: ClusterEvent): ClusterAlertView {
  const { cluster } = labelsOf(e.view);
  const titles: Record<ClusterEvent['change'], string> = {
    created: `${cluster} created`,
    deleted: `${cluster} deleted`,
    resizing: `${cluster} resizing`,
    steady: `${cluster} resized`,
    nodes: 'Node count changed',
  };
  return {
    kind: 'cluster-alert',
    title: `${titles[e.change]}: ${e.cluster}`,
    message: clusterMessage(e),
    cluster: e.view,
    actions:
      e.change === 'deleted'
        ? []
        : [{ title: 'Details', command: commandText({ kind: 'cluster', cluster: e.cluster }) }],
  };
}

function digestItem(e: BackendEvent, causes: ReadonlyMap<string, CauseView>): DigestView['items'][number] {
  if (e.kind === 'cluster')
    return {
      title: `cluster ${e.cluster}`,
      text: clusterMessage(e),
      command: commandText({ kind: 'cluster', cluster: e.cluster }),
    };
  const s = e.summary;
  const facts = [
    e.to,
    s.exitCode === undefined ? '' : `exit ${s.exitCode}`,
    duration(s.durationSeconds),
    s.errors[0] ? `${s.errors[0].code}: ${s.errors[0].message}` : '',
  ].filter(Boolean);
  const cause = causes.get(e.id);
  return {
    title: jobName(e),
    ...(e.to === 'created' || e.to === 'deleted' ? {} : { state: e.to }),
    ...(cause ? { cause } : {}),
    text: facts.join(' · '),
    ...(e.to === 'deleted' ? {} : { command: commandText({ kind: 'job', job: jobNameOf(s) }) }),
  };
}

/** `causes`: event id → the named cause of a failed job (the notifier works it out from the job's tails). */
export function digestView(events: BackendEvent[], causes: ReadonlyMap<string, CauseView> = new Map()): DigestView {
  const shown = events.slice(0, DIGEST_MAX_ITEMS).map((e) => digestItem(e, causes));
  const rest = events.length - shown.length;
  const where = events[0] ? ` in ${events[0].workspace.workspace}` : '';
  return {
    kind: 'digest',
    title: `${events.length} updates${where}`,
    items: rest > 0 ? [...shown, { title: `… and ${rest} more`, text: 'Use `jobs` to see them all.' }] : shown,
  };
}
