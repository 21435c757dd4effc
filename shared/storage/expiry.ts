// Deleting rows past their retention, with bounded work: one filtered listing that returns keys only, stopped
// after `maxRows`; the rows deleted in transactions of one partition (up to 100 a request). A transaction that
// fails (a row deleted or written meanwhile, a throttled request) is retried row by row, and a row that still
// fails is left for the next pass: the pass goes on, and nothing but the listed rows is ever deleted.
import type { TableClient, TransactionAction } from '@azure/data-tables';
import { toError } from '../errors';
import { statusOf, transactionGroups } from './table';

export interface ExpiryPass {
  deleted: number;
  /** Rows whose delete failed (left for the next pass). */
  failed: number;
  /** True when the pass stopped at its budget: more rows may be past retention. */
  more: boolean;
}

type Keys = { partitionKey: string; rowKey: string };

/** Lists up to `maxRows` keys matching `filter`, in listing order. */
async function keysMatching(table: TableClient, filter: string, maxRows: number): Promise<Keys[]> {
  const out: Keys[] = [];
  const rows = table.listEntities<Keys>({ queryOptions: { filter, select: ['PartitionKey', 'RowKey'] } });
  for await (const r of rows) {
    out.push({ partitionKey: r.partitionKey, rowKey: r.rowKey });
    if (out.length >= maxRows) break;
  }
  return out;
}

/** Deletes `keys` (grouped by partition); a 404 counts as deleted (someone else removed it). */
export async function deleteRows(
  table: TableClient,
  keys: Keys[],
  log: (line: string) => void,
): Promise<{ deleted: number; failed: number }> {
  const byPartition = new Map<string, Keys[]>();
  for (const k of keys) byPartition.set(k.partitionKey, [...(byPartition.get(k.partitionKey) ?? []), k]);
  let deleted = 0;
  let failed = 0;
  for (const rows of byPartition.values()) {
    const actions = rows.map((k): TransactionAction => ['delete', k]);
    for (const group of transactionGroups(actions)) {
      try {
        await table.submitTransaction(group);
        deleted += group.length;
        continue;
      } catch {
        // One row of the group is gone or the request failed as a whole: each row on its own below.
      }
      for (const [, row] of group) {
        try {
          await table.deleteEntity(row.partitionKey, row.rowKey);
          deleted++;
        } catch (e) {
          if (statusOf(e) === 404) deleted++;
          else {
            failed++;
            const where = `${table.tableName} ${row.partitionKey}/${row.rowKey}`;
            log(`housekeeping: deleting ${where} failed: ${toError(e).message}`);
          }
        }
      }
    }
  }
  return { deleted, failed };
}

/** One bounded pass: the rows matching `filter` (at most `maxRows`) are deleted. */
export async function expireRows(
  table: TableClient,
  filter: string,
  opts: { maxRows: number; log: (line: string) => void },
): Promise<ExpiryPass> {
  const keys = await keysMatching(table, filter, opts.maxRows);
  const r = await deleteRows(table, keys, opts.log);
  return { ...r, more: keys.length >= opts.maxRows };
}
