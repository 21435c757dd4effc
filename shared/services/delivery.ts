// The one delivery protocol for everything sent proactively at most once per (conversation, event): alerts and
// digests (notifier.ts) and idle notices (idle.ts). Claim the `sent` markers (storage/marker-store.ts) → send →
// mark them sent; a send that fails releases what was claimed and not sent, so a retry claims it again. A send
// that succeeded but could not be marked leaves its markers pending, which still blocks every other sender:
// marking again later could only duplicate, so it is reported, not retried.
import type { MarkerStore } from '../storage/index';
import type { ClaimedMarker } from '../storage/marker-store';

export interface DeliveryPlan<T extends { id: string }> {
  /** How the claimed items go out (default: one message each). */
  groups?: (claimed: T[]) => T[][];
  /** Posts one group; resolves with the message id when the channel gives one. */
  send(group: T[]): Promise<string | undefined>;
  /** Called for each item (by id) sent but left unmarked. */
  unmarked(id: string, error: Error): void;
}

export interface DeliveryResult {
  /** Items sent by this call, and the messages they went out in. */
  sent: number;
  messages: number;
  /** Items found sent already, or claimed right now by another delivery (`busy`, a subset). */
  alreadySent: number;
  busy: number;
  /** Items sent whose markers stayed pending. */
  unmarked: number;
}

/**
 * Delivers `items` to one conversation; `owner` names this delivery (a redelivery of it takes its own claims
 * over). Rejects with the send's error after releasing.
 */
export async function deliverOnce<T extends { id: string }>(
  markers: Pick<MarkerStore, 'claimMany' | 'markSentMany' | 'releaseMany'>,
  conversationId: string,
  items: T[],
  owner: string,
  plan: DeliveryPlan<T>,
): Promise<DeliveryResult> {
  // In transactions of up to 100 markers (the conversation is their partition): a digest's claims and marks
  // are a few requests, not two per item.
  const claims = await markers.claimMany(
    conversationId,
    items.map((i) => i.id),
    owner,
  );
  const etags = new Map<string, string>();
  const claimed = items.filter((item, i) => {
    const c = claims[i];
    if (c.status === 'claimed') etags.set(item.id, c.etag);
    return c.status === 'claimed';
  });
  const groups = plan.groups ? plan.groups(claimed) : claimed.map((v) => [v]);
  const markersOf = (group: T[]): ClaimedMarker[] => group.map((v) => ({ eventId: v.id, etag: etags.get(v.id)! }));
  const result: DeliveryResult = {
    sent: 0,
    messages: 0,
    alreadySent: claims.length - claimed.length,
    busy: claims.filter((c) => c.status === 'busy').length,
    unmarked: 0,
  };
  for (let i = 0; i < groups.length; i++) {
    let messageId: string | undefined;
    try {
      messageId = await plan.send(groups[i]);
    } catch (e) {
      await markers.releaseMany(conversationId, groups.slice(i).flatMap(markersOf));
      throw e;
    }
    result.sent += groups[i].length;
    result.messages++;
    for (const { eventId, error } of await markers.markSentMany(conversationId, markersOf(groups[i]), messageId)) {
      result.unmarked++;
      plan.unmarked(eventId, error);
    }
  }
  return result;
}
