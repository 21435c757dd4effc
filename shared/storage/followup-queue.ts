// The `followups` queue and table: a card that a long operation keeps updating in place is followed by a chain
// of small delayed queue messages (functions/followups.ts runs each one), never by a loop in memory, so it
// survives a restart of the host and works where Azure Functions freeze a process between invocations.
// The `followups` table holds one row per followed card: which chain owns it and which step of that chain is
// due. A step claims the row (ETag) before it enqueues its successor, so of two deliveries of one message only
// one can enqueue; a newer follow-up of the same card replaces the row and retires the older chain.
// Messages are base64 JSON (the Functions queue trigger's default encoding), as the `events` queue's.
import { randomUUID } from 'node:crypto';
import type { QueueClient } from '@azure/storage-queue';
import type { TableClient } from '@azure/data-tables';
import type { ClusterRef, JobRef } from '../compute/model';
import { InputError } from '../errors';
import { encodeKey } from './keys';
import { FOLLOWUPS_QUEUE } from './queue-names';
import { getIfExists, openQueue, openTable, statusOf, type StorageTarget, type Versioned } from './table';

export { FOLLOWUPS_QUEUE };
export const FOLLOWUPS_TABLE = 'followups';

/** What is followed, and what the card's headline says about it. */
export type FollowUpTarget =
  | { kind: 'job'; job: JobRef; headline: 'submit' | 'terminate'; submittedBy?: string }
  | { kind: 'cluster'; cluster: ClusterRef; pending: string; done: string }
  | { kind: 'approval'; approval: string };

export interface FollowUpMessage {
  v: 1;
  /** One chain per start; a newer start for the same card retires the older chain's messages. */
  chain: string;
  /** The step this message runs: 0, 1, 2, … */
  seq: number;
  target: FollowUpTarget;
  conversationId: string;
  /** The card (activity) updated in place. */
  activityId: string;
  /** What the card shows now (e.g. the job's state): the card is updated only when this changes. */
  key: string;
  /** ISO time after which the card stops being followed. */
  deadline: string;
}

export interface ChainRow {
  chain: string;
  seq: number;
  key: string;
  claimedBy: string;
}

export interface FollowUpQueue {
  /** Records a new chain for the card (replacing any earlier one) and enqueues its first step, delayed. */
  start(m: Omit<FollowUpMessage, 'v' | 'chain' | 'seq'>): Promise<FollowUpMessage>;
  /** The card's row, or undefined once its chain finished. */
  current(m: FollowUpMessage): Promise<Versioned<ChainRow> | undefined>;
  /** Moves the row from step m.seq to m.seq + 1 for delivery `by`; false when another write got there first. */
  claim(m: FollowUpMessage, key: string, by: string, etag: string): Promise<boolean>;
  /** Enqueues `m`, visible after the configured delay. */
  enqueue(m: FollowUpMessage): Promise<void>;
  /** Removes the card's row (its chain ended); a row changed since `etag` (a newer chain) is left alone. */
  finish(m: FollowUpMessage, etag: string): Promise<void>;
}

const keys = (m: Pick<FollowUpMessage, 'conversationId' | 'activityId'>) => ({
  partitionKey: encodeKey(m.conversationId),
  rowKey: encodeKey(m.activityId),
});

export function followUpQueue(queue: QueueClient, table: TableClient, opts: { delaySeconds: number }): FollowUpQueue {
  const enqueue = async (m: FollowUpMessage) => {
    await queue.sendMessage(Buffer.from(JSON.stringify(m)).toString('base64'), {
      visibilityTimeout: opts.delaySeconds,
    });
  };
  return {
    async start(fields) {
      const m: FollowUpMessage = { v: 1, chain: randomUUID(), seq: 0, ...fields };
      await table.upsertEntity({ ...keys(m), chain: m.chain, seq: 0, key: m.key, claimedBy: '' }, 'Replace');
      await enqueue(m);
      return m;
    },
    async current(m) {
      const e = await getIfExists<ChainRow>(table, keys(m).partitionKey, keys(m).rowKey);
      return e && { value: { chain: e.chain, seq: e.seq, key: e.key, claimedBy: e.claimedBy }, etag: e.etag };
    },
    async claim(m, key, by, etag) {
      try {
        await table.updateEntity({ ...keys(m), chain: m.chain, seq: m.seq + 1, key, claimedBy: by }, 'Replace', {
          etag,
        });
        return true;
      } catch (e) {
        if (statusOf(e) === 412 || statusOf(e) === 404) return false;
        throw e;
      }
    },
    enqueue,
    async finish(m, etag) {
      try {
        await table.deleteEntity(keys(m).partitionKey, keys(m).rowKey, { etag });
      } catch (e) {
        if (statusOf(e) !== 412 && statusOf(e) !== 404) throw e;
      }
    },
  };
}

/** Opens (creating if missing) the `followups` queue and table. */
export async function createFollowUpQueue(
  target: StorageTarget,
  opts: { delaySeconds: number },
): Promise<FollowUpQueue> {
  const [queue, table] = await Promise.all([openQueue(target, FOLLOWUPS_QUEUE), openTable(target, FOLLOWUPS_TABLE)]);
  return followUpQueue(queue, table, opts);
}

const isStr = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
const strings = (o: unknown, names: string[]): boolean =>
  typeof o === 'object' && o !== null && names.every((n) => isStr((o as Record<string, unknown>)[n]));

function validTarget(t: unknown): t is FollowUpTarget {
  if (typeof t !== 'object' || t === null) return false;
  const o = t as Record<string, unknown>;
  switch (o.kind) {
    case 'job':
      return (
        strings(o.job, ['resourceGroup', 'workspace', 'experiment', 'job']) &&
        (o.headline === 'submit' || o.headline === 'terminate')
      );
    case 'cluster':
      return strings(o.cluster, ['resourceGroup', 'workspace', 'cluster']) && strings(o, ['pending', 'done']);
    case 'approval':
      return isStr(o.approval);
    default:
      return false;
  }
}

/** A queue message → a FollowUpMessage; anything else is refused with what was expected. */
export function parseFollowUpMessage(raw: unknown): FollowUpMessage {
  const o = raw as Partial<FollowUpMessage> | null;
  const ok =
    typeof o === 'object' &&
    o !== null &&
    o.v === 1 &&
    Number.isInteger(o.seq) &&
    (o.seq ?? -1) >= 0 &&
    strings(o, ['chain', 'conversationId', 'activityId', 'deadline']) &&
    typeof o.key === 'string' &&
    !Number.isNaN(Date.parse(o.deadline ?? '')) &&
    validTarget(o.target);
  if (!ok) {
    throw new InputError(
      'FollowUpMessageInvalid',
      'Expected a follow-up message {v: 1, chain, seq ≥ 0, target: {kind: job|cluster|approval, …}, ' +
        'conversationId, activityId, key, deadline}.',
    );
  }
  return o as FollowUpMessage;
}
