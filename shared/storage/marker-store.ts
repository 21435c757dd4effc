// The `sent` table: one marker per (conversation, event id) so an alert goes out once. A marker is claimed
// `pending` (insert-if-absent) before the send and turned `sent` after it, both guarded by ETags:
// - a send that fails releases the marker (the queue retries the message and claims it again);
// - a host that dies between claim and send leaves `pending` owned by its message's batchId; the queue
//   redelivers that same message, which sees its own batchId and takes the marker over;
// - a pending marker of another message is left alone (that message is still owed a retry), unless it is
//   older than the lease (its message probably went to the poison queue): then it is taken over.
import type { TableClient } from '@azure/data-tables';
import { encodeKey } from './keys';
import { statusOf } from './table';

export type Claim =
  | { status: 'claimed'; etag: string }
  | { status: 'sent' }
  /** Another message holds it and is still within its lease. */
  | { status: 'busy' };

export interface MarkerStore {
  claim(conversationId: string, eventId: string, owner: string): Promise<Claim>;
  markSent(conversationId: string, eventId: string, etag: string, activityId?: string): Promise<void>;
  release(conversationId: string, eventId: string, etag: string): Promise<void>;
}

interface Marker { state: 'pending' | 'sent'; owner: string; claimedAt: string; activityId?: string }

export function markerStore(table: TableClient, opts: { leaseMs?: number; now?: () => number } = {}): MarkerStore {
  const leaseMs = opts.leaseMs ?? 10 * 60_000;
  const now = opts.now ?? Date.now;
  return {
    async claim(conversationId, eventId, owner) {
      const partitionKey = encodeKey(conversationId);
      const fresh: Marker = { state: 'pending', owner, claimedAt: new Date(now()).toISOString() };
      try {
        const r = await table.createEntity({ partitionKey, rowKey: eventId, ...fresh });
        return { status: 'claimed', etag: r.etag ?? '*' };
      } catch (e) {
        if (statusOf(e) !== 409) throw e;
      }
      let existing: Marker & { etag: string };
      try {
        existing = await table.getEntity<Marker>(partitionKey, eventId);
      } catch (e) {
        // Released between our insert and read: the caller's retry (the queue's) will claim it.
        if (statusOf(e) === 404) return { status: 'busy' };
        throw e;
      }
      if (existing.state === 'sent') return { status: 'sent' };
      const stale = now() - Date.parse(existing.claimedAt) > leaseMs;
      if (existing.owner !== owner && !stale) return { status: 'busy' };
      try {
        const r = await table.updateEntity({ partitionKey, rowKey: eventId, ...fresh }, 'Replace', { etag: existing.etag });
        return { status: 'claimed', etag: r.etag ?? '*' };
      } catch (e) {
        if (statusOf(e) === 412) return { status: 'busy' }; // a concurrent delivery of the same message won
        throw e;
      }
    },
    async markSent(conversationId, eventId, etag, activityId) {
      const marker: Marker = { state: 'sent', owner: '', claimedAt: new Date(now()).toISOString(), ...(activityId ? { activityId } : {}) };
      await table.updateEntity({ partitionKey: encodeKey(conversationId), rowKey: eventId, ...marker }, 'Replace', { etag });
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
