// Pure diff of one workspace: the snapshot rows stored last tick against what the listing returned now →
// the events to enqueue and the rows to write. Only the fields that make an event are in a row, so a job
// whose other properties change costs no write.
import { createHash, hash } from 'node:crypto';
import type { WorkspaceRef } from '../compute/model';
import type { JobState } from './commands';
import { eventId, type BackendEvent, type ClusterChange, type ClusterEvent, type JobEvent } from './events';
import type { ClusterFacts, JobSummaryView } from './views';

export interface JobRow {
  kind: 'job';
  key: string;
  resourceId: string;
  experiment: string;
  job: string;
  state: JobState;
  /** executionStateTransitionTime. */
  at: string;
  cluster: string;
  nodeCount: number;
}

export interface ClusterRow {
  kind: 'cluster';
  key: string;
  resourceId: string;
  cluster: string;
  vmSize: string;
  allocationState: 'steady' | 'resizing';
  nodeCount: number;
  /** allocationStateTransitionTime. */
  at: string;
}

export type SnapshotRow = JobRow | ClusterRow;

export interface ObservedJob {
  row: JobRow;
  createdAt: string;
  summary: JobSummaryView;
  outputDirectoryIds: string[];
}
export interface ObservedCluster {
  row: ClusterRow;
  view: ClusterFacts;
}

export interface WorkspaceDiff {
  events: BackendEvent[];
  upserts: SnapshotRow[];
  deletes: SnapshotRow[];
}

export const jobKey = (experiment: string, job: string): string => `job:${experiment}:${job}`;
export const clusterKey = (cluster: string): string => `cluster:${cluster}`;

function sameRow(a: SnapshotRow, b: SnapshotRow): boolean {
  const keys = Object.keys(a) as Array<keyof SnapshotRow>;
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

function jobEvent(
  ws: WorkspaceRef,
  o: Pick<ObservedJob, 'row' | 'summary' | 'outputDirectoryIds'>,
  to: JobEvent['to'],
  at: string,
  from?: JobState,
): JobEvent {
  const { row } = o;
  return {
    kind: 'job',
    id: eventId(row.resourceId, to, at),
    workspace: ws,
    resourceId: row.resourceId,
    experiment: row.experiment,
    job: row.job,
    ...(from ? { from } : {}),
    to,
    at,
    summary: o.summary,
    outputDirectoryIds: o.outputDirectoryIds,
  };
}

function clusterEvent(
  ws: WorkspaceRef,
  o: ObservedCluster,
  change: ClusterChange,
  fromNodeCount?: number,
): ClusterEvent {
  const { row } = o;
  return {
    kind: 'cluster',
    id: eventId(row.resourceId, `${change}:${row.nodeCount}`, row.at),
    workspace: ws,
    resourceId: row.resourceId,
    cluster: row.cluster,
    change,
    ...(fromNodeCount === undefined ? {} : { fromNodeCount }),
    at: row.at,
    view: o.view,
  };
}

function jobEvents(ws: WorkspaceRef, prev: JobRow | undefined, o: ObservedJob): JobEvent[] {
  if (!prev) {
    const created = jobEvent(ws, o, 'created', o.createdAt || o.row.at);
    // A job that started or even finished between two ticks still owes its state event.
    return o.row.state === 'queued' ? [created] : [created, jobEvent(ws, o, o.row.state, o.row.at)];
  }
  return prev.state === o.row.state ? [] : [jobEvent(ws, o, o.row.state, o.row.at, prev.state)];
}

function clusterEvents(ws: WorkspaceRef, prev: ClusterRow | undefined, o: ObservedCluster): ClusterEvent[] {
  if (!prev) return [clusterEvent(ws, o, 'created')];
  if (prev.allocationState !== o.row.allocationState)
    return [clusterEvent(ws, o, o.row.allocationState, prev.nodeCount)];
  if (prev.nodeCount !== o.row.nodeCount) return [clusterEvent(ws, o, 'nodes', prev.nodeCount)];
  return [];
}

function goneEvent(ws: WorkspaceRef, row: SnapshotRow): BackendEvent {
  if (row.kind === 'job') {
    const summary: JobSummaryView = {
      workspace: ws.workspace,
      experiment: row.experiment,
      name: row.job,
      state: row.state,
      cluster: row.cluster,
      nodeCount: row.nodeCount,
      errors: [],
    };
    // The deletion time is unknown; the last transition time keeps the id the same on a retried tick.
    return jobEvent(ws, { row, summary, outputDirectoryIds: [] }, 'deleted', row.at, row.state);
  }
  const view: ObservedCluster['view'] = {
    workspace: ws.workspace,
    name: row.cluster,
    vmSize: row.vmSize,
    allocationState: row.allocationState,
    currentNodeCount: row.nodeCount,
    nodes: { idle: 0, running: 0, preparing: 0, leaving: 0, unusable: 0 },
    scale: { mode: 'manual', targetNodeCount: 0 },
    errors: [],
  };
  return clusterEvent(ws, { row, view }, 'deleted', row.nodeCount);
}

/** A row as its hash and its experiment's digest see it (made once per row: a tick hashes 100,000 of them). */
export function rowText(row: SnapshotRow): string {
  return JSON.stringify(row);
}

/**
 * One hash of rows (their rowText), whatever order they were listed in: a listing that hashes to the stored digest
 * has the stored rows, so the tick reads none of them.
 */
export function rowsDigest(texts: readonly string[]): string {
  const lines = [...texts].sort();
  const hash = createHash('sha256');
  for (const line of lines) hash.update(line).update('\n');
  return hash.digest('base64');
}

/**
 * A short hash of one row (its rowText), stored with it: a tick finds the rows of a moved experiment that changed.
 * The first 16 characters of the SHA-256's base64, made from its first 12 bytes: a string of its own, where a slice
 * of the whole would keep its 44 characters alive behind it, one for every job of a moved experiment.
 */
export function rowHash(text: string): string {
  return hash('sha256', text, 'buffer').toString('base64', 0, 12);
}

export interface DiffOptions {
  /** The workspace was never polled before: record what is there without announcing it all as new. */
  baseline?: boolean;
  /** The listing stopped part way (a page failed): what it did not show is not gone. */
  partial?: boolean;
}

/** `previous`: the stored rows the observation covers (a workspace's, or one experiment's). */
export function diffWorkspace(
  ws: WorkspaceRef,
  previous: ReadonlyMap<string, SnapshotRow>,
  observed: { jobs: ObservedJob[]; clusters: ObservedCluster[] },
  { baseline = false, partial = false }: DiffOptions = {},
): WorkspaceDiff {
  const out: WorkspaceDiff = { events: [], upserts: [], deletes: [] };
  const seen = new Set<string>();
  for (const o of [...observed.clusters, ...observed.jobs]) {
    const prev = previous.get(o.row.key);
    seen.add(o.row.key);
    if (prev && sameRow(prev, o.row)) continue;
    out.upserts.push(o.row);
    if (baseline) continue;
    if ('summary' in o) out.events.push(...jobEvents(ws, prev?.kind === 'job' ? prev : undefined, o));
    else out.events.push(...clusterEvents(ws, prev?.kind === 'cluster' ? prev : undefined, o));
  }
  for (const [key, row] of previous) {
    if (partial || seen.has(key)) continue;
    out.deletes.push(row);
    if (!baseline) out.events.push(goneEvent(ws, row));
  }
  return out;
}
