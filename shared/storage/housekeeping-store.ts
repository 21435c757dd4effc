// The housekeeping pass over the tables that are caches or queues (retention.ts says which and for how long): each
// table's expired rows are found by one filtered listing and deleted in bounded batches (expiry.ts). Where the
// key holds the time (a Slack turn's row key is its arrival) or the rows sit in known partitions (Slack's `seen-`
// partitions, the `approval` partition), the filter says so, so the service reads only that range. A table that
// fails is logged and the others still run; its rows wait for the next pass.
import { odata, type TableClient } from '@azure/data-tables';
import { toError } from '../errors';
import { deleteRows, expireRows, type ExpiryCursor, type ExpiryPass } from './expiry';
import { EXPIRING, type ExpiringTable, type RetentionMs } from './retention';
import { FOLLOWUPS_TABLE } from './followup-queue';
import { TURN_TABLES, turnKeyPrefix } from './turn-inbox';
import { openTable, type StorageTarget } from './table';

export interface HousekeepingReport {
  at: string;
  tables: Partial<Record<ExpiringTable, ExpiryPass>>;
  /** Tables whose pass failed as a whole (listing refused): what was said. */
  failures: string[];
}

export interface Housekeeping {
  /** One pass at `now`: at most `maxRows` rows deleted and `maxPages` pages read per table. */
  run(now: Date): Promise<HousekeepingReport>;
}

export interface HousekeepingOptions {
  retention: RetentionMs;
  /** Rows deleted per table and pass (default 1,000). */
  maxRows?: number;
  /** Pages of a listing read per table and pass (default 20): bounds a scan that matches little. */
  maxPages?: number;
  pageSize?: number;
  log: (line: string) => void;
}

export interface HousekeepingTables {
  sent: TableClient;
  /** The turn inboxes (`slackturns`, `cardactions`): their seen, turn and lease rows. */
  inboxes: TableClient[];
  followups: TableClient;
  approvals: TableClient;
  approvalcards: TableClient;
}

/** Rows of partitions whose key starts with `prefix` (a range of the partition index). */
function prefixed(prefix: string): string {
  const next = prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
  return odata`PartitionKey ge ${prefix} and PartitionKey lt ${next}`;
}

const ENDED = ['rejected', 'expired', 'executed', 'failed'];

const sum = (passes: ExpiryPass[]): ExpiryPass => ({
  deleted: passes.reduce((n, p) => n + p.deleted, 0),
  failed: passes.reduce((n, p) => n + p.failed, 0),
  more: passes.some((p) => p.more),
});

export function housekeeping(tables: HousekeepingTables, opts: HousekeepingOptions): Housekeeping {
  const maxRows = opts.maxRows ?? 1000;
  const maxPages = opts.maxPages ?? 20;
  const log = opts.log;
  // One cursor per listing, in memory only: losing it (a restart) costs a scan from the start, nothing more.
  const cursors = new Map<string, ExpiryCursor>();
  const pass = (name: string, table: TableClient, filter: string) => {
    let cursor = cursors.get(name);
    if (!cursor) cursors.set(name, (cursor = {}));
    return expireRows(table, filter, { maxRows, maxPages, pageSize: opts.pageSize, cursor, log });
  };

  /** Ended approvals: their cards first (a partition each), then the request, so no card outlives its row. */
  async function approvals(before: Date): Promise<ExpiryPass> {
    const states = ENDED.map((s) => odata`state eq ${s}`).join(' or ');
    const filter = `${odata`PartitionKey eq ${'approval'} and expiresAt lt ${before.toISOString()}`} and (${states})`;
    const ids: string[] = [];
    for await (const r of tables.approvals.listEntities({ queryOptions: { filter, select: ['RowKey'] } })) {
      ids.push(r.rowKey!);
      if (ids.length >= maxRows) break;
    }
    let deleted = 0;
    let failed = 0;
    for (const id of ids) {
      const cards: Array<{ partitionKey: string; rowKey: string }> = [];
      for await (const c of tables.approvalcards.listEntities({
        queryOptions: { filter: odata`PartitionKey eq ${id}`, select: ['RowKey'] },
      })) {
        cards.push({ partitionKey: id, rowKey: c.rowKey! });
      }
      const c = await deleteRows(tables.approvalcards, cards, log);
      // A card left behind keeps its request: the next pass tries both again.
      const r =
        c.failed > 0
          ? { deleted: 0, failed: 1 }
          : await deleteRows(tables.approvals, [{ partitionKey: 'approval', rowKey: id }], log);
      deleted += r.deleted;
      failed += r.failed;
    }
    return { deleted, failed, more: ids.length >= maxRows };
  }

  const rules: Record<ExpiringTable, (now: number) => Promise<ExpiryPass>> = {
    sent: (now) => pass('sent', tables.sent, odata`claimedAt lt ${new Date(now - opts.retention.sent).toISOString()}`),
    slackseen: async (now) =>
      sum(
        await Promise.all(
          tables.inboxes.map((t) =>
            pass(
              `${t.tableName}/seen`,
              t,
              `${prefixed('seen-')} and ${odata`at lt ${now - opts.retention.slackseen}`}`,
            ),
          ),
        ),
      ),
    slackturns: async (now) => {
      const before = now - opts.retention.slackturns;
      const passes = tables.inboxes.flatMap((t) => [
        pass(`${t.tableName}/turns`, t, `${prefixed('turn-')} and ${odata`RowKey lt ${turnKeyPrefix(before)}`}`),
        // A lease left by a dead drainer (its `until` long past): a live one is always in the future.
        pass(
          `${t.tableName}/leases`,
          t,
          `${prefixed('turn-')} and ${odata`RowKey eq ${'~lease'} and until lt ${before}`}`,
        ),
      ]);
      return sum(await Promise.all(passes));
    },
    followups: (now) =>
      pass('followups', tables.followups, odata`Timestamp lt ${new Date(now - opts.retention.followups)}`),
    approvals: (now) => approvals(new Date(now - opts.retention.approvals)),
  };

  return {
    async run(now) {
      const report: HousekeepingReport = { at: now.toISOString(), tables: {}, failures: [] };
      for (const t of EXPIRING) {
        try {
          report.tables[t] = await rules[t](now.getTime());
        } catch (e) {
          report.failures.push(`${t}: ${toError(e).message}`);
          log(`housekeeping: ${t} failed (the next pass retries): ${toError(e).message}`);
        }
      }
      return report;
    },
  };
}

/** Opens (creating if missing) the tables housekeeping expires. */
export async function createHousekeeping(target: StorageTarget, opts: HousekeepingOptions): Promise<Housekeeping> {
  const [sent, followups, approvals, approvalcards, ...inboxes] = await Promise.all(
    ['sent', FOLLOWUPS_TABLE, 'approvals', 'approvalcards', ...TURN_TABLES].map((t) => openTable(target, t)),
  );
  return housekeeping({ sent, inboxes, followups, approvals, approvalcards }, opts);
}
