// A Teams card action (an `adaptiveCard/action` invoke) runs once. The invoke is answered at once and the
// operation runs after (bot/card-action.ts); the channel may deliver the same invoke again (a slow answer, a
// retry). The claim is a `sent` marker (marker-store.ts: insert-if-absent, ETag-guarded), keyed by the
// conversation and the invoke's activity id, with one difference from alerts: a claim is never taken over,
// not even after a lease. An alert sent twice is noise; a resize or submit run twice is not. So if the
// process dies after the answer, the operation ran once or not at all, and a retried invoke is told that it
// was received before (`running`, for ever if that process died) or ran (`done`): it never runs again.
import { randomUUID } from 'node:crypto';
import { encodeKey } from './keys';
import { markerStore } from './marker-store';
import { openTable, type StorageTarget } from './table';

export type CardActionClaim =
  | { status: 'claimed'; done(): Promise<void> }
  /** The operation ran (its card is being updated, or was). */
  | { status: 'done' }
  /** Received before: running now, or its process died while it ran. */
  | { status: 'running' };

export interface CardActionClaims {
  claim(conversationId: string, actionId: string): Promise<CardActionClaim>;
}

export async function createCardActionClaims(target: StorageTarget): Promise<CardActionClaims> {
  const markers = markerStore(await openTable(target, 'sent'), { leaseMs: Number.POSITIVE_INFINITY });
  return {
    async claim(conversationId, actionId) {
      const eventId = `card-action-${encodeKey(actionId)}`;
      // Each run is its own owner: a redelivery of the same invoke never counts as the claim's holder.
      const c = await markers.claim(conversationId, eventId, randomUUID());
      if (c.status === 'sent') return { status: 'done' };
      if (c.status === 'busy') return { status: 'running' };
      return { status: 'claimed', done: () => markers.markSent(conversationId, eventId, c.etag) };
    },
  };
}
