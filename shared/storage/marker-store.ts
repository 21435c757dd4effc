// The `sent` table: one marker per (conversation, event id) so an alert goes out once. A marker is claimed
// `pending` (insert-if-absent) before the send and turned `sent` after it, both guarded by ETags:
// - a send that fails releases the marker (the queue retries the message and claims it again);
// - a host that dies between claim and send leaves `pending` owned by its message's batchId; the queue
//   redelivers that same message, which sees its own batchId and takes the marker over;
// - a pending marker of another message is left alone (that message is still owed a retry), unless it is
//   older than the lease (its message probably went to the poison queue): then it is taken over.
// This file is the one-at-a-time path and the rules; marker-batch.ts claims, marks and releases many markers
// of one conversation in Table transactions and falls back to this path whenever a transaction conflicts.
import type { TableClient } from '@azure/data-tables';
import { encodeKey } from './keys';
import { batchedMarkers } from './marker-batch';
import { getIfExists, statusOf } from './table';
import type { Marker, MarkerRules, MarkerStore, SingleMarkers } from './marker-types';

export type { Claim, ClaimedMarker, MarkerStore } from './marker-types';

function markerRules(leaseMs: number, now: () => number): MarkerRules {
  const at = () => new Date(now()).toISOString();
  return {
    pending: (owner) => ({ state: 'pending', owner, claimedAt: at() }),
    sent: (activityId) => ({ state: 'sent', owner: '', claimedAt: at(), ...(activityId ? { activityId } : {}) }),
    released: () => ({ state: 'released', owner: '', claimedAt: new Date(0).toISOString() }),
    mayTake: (existing, owner) =>
      existing.state === 'released' || existing.owner === owner || now() - Date.parse(existing.claimedAt) > leaseMs,
  };
}

function singleMarkers(table: TableClient, rules: MarkerRules): SingleMarkers {
  return {
    async claim(conversationId, eventId, owner) {
      const partitionKey = encodeKey(conversationId);
      try {
        const r = await table.createEntity({ partitionKey, rowKey: eventId, ...rules.pending(owner) });
        return { status: 'claimed', etag: r.etag ?? '*' };
      } catch (e) {
        if (statusOf(e) !== 409) throw e;
      }
      const existing = await getIfExists<Marker>(table, partitionKey, eventId);
      // Released between our insert and read: the caller's retry (the queue's) will claim it.
      if (!existing) return { status: 'busy' };
      if (existing.state === 'sent') return { status: 'sent' };
      if (!rules.mayTake(existing, owner)) return { status: 'busy' };
      try {
        const r = await table.updateEntity({ partitionKey, rowKey: eventId, ...rules.pending(owner) }, 'Replace', {
          etag: existing.etag,
        });
        return { status: 'claimed', etag: r.etag ?? '*' };
      } catch (e) {
        if (statusOf(e) === 412) return { status: 'busy' }; // a concurrent delivery of the same message won
        throw e;
      }
    },
    async markSent(conversationId, eventId, etag, activityId) {
      await table.updateEntity(
        { partitionKey: encodeKey(conversationId), rowKey: eventId, ...rules.sent(activityId) },
        'Replace',
        { etag },
      );
    },
    async release(conversationId, eventId, etag) {
      try {
        await table.deleteEntity(encodeKey(conversationId), eventId, { etag });
      } catch (e) {
        if (statusOf(e) !== 404 && statusOf(e) !== 412) throw e;
      }
    },
  };
}

export interface MarkerStoreOptions {
  leaseMs?: number;
  now?: () => number;
  /** Transactions in flight at once for one conversation (default 4). */
  transactionConcurrency?: number;
  /** Single-marker requests in flight at once when a slice falls back (default 50). */
  fallbackConcurrency?: number;
}

export function markerStore(table: TableClient, opts: MarkerStoreOptions = {}): MarkerStore {
  const rules = markerRules(opts.leaseMs ?? 10 * 60_000, opts.now ?? Date.now);
  const single = singleMarkers(table, rules);
  return {
    ...single,
    ...batchedMarkers(table, single, rules, {
      transactions: opts.transactionConcurrency ?? 4,
      fallback: opts.fallbackConcurrency ?? 50,
    }),
  };
}
