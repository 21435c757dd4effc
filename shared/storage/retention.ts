// How long each table the product writes keeps its rows: the one place that says it (the README's table is a copy).
// Caches and queues expire; records (audit, roles, what people set up) never do. `by` names who deletes:
// `housekeeping` is the timer of that name (shared/storage/housekeeping-store.ts), `poll` the poll tick's sweep of
// event batches, `progress` the progress reader, `owner` the flow that wrote the row (it deletes the row when done).
import { InputError } from '../errors';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export type RetentionKind = 'queue' | 'cache' | 'dedupe' | 'record';

export interface Retention {
  kind: RetentionKind;
  /** Milliseconds a row outlives its last write (or its end, see `age`); undefined = kept. */
  keepMs?: number;
  /** What the age is counted from. */
  age?: string;
  by: 'housekeeping' | 'poll' | 'progress' | 'owner' | 'never';
  why: string;
}

/** The tables that expire on the housekeeping timer. */
export const EXPIRING = ['sent', 'slackseen', 'slackturns', 'followups', 'approvals'] as const;
export type ExpiringTable = (typeof EXPIRING)[number];
/** The retentions RETENTION may override: housekeeping's and the progress reader's. */
const CONFIGURABLE = [...EXPIRING, 'progresswatches'] as const;
type ConfigurableTable = (typeof CONFIGURABLE)[number];

export const RETENTION = {
  eventbatches: {
    kind: 'queue',
    keepMs: 8 * DAY,
    age: 'createdAt of its head row',
    by: 'poll',
    why: 'deleted by the notifier once delivered; left-overs (a crash before enqueueing, poison) outlive the queue TTL',
  },
  sent: {
    kind: 'dedupe',
    keepMs: 10 * DAY,
    age: 'claimedAt',
    by: 'housekeeping',
    why: 'a marker must outlive every message that could deliver its event again (event batches: 8 days)',
  },
  slackseen: {
    kind: 'dedupe',
    keepMs: 1 * DAY,
    age: 'at (acceptance)',
    by: 'housekeeping',
    why: 'Slack retries a request for minutes and refuses anything older than its 5-minute signature window',
  },
  slackturns: {
    kind: 'queue',
    keepMs: 1 * DAY,
    age: 'arrival (row key); a lease row from its `until`',
    by: 'housekeeping',
    why: 'both inboxes: a turn runs within seconds; one a day old was orphaned (its message poisoned)',
  },
  followups: {
    kind: 'queue',
    keepMs: 1 * DAY,
    age: 'last write (Timestamp)',
    by: 'housekeeping',
    why: 'a live chain rewrites its row every few seconds; a day-old row belongs to a chain that died',
  },
  approvals: {
    kind: 'cache',
    keepMs: 30 * DAY,
    age: 'expiresAt, once rejected, expired, executed or failed (their approvalcards go with them)',
    by: 'housekeeping',
    why: 'an ended request is only shown again by `approve <id>`; the audit keeps every step for good',
  },
  snapshots: {
    kind: 'cache',
    by: 'poll',
    why: "a job or cluster that no longer appears is deleted by the tick's diff (its `deleted` event)",
  },
  progresswatches: {
    kind: 'cache',
    keepMs: 1 * HOUR,
    age: "endedAt (the job's end)",
    by: 'progress',
    why: "the follow-up's final update reads an ended job's chart, then the reader removes the row",
  },
  pollstatus: { kind: 'cache', by: 'owner', why: 'one row per failing workspace, removed when it recovers' },
  audit: { kind: 'record', by: 'never', why: 'who did what, when: kept for good' },
  roles: { kind: 'record', by: 'never', why: 'grants: kept until revoked' },
  subscriptions: { kind: 'record', by: 'never', why: 'kept until unsubscribed' },
  conversations: { kind: 'record', by: 'never', why: 'one reference per conversation, replaced in place' },
  prefs: { kind: 'record', by: 'never', why: 'one row per conversation' },
  people: { kind: 'record', by: 'never', why: 'one row per person and kind of conversation' },
  policies: { kind: 'record', by: 'never', why: 'one row per cluster' },
  templates: { kind: 'record', by: 'never', why: 'saved job templates' },
  submissions: { kind: 'record', by: 'never', why: 'who submitted which job (who may terminate it, `jobs --mine`)' },
} satisfies Record<string, Retention>;

export type RetentionMs = Record<ConfigurableTable, number>;

/** The retentions the timers apply: the table's, before any override. */
export const defaultRetentionMs = (): RetentionMs =>
  Object.fromEntries(CONFIGURABLE.map((t) => [t, RETENTION[t].keepMs])) as RetentionMs;

const UNITS: Record<string, number> = { s: 1000, m: MINUTE, h: HOUR, d: DAY };

/**
 * `sent=10d,slackseen=2h` → the retentions with those replaced (a shorter soak, a longer audit window for
 * markers). Empty = the defaults.
 */
export function parseRetention(text: string | undefined): RetentionMs {
  const out = defaultRetentionMs();
  for (const part of (text ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const m = /^([a-z]+)=(\d+)([smhd])$/.exec(part);
    const table = m?.[1] as ConfigurableTable | undefined;
    if (!m || !table || !CONFIGURABLE.includes(table) || Number(m[2]) <= 0) {
      throw new InputError(
        'ConfigInvalid',
        `RETENTION: "${part}": expected <table>=<number><s|m|h|d> with table one of ${CONFIGURABLE.join(', ')}.`,
      );
    }
    out[table] = Number(m[2]) * UNITS[m[3]!]!;
  }
  return out;
}
