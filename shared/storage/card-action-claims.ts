// A Teams card action (an `adaptiveCard/action` invoke) runs once. The invoke is answered at once and its
// operation runs from the `card-actions` queue (bot/card-action-run.ts), which may deliver it again (a run that
// died). The claim is a `sent` marker (marker-store.ts: insert-if-absent, ETag-guarded), keyed by the
// conversation and the invoke's activity id, taken by the run before the operation, with one difference from
// alerts: a claim is never taken over, not even after a lease. An alert sent twice is noise; a resize or submit
// run twice is not. So if the run dies, the operation ran once or not at all, and the redelivered message finds
// it `running` (for ever, as that run died) or `done`: it never runs again, and the card says so.
import { randomUUID } from 'node:crypto';
import { encodeKey } from './keys';
import type { Marker } from './marker-types';
import { markerStore } from './marker-store';
import { getIfExists, openTable, type StorageTarget } from './table';

export type CardActionClaim =
  | { status: 'claimed'; done(): Promise<void> }
  /** The operation ran (its card is being updated, or was). */
  | { status: 'done' }
  /** Claimed before: running now, or its run died. */
  | { status: 'running' };

export interface CardActionClaims {
  claim(conversationId: string, actionId: string): Promise<CardActionClaim>;
  /** Where the action is, without claiming it: 'waiting' = not claimed yet (queued). */
  state(conversationId: string, actionId: string): Promise<'waiting' | 'running' | 'done'>;
}

const eventIdOf = (actionId: string) => `card-action-${encodeKey(actionId)}`;

export async function createCardActionClaims(target: StorageTarget): Promise<CardActionClaims> {
  const table = await openTable(target, 'sent');
  const markers = markerStore(table, { leaseMs: Number.POSITIVE_INFINITY });
  return {
    async claim(conversationId, actionId) {
      const eventId = eventIdOf(actionId);
      // Each run is its own owner: a redelivery of the same action never counts as the claim's holder.
      const c = await markers.claim(conversationId, eventId, randomUUID());
      if (c.status === 'sent') return { status: 'done' };
      if (c.status === 'busy') return { status: 'running' };
      return { status: 'claimed', done: () => markers.markSent(conversationId, eventId, c.etag) };
    },
    async state(conversationId, actionId) {
      const m = await getIfExists<Marker>(table, encodeKey(conversationId), eventIdOf(actionId));
      if (!m) return 'waiting';
      return m.state === 'sent' ? 'done' : 'running';
    },
  };
}
