// Many `sent` markers of one conversation at once. The conversation is the marker's partition, so up to 100
// markers go in one Table transaction instead of one request each (a 1,000-event digest: ~20 requests, not
// 2,000). A transaction is atomic: when any entity in it was inserted meanwhile (409), has a stale ETag (412)
// or is gone (404), nothing of it is written, and that slice goes the one-at-a-time way of marker-store.ts,
// which decides each marker on its own. Every write here is insert-if-absent or ETag-guarded under the same
// rules as the single path, so a transaction only saves requests: it never produces an outcome the single
// path could not.
import {
  odata,
  type TableClient,
  type TableTransactionEntityResponse,
  type TransactionAction,
} from '@azure/data-tables';
import { ProtocolError, toError } from '../errors';
import { encodeKey } from './keys';
import type { Claim, ClaimedMarker, Marker, MarkerRules, MarkerStore, SingleMarkers } from './marker-types';
import { MAX_TRANSACTION_ACTIONS, statusOf } from './table';

/** Azure Tables allows 15 comparisons in a filter: the partition's and 14 row keys. */
const EXACT_READ_MAX = 14;
/** The transaction failed as a whole because of one entity's state: the single path sorts it out. */
const CONFLICTS = new Set([404, 409, 412]);

type Batched = Pick<MarkerStore, 'claimMany' | 'markSentMany' | 'releaseMany'>;
type Existing = Marker & { etag: string };

/** `fn` over `items`, `n` at a time, results in order. */
async function inWaves<T, R>(items: T[], n: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += n) out.push(...(await Promise.all(items.slice(i, i + n).map(fn))));
  return out;
}

/** Each key once, sorted (so a slice's row keys span a narrow range), in slices that fit one transaction. */
function slicesOf<T>(items: T[], key: (item: T) => string): T[][] {
  const unique = [...new Map(items.map((x) => [key(x), x] as const)).values()].sort((a, b) =>
    key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0,
  );
  const out: T[][] = [];
  for (let i = 0; i < unique.length; i += MAX_TRANSACTION_ACTIONS)
    out.push(unique.slice(i, i + MAX_TRANSACTION_ACTIONS));
  return out;
}

export function batchedMarkers(
  table: TableClient,
  single: SingleMarkers,
  rules: MarkerRules,
  concurrency: { transactions: number; fallback: number },
): Batched {
  /** The new ETags, in the order of `actions`; undefined when the transaction failed atomically on a conflict. */
  async function commit(actions: TransactionAction[]): Promise<string[] | undefined> {
    let subResponses: TableTransactionEntityResponse[];
    try {
      ({ subResponses } = await table.submitTransaction(actions));
    } catch (e) {
      if (CONFLICTS.has(statusOf(e) ?? 0)) return undefined;
      throw e;
    }
    if (subResponses.length !== actions.length) {
      throw new ProtocolError(
        `sent markers: a transaction of ${actions.length} answered ${subResponses.length} sub-responses.`,
      );
    }
    // As the single path: an answer without an ETag leaves the marker unguarded rather than unmarkable.
    return subResponses.map((s) => s.etag?.trim() ?? '*');
  }

  /** The slice's existing markers in one query: its row keys exactly when few, else their (sorted) range. */
  async function read(partitionKey: string, ids: string[]): Promise<Map<string, Existing>> {
    const rows =
      ids.length <= EXACT_READ_MAX
        ? `(${ids.map((id) => odata`RowKey eq ${id}`).join(' or ')})`
        : odata`RowKey ge ${ids[0]} and RowKey le ${ids[ids.length - 1]}`;
    const filter = `${odata`PartitionKey eq ${partitionKey}`} and ${rows}`;
    const wanted = new Set(ids);
    const out = new Map<string, Existing>();
    const query = table.listEntities<Marker>({
      queryOptions: { filter, select: ['RowKey', 'state', 'owner', 'claimedAt'] },
    });
    for await (const e of query) {
      // A row key this slice does not ask about (the range holds the conversation's older markers) is skipped;
      // one the read missed is taken as absent, and its insert's 409 sends the slice to the single path.
      if (e.rowKey === undefined || !wanted.has(e.rowKey) || !e.etag) continue;
      out.set(e.rowKey, { state: e.state, owner: e.owner, claimedAt: e.claimedAt, etag: e.etag });
    }
    return out;
  }

  async function claimSlice(conversationId: string, ids: string[], owner: string): Promise<Array<[string, Claim]>> {
    const partitionKey = encodeKey(conversationId);
    const create = (rowKey: string): TransactionAction => ['create', { partitionKey, rowKey, ...rules.pending(owner) }];
    // Fresh events (the common case) need no read: insert them all.
    const inserted = await commit(ids.map(create));
    if (inserted) return ids.map((id, i) => [id, { status: 'claimed', etag: inserted[i] }]);

    const existing = await read(partitionKey, ids);
    const decided: Array<[string, Claim]> = [];
    const open: string[] = [];
    const actions: TransactionAction[] = [];
    for (const id of ids) {
      const m = existing.get(id);
      if (m?.state === 'sent') decided.push([id, { status: 'sent' }]);
      else if (m && !rules.mayTake(m, owner)) decided.push([id, { status: 'busy' }]);
      else {
        open.push(id);
        actions.push(
          m
            ? ['update', { partitionKey, rowKey: id, ...rules.pending(owner) }, 'Replace', { etag: m.etag }]
            : create(id),
        );
      }
    }
    if (open.length === 0) return decided;
    const taken = await commit(actions);
    if (taken)
      return [...decided, ...open.map((id, i): [string, Claim] => [id, { status: 'claimed', etag: taken[i] }])];
    // Someone wrote one of them between the read and this transaction.
    const claims = await inWaves(open, concurrency.fallback, (id) => single.claim(conversationId, id, owner));
    return [...decided, ...open.map((id, i): [string, Claim] => [id, claims[i]])];
  }

  async function markSlice(
    conversationId: string,
    slice: ClaimedMarker[],
    activityId: string | undefined,
  ): Promise<Array<{ eventId: string; error: Error }>> {
    const partitionKey = encodeKey(conversationId);
    const marker = rules.sent(activityId);
    try {
      if (
        await commit(
          slice.map(
            (m): TransactionAction => [
              'update',
              { partitionKey, rowKey: m.eventId, ...marker },
              'Replace',
              { etag: m.etag },
            ],
          ),
        )
      )
        return [];
    } catch (e) {
      return slice.map((m) => ({ eventId: m.eventId, error: toError(e) }));
    }
    const failed = await inWaves(slice, concurrency.fallback, (m) =>
      single.markSent(conversationId, m.eventId, m.etag, activityId).then(
        () => [],
        (e: unknown) => [{ eventId: m.eventId, error: toError(e) }],
      ),
    );
    return failed.flat();
  }

  async function releaseSlice(conversationId: string, slice: ClaimedMarker[]): Promise<void> {
    const partitionKey = encodeKey(conversationId);
    // A transaction cannot carry a delete's ETag, so a batched release rewrites the marker as `released`.
    const marker = rules.released();
    if (
      await commit(
        slice.map(
          (m): TransactionAction => [
            'update',
            { partitionKey, rowKey: m.eventId, ...marker },
            'Replace',
            { etag: m.etag },
          ],
        ),
      )
    )
      return;
    await inWaves(slice, concurrency.fallback, (m) => single.release(conversationId, m.eventId, m.etag));
  }

  return {
    async claimMany(conversationId, eventIds, owner) {
      const results = await inWaves(
        slicesOf(eventIds, (id) => id),
        concurrency.transactions,
        (ids) => claimSlice(conversationId, ids, owner),
      );
      const byId = new Map(results.flat());
      return eventIds.map((id) => byId.get(id)!);
    },
    async markSentMany(conversationId, markers, activityId) {
      const failed = await inWaves(
        slicesOf(markers, (m) => m.eventId),
        concurrency.transactions,
        (s) => markSlice(conversationId, s, activityId),
      );
      return failed.flat();
    },
    async releaseMany(conversationId, markers) {
      await inWaves(
        slicesOf(markers, (m) => m.eventId),
        concurrency.transactions,
        (s) => releaseSlice(conversationId, s),
      );
    },
  };
}
