// What the poller puts on the `events` queue and the notifier reads back: one event per observed transition.
// An event's id is a hash of (resource id, new state, transition time), so a retried tick that sees the same
// transition produces the same id and the notifier's (conversation, event id) markers drop the repeat.
import { createHash } from 'node:crypto';
import type { WorkspaceRef } from '../batchai/port';
import { ProtocolError } from '../errors';
import type { JobState } from './commands';
import type { ClusterView, JobSummaryView } from './views';

export type JobTransition = JobState | 'created' | 'deleted';
export type ClusterChange = 'created' | 'deleted' | 'resizing' | 'steady' | 'nodes';

export interface JobEvent {
  kind: 'job';
  id: string;
  workspace: WorkspaceRef;
  resourceId: string;
  experiment: string;
  job: string;
  /** The state before, when known (absent for a job seen for the first time). */
  from?: JobState;
  to: JobTransition;
  /** When the transition happened, by the service's clock. */
  at: string;
  summary: JobSummaryView;
  /** Ids of the job's output directories, for links on the alert (stdouterr is always there). */
  outputDirectoryIds: string[];
}

export interface ClusterEvent {
  kind: 'cluster';
  id: string;
  workspace: WorkspaceRef;
  resourceId: string;
  cluster: string;
  change: ClusterChange;
  fromNodeCount?: number;
  at: string;
  view: Omit<ClusterView, 'kind' | 'actions'>;
}

export type BackendEvent = JobEvent | ClusterEvent;

/** One queue message: the events of one workspace from one tick (or a chunk of them, see event-queue.ts). */
export interface EventBatch {
  v: 1;
  /** Random per enqueued message; stays the same when the queue redelivers that message. */
  batchId: string;
  workspace: WorkspaceRef;
  tickAt: string;
  events: BackendEvent[];
}

export function eventId(resourceId: string, newState: string, at: string): string {
  return createHash('sha256').update(`${resourceId.toLowerCase()}|${newState}|${at}`).digest('hex').slice(0, 32);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Queue payload → EventBatch. Accepts the parsed object (Functions host), JSON text, or base64 JSON text. */
export function parseEventBatch(message: unknown): EventBatch {
  let value = message;
  if (typeof message === 'string') {
    const text = message.trim().startsWith('{') ? message : Buffer.from(message, 'base64').toString('utf8');
    try {
      value = JSON.parse(text);
    } catch {
      throw new ProtocolError(`events message: expected JSON (or base64 JSON), got ${JSON.stringify(message.slice(0, 80))}`);
    }
  }
  if (!isRecord(value) || value.v !== 1 || typeof value.batchId !== 'string' || !Array.isArray(value.events) || !isRecord(value.workspace)) {
    throw new ProtocolError('events message: expected {v: 1, batchId, workspace, tickAt, events: [...]}.');
  }
  for (const e of value.events) {
    if (!isRecord(e) || (e.kind !== 'job' && e.kind !== 'cluster') || typeof e.id !== 'string') {
      throw new ProtocolError(`events message ${value.batchId}: expected events of kind job or cluster with an id.`);
    }
  }
  return value as unknown as EventBatch;
}
