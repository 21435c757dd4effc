// What the poller puts on the `events` queue and the notifier reads back: one event per observed transition.
// An event's id is a hash of (resource id, new state, transition time), so a retried tick that sees the same
// transition produces the same id and the notifier's (conversation, event id) markers drop the repeat.
import { createHash } from 'node:crypto';
import type { WorkspaceRef } from '../compute/model';
import { ProtocolError } from '../errors';
import { isRecord } from './json-shape';
import type { JobState } from './commands';
import type { ClusterFacts, JobSummaryView } from './views';

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
  view: ClusterFacts;
}

export type BackendEvent = JobEvent | ClusterEvent;

/**
 * The version-1 queue message: the events inline (or a chunk of them under the 64 KiB queue limit). No longer
 * produced; still read, so messages enqueued before an upgrade (or replayed from the poison queue) are not lost.
 */
export interface EventBatch {
  v: 1;
  /** Random per enqueued message; stays the same when the queue redelivers that message. */
  batchId: string;
  workspace: WorkspaceRef;
  tickAt: string;
  events: BackendEvent[];
}

/**
 * The version-2 queue message: a claim check. The events of one workspace from one tick are stored as rows of
 * the `eventbatches` table under `batchId` (storage/event-batch-store.ts) before this small message is
 * enqueued, so a burst of any size is one message and one digest per conversation.
 */
export interface EventBatchRef {
  v: 2;
  /** Random per tick and workspace: the partition of the stored batch and the owner of its sent markers. */
  batchId: string;
  workspace: WorkspaceRef;
  tickAt: string;
  /** Number of events stored. */
  count: number;
  ref: { table: string; chunks: number };
}

export type EventsMessage = EventBatch | EventBatchRef;

export function eventId(resourceId: string, newState: string, at: string): string {
  return createHash('sha256').update(`${resourceId.toLowerCase()}|${newState}|${at}`).digest('hex').slice(0, 32);
}

/** Stored or inline events → BackendEvent[], checking each is a job or cluster event with an id. */
export function parseEvents(value: unknown, where: string): BackendEvent[] {
  if (!Array.isArray(value)) throw new ProtocolError(`${where}: expected an array of events.`);
  for (const e of value) {
    if (!isRecord(e) || (e.kind !== 'job' && e.kind !== 'cluster') || typeof e.id !== 'string') {
      throw new ProtocolError(`${where}: expected events of kind job or cluster with an id.`);
    }
  }
  return value as BackendEvent[];
}

const EXPECTED =
  'expected {v: 2, batchId, workspace, tickAt, count, ref: {table, chunks}} ' +
  '(or the older {v: 1, batchId, workspace, tickAt, events: [...]})';

/** Queue payload → EventsMessage. Accepts the parsed object (Functions host), JSON text, or base64 JSON text. */
export function parseEventsMessage(message: unknown): EventsMessage {
  let value = message;
  if (typeof message === 'string') {
    const text = message.trim().startsWith('{') ? message : Buffer.from(message, 'base64').toString('utf8');
    try {
      value = JSON.parse(text);
    } catch {
      throw new ProtocolError(
        `events message: expected JSON (or base64 JSON), got ${JSON.stringify(message.slice(0, 80))}`,
      );
    }
  }
  if (
    !isRecord(value) ||
    typeof value.batchId !== 'string' ||
    !isRecord(value.workspace) ||
    typeof value.tickAt !== 'string'
  ) {
    throw new ProtocolError(`events message: ${EXPECTED}.`);
  }
  if (value.v === 1) {
    parseEvents(value.events, `events message ${value.batchId}`);
    return value as unknown as EventBatch;
  }
  const ref = value.ref;
  const whole = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 0;
  if (
    value.v !== 2 ||
    !whole(value.count) ||
    !isRecord(ref) ||
    typeof ref.table !== 'string' ||
    !whole(ref.chunks) ||
    ref.chunks < 1
  ) {
    throw new ProtocolError(`events message ${value.batchId}: ${EXPECTED}.`);
  }
  return value as unknown as EventBatchRef;
}
