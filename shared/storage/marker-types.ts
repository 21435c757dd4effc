// The types of the `sent` markers (marker-store.ts), below both the one-at-a-time path and the batched one
// (marker-batch.ts), so that neither imports the other for its types.

export type Claim =
  | { status: 'claimed'; etag: string }
  | { status: 'sent' }
  /** Another message holds it and is still within its lease. */
  | { status: 'busy' };

/** A marker this caller claimed: its event id and the ETag its claim returned. */
export interface ClaimedMarker {
  eventId: string;
  etag: string;
}

export interface MarkerStore {
  claim(conversationId: string, eventId: string, owner: string): Promise<Claim>;
  markSent(conversationId: string, eventId: string, etag: string, activityId?: string): Promise<void>;
  release(conversationId: string, eventId: string, etag: string): Promise<void>;
  /** `claim` for many events of one conversation, in transactions of up to 100; answers in the order of eventIds. */
  claimMany(conversationId: string, eventIds: string[], owner: string): Promise<Claim[]>;
  /**
   * `markSent` for many; resolves with the markers that could not be marked (e.g. a stale ETag), never rejects
   * for those.
   */
  markSentMany(
    conversationId: string,
    markers: ClaimedMarker[],
    activityId?: string,
  ): Promise<Array<{ eventId: string; error: Error }>>;
  /** `release` for many: a marker that is gone or no longer held with that ETag is left as it is. */
  releaseMany(conversationId: string, markers: ClaimedMarker[]): Promise<void>;
}

/**
 * `released` is written by batched releases (a transaction cannot carry a delete's ETag); it is free to
 * claim, and its epoch claimedAt makes it look expired to readers that do not know the state.
 */
export interface Marker {
  state: 'pending' | 'sent' | 'released';
  owner: string;
  claimedAt: string;
  activityId?: string;
}

/** The marker contents and the takeover rule, with this store's clock and lease. */
export interface MarkerRules {
  pending(owner: string): Marker;
  sent(activityId?: string): Marker;
  released(): Marker;
  /** May `owner` take over this existing, not-sent marker? */
  mayTake(existing: Marker, owner: string): boolean;
}

export type SingleMarkers = Pick<MarkerStore, 'claim' | 'markSent' | 'release'>;
