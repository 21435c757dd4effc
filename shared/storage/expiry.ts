// Deleting rows past their retention, with bounded work: one filtered listing that returns keys only, stopped
// after `maxRows` matches or `maxPages` pages (a filter on a column that is not a key makes the service scan, a
// page at a time: the cursor lets the next pass go on from where this one stopped); the rows deleted in
// transactions of one partition (up to 100 a request). A transaction that fails (a row deleted or written
// meanwhile, a throttled request) is retried row by row, and a row that still fails is left for the next pass:
// the pass goes on, and nothing but the listed rows is ever deleted.
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

/** Where a listing stopped for its page budget: the next pass goes on from there (undefined = from the start). */
export interface ExpiryCursor {
  token?: string;
}

export interface ExpiryBudget {
  maxRows: number;
  maxPages: number;
  /** Rows a page asks for (default 1,000, the service's most). */
  pageSize?: number;
}

/** Up to `maxRows` keys matching `filter`, reading at most `maxPages` pages from the cursor; moves the cursor. */
async function keysMatching(
  table: TableClient,
  filter: string,
  budget: ExpiryBudget,
  cursor: ExpiryCursor,
): Promise<{ keys: Keys[]; stopped: boolean }> {
  const keys: Keys[] = [];
  const pages = table
    .listEntities<Keys>({ queryOptions: { filter, select: ['PartitionKey', 'RowKey'] } })
    .byPage({ maxPageSize: budget.pageSize ?? 1000, continuationToken: cursor.token });
  let read = 0;
  for await (const page of pages) {
    read++;
    for (const r of page) keys.push({ partitionKey: r.partitionKey, rowKey: r.rowKey });
    // Deleted rows leave the listing: a budget stopped by rows starts over; one stopped by pages goes on.
    if (keys.length >= budget.maxRows) {
      cursor.token = undefined;
      return { keys: keys.slice(0, budget.maxRows), stopped: true };
    }
    cursor.token = page.continuationToken;
    if (!cursor.token) return { keys, stopped: false };
    if (read >= budget.maxPages) return { keys, stopped: true };
  }
  cursor.token = undefined;
  return { keys, stopped: false };
}

/** Deletes `keys` (grouped by partition); a 404 counts as deleted (someone else removed it). */
export async function deleteRows(
  table: TableClient,
  keys: Keys[],
  log: (line: string) => void,
): Promise<{ deleted: number; failed: number }> {
  const byPartition = new Map<string, Keys[]>();
  for (const k of keys) {
    const rows = byPartition.get(k.partitionKey);
    if (rows) rows.push(k);
    else byPartition.set(k.partitionKey, [k]);
  }
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
        // Atomic: one row gone (404) or the request failing fails the group, so each row goes on its own below,
        // where what failed is logged row by row.
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

/** One bounded pass: the rows matching `filter` within the budget are deleted. */
export async function expireRows(
  table: TableClient,
  filter: string,
  opts: ExpiryBudget & { cursor: ExpiryCursor; log: (line: string) => void },
): Promise<ExpiryPass> {
  const { keys, stopped } = await keysMatching(table, filter, opts, opts.cursor);
  const r = await deleteRows(table, keys, opts.log);
  return { ...r, more: stopped };
}
