// Batched sent markers on a real Azurite: claims, marks and releases go in transactions of up to 100 per
// conversation, counted on the wire; a transaction that conflicts falls back to the one-at-a-time path, which
// decides each marker on its own — so the outcomes are those of single claims.
import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import type { TableClient } from '@azure/data-tables';
import { encodeKey } from '../../shared/storage/keys';
import { markerStore, type Claim, type ClaimedMarker, type MarkerStore } from '../../shared/storage/marker-store';
import { openTable } from '../../shared/storage/table';
import { useAzurite } from '../support/azurite';

const azurite = useAzurite();
const LEASE_MS = 60_000;
let clock = Date.parse('2026-01-01T00:00:00Z');
const now = () => clock;

/** Every request of the counted client: transactions (POST $batch), other writes, and reads (with their URL). */
const wire = { batches: 0, writes: 0, reads: [] as string[] };
let afterRead: (() => Promise<void>) | undefined;
const counting: PipelinePolicy = {
  name: 'countMarkerRequests',
  async sendRequest(request, next) {
    if (request.method === 'GET') wire.reads.push(decodeURIComponent(request.url));
    else if (request.url.includes('$batch')) wire.batches++;
    else wire.writes++;
    const res = await next(request);
    const hook = request.method === 'GET' ? afterRead : undefined;
    afterRead = hook ? undefined : afterRead;
    await hook?.(); // something else writes right after our read: a race, made to happen here
    return res;
  },
};
const resetWire = () => {
  wire.batches = 0;
  wire.writes = 0;
  wire.reads = [];
};

let table: TableClient;
let markers: MarkerStore;
/** Another host: same table, its own client, not counted. */
let other: MarkerStore;

beforeAll(async () => {
  table = await openTable(azurite.connectionString, 'sent', { tablePolicies: [counting] });
  markers = markerStore(table, { leaseMs: LEASE_MS, now });
  other = markerStore(await openTable(azurite.connectionString, 'sent'), { leaseMs: LEASE_MS, now });
});
beforeEach(resetWire);

const ids = (prefix: string, n: number) =>
  Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(4, '0')}`);
const etagsOf = (eventIds: string[], claims: Claim[]): ClaimedMarker[] =>
  claims.map((c, i) => {
    if (c.status !== 'claimed') throw new Error(`${eventIds[i]} not claimed: ${c.status}`);
    return { eventId: eventIds[i], etag: c.etag };
  });
const statuses = (claims: Claim[]) =>
  claims.reduce<Record<string, number>>((n, c) => {
    n[c.status] = (n[c.status] ?? 0) + 1;
    return n;
  }, {});

async function rows(conversationId: string): Promise<Map<string, { state: string; owner: string }>> {
  const out = new Map<string, { state: string; owner: string }>();
  const pk = encodeKey(conversationId).replace(/'/g, "''");
  for await (const e of table.listEntities<{ state: string; owner: string }>({
    queryOptions: { filter: `PartitionKey eq '${pk}'` },
  }))
    out.set(e.rowKey!, { state: e.state, owner: e.owner });
  return out;
}

test('a 250-event digest: 3 claim transactions, no read; marked sent in 3; a 2nd message finds them sent', async () => {
  const conv = '19:digest/a#b?c@thread.tacv2';
  const events = ids('e', 250);
  const claims = await markers.claimMany(conv, events, 'msgA');
  expect(statuses(claims)).toEqual({ claimed: 250 });
  expect(wire).toEqual({ batches: 3, writes: 0, reads: [] });

  resetWire();
  expect(await markers.markSentMany(conv, etagsOf(events, claims), 'act-1')).toEqual([]);
  expect(wire).toEqual({ batches: 3, writes: 0, reads: [] });
  expect([...(await rows(conv)).values()].every((r) => r.state === 'sent')).toBe(true);

  resetWire();
  expect(statuses(await markers.claimMany(conv, events, 'msgB'))).toEqual({ sent: 250 });
  expect(wire.batches).toBe(3); // the failed inserts; nothing written
  expect(wire.reads).toHaveLength(3);
  // The single path agrees about one of them.
  expect((await other.claim(conv, events[17], 'msgC')).status).toBe('sent');
});

test('a slice marker held by another message is busy; the other 99 are claimed in one more transaction', async () => {
  const conv = 'conv-conflict';
  const events = ids('c', 100);
  expect((await other.claim(conv, events[42], 'msgB')).status).toBe('claimed');
  resetWire();
  const claims = await markers.claimMany(conv, events, 'msgA');
  expect(claims[42]).toEqual({ status: 'busy' });
  expect(statuses(claims)).toEqual({ claimed: 99, busy: 1 });
  expect(wire).toMatchObject({ batches: 2, writes: 0 });
  expect(wire.reads).toHaveLength(1);
  expect(wire.reads[0]).toContain(`RowKey ge '${events[0]}' and RowKey le '${events[99]}'`);
  const stored = await rows(conv);
  expect(stored.get(events[42])).toEqual({ state: 'pending', owner: 'msgB' });
  expect([...stored.values()].filter((r) => r.owner === 'msgA')).toHaveLength(99);
});

test('a marker inserted between read and transaction: single path for the slice, which gets it right', async () => {
  const conv = 'conv-race';
  const events = ids('r', 30);
  await other.claim(conv, events[0], 'msgB'); // the insert transaction fails, so the slice is read
  afterRead = async () => {
    await other.claim(conv, events[7], 'msgB');
  };
  const claims = await markers.claimMany(conv, events, 'msgA');
  expect(claims[0]).toEqual({ status: 'busy' });
  expect(claims[7]).toEqual({ status: 'busy' });
  expect(statuses(claims)).toEqual({ claimed: 28, busy: 2 });
  expect(wire.batches).toBe(2); // insert, mixed: both failed
  expect(wire.writes).toBe(29); // the single path: one insert each (the raced one's fails, and it is read)
  expect(wire.reads).toHaveLength(2);
  expect((await rows(conv)).get(events[7])).toEqual({ state: 'pending', owner: 'msgB' });
});

test("a redelivery takes over its own pending markers in batch; the dead attempt's ETags stop working", async () => {
  const conv = 'conv-redelivery';
  const events = ids('d', 150);
  const dead = etagsOf(events, await markers.claimMany(conv, events, 'msgA'));
  resetWire();
  const live = etagsOf(events, await markers.claimMany(conv, events, 'msgA'));
  expect(wire).toMatchObject({ batches: 4, writes: 0 }); // 2 failed inserts, 2 updates
  expect(wire.reads).toHaveLength(2);
  expect(live.map((m) => m.etag)).not.toContain(dead[0].etag);

  const failed = await markers.markSentMany(conv, dead);
  expect(failed).toHaveLength(150);
  expect(failed[0].error).toMatchObject({ statusCode: 412 });
  expect(await markers.markSentMany(conv, live, 'act-2')).toEqual([]);
  expect(statuses(await other.claimMany(conv, events, 'msgB'))).toEqual({ sent: 150 });
});

test('a pending marker past its lease is taken over in batch; one within it is not', async () => {
  const conv = 'conv-lease';
  const old = ids('l', 20);
  await other.claimMany(conv, old, 'msgB');
  clock += LEASE_MS + 1000;
  const recent = ids('m', 5);
  await other.claimMany(conv, recent, 'msgB');
  const fresh = ids('n', 5);
  resetWire();
  const claims = await markers.claimMany(conv, [...old, ...recent, ...fresh], 'msgA');
  expect(statuses(claims.slice(0, 20))).toEqual({ claimed: 20 });
  expect(statuses(claims.slice(20, 25))).toEqual({ busy: 5 });
  expect(statuses(claims.slice(25))).toEqual({ claimed: 5 });
  expect(wire).toMatchObject({ batches: 2, writes: 0 });
});

test('stale ETag while marking → single path: others marked, that one reported and left to its holder', async () => {
  const conv = 'conv-stale';
  const events = ids('s', 100);
  const claimed = etagsOf(events, await markers.claimMany(conv, events, 'msgA'));
  // Meanwhile a redelivery of the same message took one over (its ETag changed).
  const takeover = await other.claim(conv, events[3], 'msgA');
  expect(takeover.status).toBe('claimed');
  resetWire();
  const failed = await markers.markSentMany(conv, claimed, 'act-3');
  expect(failed.map((f) => f.eventId)).toEqual([events[3]]);
  expect(failed[0].error).toMatchObject({ statusCode: 412 });
  expect(wire).toMatchObject({ batches: 1, writes: 100 });
  const stored = await rows(conv);
  expect(stored.get(events[3])).toEqual({ state: 'pending', owner: 'msgA' });
  expect([...stored.values()].filter((r) => r.state === 'sent')).toHaveLength(99);
});

test('markers released in batch are claimed again (batched or single); a stale release leaves them alone', async () => {
  const conv = 'conv-release';
  const events = ids('x', 120);
  const claimed = etagsOf(events, await markers.claimMany(conv, events, 'msgA'));
  resetWire();
  await markers.releaseMany(conv, claimed);
  expect(wire).toEqual({ batches: 2, writes: 0, reads: [] });
  expect(statuses(await other.claimMany(conv, events.slice(1), 'msgB'))).toEqual({ claimed: 119 });
  expect((await other.claim(conv, events[0], 'msgC')).status).toBe('claimed');

  const few = ids('y', 10);
  const held = etagsOf(few, await markers.claimMany(conv, few, 'msgA'));
  await other.claim(conv, few[5], 'msgA'); // taken over: our ETag is stale
  await markers.releaseMany(conv, held);
  const stored = await rows(conv);
  expect(stored.get(few[5])).toEqual({ state: 'pending', owner: 'msgA' });
  expect(few.filter((id) => stored.has(id))).toEqual([few[5]]); // the single path deleted the other 9
});

test('a small slice is read by its exact row keys; duplicate ids are claimed once and answered in order', async () => {
  const conv = 'conv-small';
  await markers.claimMany(conv, ['k2'], 'msgA');
  resetWire();
  const claims = await markers.claimMany(conv, ['k3', 'k2', 'k1', 'k2'], 'msgA');
  expect(claims.map((c) => c.status)).toEqual(['claimed', 'claimed', 'claimed', 'claimed']);
  expect(claims[1]).toEqual(claims[3]);
  expect(wire.reads).toHaveLength(1);
  expect(wire.reads[0]).toContain("(RowKey eq 'k1' or RowKey eq 'k2' or RowKey eq 'k3')");
  expect(statuses(await markers.claimMany(conv, [], 'msgA'))).toEqual({});
});
