// The claim check's storage on a real Azurite: event batches sliced under the property limit, written in
// bounded transactions, read back whole, deleted, swept; the queue side stores before it enqueues.
import { TableClient } from '@azure/data-tables';
import { QueueClient } from '@azure/storage-queue';
import type { JobEvent } from '../../shared/core/events';
import { parseEventsMessage } from '../../shared/core/events';
import { createBackendStores, type BackendStores } from '../../shared/storage';
import { EVENT_BATCHES_TABLE, SLICE_CHARS, sliceText } from '../../shared/storage/event-batch-store';
import { eventQueue } from '../../shared/storage/event-queue';
import { createWriteCounter } from '../../shared/storage/write-counter';
import { useAzurite } from '../support/azurite';

const azurite = useAzurite();
const counter = createWriteCounter();
const ws = { resourceGroup: 'rg', workspace: 'ws' };
let backend: BackendStores;
let table: TableClient;

beforeAll(async () => {
  backend = await createBackendStores(azurite.connectionString, { tablePolicies: [counter.policy] });
  table = TableClient.fromConnectionString(azurite.connectionString, EVENT_BATCHES_TABLE, {
    allowInsecureConnection: true,
  });
});

async function rows(batchId?: string): Promise<string[]> {
  const out: string[] = [];
  for await (const r of table.listEntities())
    if (!batchId || r.partitionKey === batchId) out.push(`${r.partitionKey}/${r.rowKey}`);
  return out;
}

/** `n` failed-job events whose error messages are long and full of quotes and astral characters. */
function events(n: number, messageChars = 0): JobEvent[] {
  return Array.from({ length: n }, (_, i) => ({
    kind: 'job',
    id: `e${i}`,
    workspace: ws,
    resourceId: `/x/exp/j${i}`,
    experiment: 'exp',
    job: `j${i}`,
    from: 'running',
    to: 'failed',
    at: 't',
    summary: {
      workspace: 'ws',
      experiment: 'exp',
      name: `j${i}`,
      state: 'failed',
      cluster: 'gpu',
      nodeCount: 1,
      exitCode: 1,
      errors: messageChars ? [{ code: 'E', message: '"😀é'.repeat(messageChars / 4) }] : [],
    },
    outputDirectoryIds: ['stdouterr'],
  }));
}

describe('sliceText', () => {
  it('cuts at the limit, never between the halves of a surrogate pair, and joins back to the same text', () => {
    const text = 'a' + '😀'.repeat(50); // every pair straddles an odd boundary
    const slices = sliceText(text, 10);
    expect(slices.join('')).toBe(text);
    for (const s of slices) {
      expect(s.length).toBeLessThanOrEqual(10);
      expect(/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/.test(s)).toBe(false);
    }
    expect(sliceText('')).toEqual(['']);
  });
});

describe('event batch store', () => {
  it('stores a 5 MB batch as slices under 64 KiB in transactions of ≤ 100 rows; reads it back whole', async () => {
    const big = events(600, 8000);
    counter.reset();
    const { chunks, transactions } = await backend.batches.put('big', { workspace: ws, tickAt: 't', events: big });
    expect(chunks).toBeGreaterThan(100);
    expect(transactions).toBeGreaterThanOrEqual(Math.ceil((chunks + 1) / 100));
    expect(counter.requests()).toBe(transactions);
    for await (const r of table.listEntities<{ data?: string }>({
      queryOptions: { filter: "PartitionKey eq 'big'" },
    })) {
      expect((r.data ?? '').length).toBeLessThanOrEqual(SLICE_CHARS);
    }
    expect(await backend.batches.get('big', chunks)).toEqual(big);

    expect(await backend.batches.delete('big')).toBe(chunks + 1);
    expect(await rows('big')).toEqual([]);
    expect(await backend.batches.get('big', chunks)).toBeUndefined();
  }, 30_000);

  it('refuses a batch with a slice missing instead of reading part of it', async () => {
    const { chunks } = await backend.batches.put('partial', { workspace: ws, tickAt: 't', events: events(20, 4000) });
    expect(chunks).toBeGreaterThan(1);
    await table.deleteEntity('partial', 'c00001');
    await expect(backend.batches.get('partial', chunks)).rejects.toThrow(
      `event batch partial: expected a head and ${chunks} slices`,
    );
    await backend.batches.delete('partial');
  });

  it('sweeps only batches stored before the cut-off, every row of them', async () => {
    await backend.batches.put('old1', { workspace: ws, tickAt: 't', events: events(3) });
    await backend.batches.put('old2', { workspace: ws, tickAt: 't', events: events(30, 4000) });
    expect(await backend.batches.sweep(new Date(Date.now() - 60_000))).toBe(0);
    expect(await rows('old2')).not.toEqual([]);
    expect(await backend.batches.sweep(new Date(Date.now() + 1000))).toBe(2);
    expect(await rows()).toEqual([]);
  });
});

describe('event queue', () => {
  it('stores the batch, then enqueues one small message that references it', async () => {
    const queue = new QueueClient(azurite.connectionString, 'events');
    const burst = events(1000);
    const sent = await backend.events.enqueue(ws, burst, 'tick');
    const { peekedMessageItems: items } = await queue.peekMessages({ numberOfMessages: 32 });
    expect(items).toHaveLength(1);
    expect(items[0].messageText.length).toBeLessThan(1024);
    const message = parseEventsMessage(items[0].messageText);
    expect(message).toEqual(sent);
    if (message.v !== 2) throw new Error('expected a v2 message');
    expect(message).toMatchObject({ count: 1000, workspace: ws, tickAt: 'tick', ref: { table: EVENT_BATCHES_TABLE } });
    expect(await backend.batches.get(message.batchId, message.ref.chunks)).toEqual(burst);
    await queue.clearMessages();
    await backend.batches.delete(message.batchId);
  });

  it('enqueues nothing when the batch cannot be stored', async () => {
    const queue = new QueueClient(azurite.connectionString, 'events');
    const failing = eventQueue(queue, {
      put: async () => {
        throw new Error('table down');
      },
    });
    await expect(failing.enqueue(ws, events(2), 'tick')).rejects.toThrow('table down');
    expect((await queue.peekMessages()).peekedMessageItems).toHaveLength(0);
  });
});
