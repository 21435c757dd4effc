// The `eventbatches` table: the claim check behind the `events` queue. A tick's events for one workspace are
// stored here under a fresh batchId before one small message referencing them is enqueued, so a burst of any
// size travels as one message. Layout: PK = batchId; a `head` row (workspace, tickAt, count, chunks,
// createdAt) and rows `c00000`, `c00001`, … each holding one slice of the events' JSON text in `data`.
// - A string property holds at most 64 KiB counted as UTF-16: a slice is at most 32,000 code units, never
//   cut inside a surrogate pair. An entity holds one slice, far below the 1 MiB entity limit.
// - Writes go in transactions of at most 100 actions and ~3 MiB on the wire (the limits are 100 and 4 MiB).
//   The head is in the first transaction, so any row that exists has a head for the sweep to find; deletes
//   remove the slices first and the head last for the same reason.
// - Rows are deleted by the notifier once every conversation has the batch's alerts; the sweep (poller, on a
//   later tick) removes what is left after the retention: batches of a poller that died before enqueueing,
//   and of messages that never completed (poison).
import { odata, type TableClient, type TransactionAction } from '@azure/data-tables';
import type { WorkspaceRef } from '../compute/model';
import { parseEvents, type BackendEvent } from '../core/events';
import { ProtocolError } from '../errors';
import { statusOf, transactionGroups } from './table';

export const EVENT_BATCHES_TABLE = 'eventbatches';
const HEAD = 'head';
export const SLICE_CHARS = 32_000;

export interface StoredBatch {
  workspace: WorkspaceRef;
  tickAt: string;
  events: BackendEvent[];
}

export interface EventBatchStore {
  /** Writes the batch's rows (before its message is enqueued); `chunks` goes into the message's ref. */
  put(batchId: string, batch: StoredBatch): Promise<{ chunks: number; transactions: number }>;
  /** The stored events; undefined when the batch is gone (done and deleted, or swept). Throws when incomplete. */
  get(batchId: string, chunks: number): Promise<BackendEvent[] | undefined>;
  /** Deletes every row of the batch; returns how many. */
  delete(batchId: string): Promise<number>;
  /** Deletes the batches stored before `before`; returns how many batches. */
  sweep(before: Date): Promise<number>;
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;

/** Text → slices of at most `max` UTF-16 code units, none ending between the halves of a surrogate pair. */
export function sliceText(text: string, max = SLICE_CHARS): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; ) {
    let end = Math.min(text.length, i + max);
    if (end < text.length && isHighSurrogate(text.charCodeAt(end - 1))) end--;
    out.push(text.slice(i, end));
    i = end;
  }
  return out.length > 0 ? out : [''];
}

const sliceKey = (i: number) => `c${String(i).padStart(5, '0')}`;

type Row = { partitionKey: string; rowKey: string; data?: unknown };

export function eventBatchStore(table: TableClient): EventBatchStore {
  async function rowKeys(batchId: string): Promise<string[]> {
    const keys: string[] = [];
    const rows = table.listEntities<Row>({
      queryOptions: { filter: odata`PartitionKey eq ${batchId}`, select: ['RowKey'] },
    });
    for await (const r of rows) keys.push(r.rowKey);
    return keys;
  }

  async function remove(batchId: string): Promise<number> {
    const keys = (await rowKeys(batchId)).sort((a, b) => Number(a === HEAD) - Number(b === HEAD));
    const actions = keys.map((rowKey): TransactionAction => ['delete', { partitionKey: batchId, rowKey }]);
    for (const t of transactionGroups(actions)) {
      try {
        await table.submitTransaction(t);
      } catch (e) {
        // A concurrent delete took some rows first: delete the rest one by one.
        if (statusOf(e) !== 404) throw e;
        for (const [, row] of t) {
          await table.deleteEntity(row.partitionKey, row.rowKey).catch((err: unknown) => {
            if (statusOf(err) !== 404) throw err;
          });
        }
      }
    }
    return keys.length;
  }

  return {
    async put(batchId, batch) {
      const slices = sliceText(JSON.stringify(batch.events));
      const head = {
        partitionKey: batchId,
        rowKey: HEAD,
        workspace: JSON.stringify(batch.workspace),
        tickAt: batch.tickAt,
        count: batch.events.length,
        chunks: slices.length,
        createdAt: new Date(),
      };
      const actions: TransactionAction[] = [
        ['create', head],
        ...slices.map((data, i): TransactionAction => ['create', { partitionKey: batchId, rowKey: sliceKey(i), data }]),
      ];
      const groups = transactionGroups(actions);
      for (const t of groups) await table.submitTransaction(t);
      return { chunks: slices.length, transactions: groups.length };
    },

    async get(batchId, chunks) {
      const slices: string[] = [];
      let rows = 0;
      for await (const r of table.listEntities<Row>({ queryOptions: { filter: odata`PartitionKey eq ${batchId}` } })) {
        rows++;
        const m = /^c(\d{5})$/.exec(r.rowKey);
        if (m && typeof r.data === 'string') slices[Number(m[1])] = r.data;
      }
      if (rows === 0) return undefined;
      const found = slices.filter((s) => s !== undefined).length;
      if (rows !== chunks + 1 || found !== chunks) {
        throw new ProtocolError(
          `event batch ${batchId}: expected a head and ${chunks} slices, found ${rows} rows (${found} slices); ` +
            'it is being deleted or was written partly.',
        );
      }
      let value: unknown;
      try {
        value = JSON.parse(slices.join(''));
      } catch {
        throw new ProtocolError(`event batch ${batchId}: expected the JSON of an events array in its slices.`);
      }
      return parseEvents(value, `event batch ${batchId}`);
    },

    delete: remove,

    async sweep(before) {
      const heads = table.listEntities<Row>({
        queryOptions: { filter: odata`RowKey eq ${HEAD} and createdAt lt ${before}`, select: ['PartitionKey'] },
      });
      const ids: string[] = [];
      for await (const h of heads) ids.push(h.partitionKey);
      for (const id of ids) await remove(id);
      return ids.length;
    },
  };
}
