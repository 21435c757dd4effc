// The `progresswatches` table: one row per job card the progress reader keeps up to date while its job runs
// (PK the encoded workspace, RK the encoded conversation and card). The row carries what the reader remembers
// between ticks (log sizes, when they last grew, the stuck alert of the current stall, the chart's points), so
// the reader holds nothing in memory and any instance may run the next tick.
import { odata, type TableClient } from '@azure/data-tables';
import type { JobRef } from '../compute/model';
import type { WatchState } from '../core/progress-plan';
import type { ProgressView } from '../core/views';
import { ProtocolError } from '../errors';
import { encodeKey, workspaceKey } from './keys';
import { openTable, type StorageTarget, statusOf } from './table';

export interface ProgressWatch {
  job: JobRef;
  conversationId: string;
  /** The card updated in place. */
  activityId: string;
  submittedBy?: string;
  state: WatchState;
  /** The chart's points so far (a tail holds only the newest): progress-plan.ts mergePoints. */
  points: Array<{ x: number; y: number }>;
  /** The metric the template asks to chart (default: the first whose name holds "loss"). */
  mainMetric?: string;
  /** The metric `points` follow, as the parser found it. */
  chartMetric?: string;
  /** The last reading, without its chart: a log that did not grow this tick keeps what it said. */
  progress?: ProgressView;
  /** ISO: the job had ended and its card got its final form; the row stays a while for the follow-up. */
  endedAt?: string;
  /** The row's ETag as read (not stored): save() with it refuses to overwrite a row written since. */
  etag?: string;
}

/** save() of a watch read before someone else wrote its row (the reader's tick and [Keep waiting] race). */
export class WatchChangedError extends Error {
  override readonly name = 'WatchChangedError';
  readonly code = 'WatchChanged';
}

export interface ProgressWatchStore {
  /** Starts watching (replacing a watch of the same card). */
  add(w: ProgressWatch): Promise<void>;
  /** Every watch; a row that no longer parses is skipped with a log line by the caller's `onBad`. */
  list(onBad?: (key: string, why: string) => void): Promise<ProgressWatch[]>;
  /**
   * Writes the watch; with its `etag`, only over the row as read (else WatchChangedError). Answers the row's new
   * ETag, for a writer that writes the same row again (the reader writes a reading before a card shows it).
   */
  save(w: ProgressWatch): Promise<string | undefined>;
  /** The watches of one job's cards in one conversation. */
  forJob(job: JobRef, conversationId: string): Promise<ProgressWatch[]>;
  /** The watch of one card, if any. */
  get(w: Pick<ProgressWatch, 'job' | 'conversationId' | 'activityId'>): Promise<ProgressWatch | undefined>;
  /** Stops watching; a row already gone is fine. */
  remove(w: Pick<ProgressWatch, 'job' | 'conversationId' | 'activityId'>): Promise<void>;
}

export const PROGRESS_WATCHES_TABLE = 'progresswatches';

const keys = (w: Pick<ProgressWatch, 'job' | 'conversationId' | 'activityId'>) => ({
  partitionKey: workspaceKey(w.job),
  rowKey: encodeKey(`${w.conversationId}\n${w.activityId}`),
});

function parse(data: unknown, etag?: string): ProgressWatch {
  if (typeof data !== 'string') throw new ProtocolError('data missing');
  const w = JSON.parse(data) as ProgressWatch;
  if (!w?.job?.job || !w.conversationId || !w.activityId || !w.state?.grewAt || !Array.isArray(w.points))
    throw new ProtocolError('not a progress watch');
  return etag ? { ...w, etag } : w;
}

type Row = { data?: unknown; etag?: string };

export function progressWatchStore(table: TableClient): ProgressWatchStore {
  const entity = ({ etag: _, ...w }: ProgressWatch) => ({ ...keys(w), data: JSON.stringify(w) });
  return {
    add: async (w) => {
      await table.upsertEntity(entity(w), 'Replace');
    },
    save: async (w) => {
      if (!w.etag) return (await table.upsertEntity(entity(w), 'Replace')).etag;
      try {
        return (await table.updateEntity(entity(w), 'Replace', { etag: w.etag })).etag;
      } catch (e) {
        if (statusOf(e) === 412 || statusOf(e) === 404)
          throw new WatchChangedError(`the watch of ${w.job.job} changed since it was read`);
        throw e;
      }
    },
    async forJob(job, conversationId) {
      // The row key starts with the encoded conversation and an encoded newline (%0A): a range of one partition.
      const from = `${encodeKey(conversationId)}%0A`;
      const to = `${from.slice(0, -1)}B`;
      const filter = odata`PartitionKey eq ${workspaceKey(job)} and RowKey ge ${from} and RowKey lt ${to}`;
      const out: ProgressWatch[] = [];
      for await (const e of table.listEntities<Row>({ queryOptions: { filter } })) {
        const w = parse(e.data, e.etag);
        if (w.job.experiment === job.experiment && w.job.job === job.job) out.push(w);
      }
      return out;
    },
    async list(onBad) {
      const out: ProgressWatch[] = [];
      // Every partition: one query per tick, paged by the SDK (1,000 rows a page).
      for await (const e of table.listEntities<Row>()) {
        try {
          out.push(parse(e.data, e.etag));
        } catch (err) {
          onBad?.(`${e.partitionKey}/${e.rowKey}`, err instanceof Error ? err.message : String(err));
        }
      }
      return out;
    },
    async get(w) {
      const k = keys(w);
      try {
        const e = await table.getEntity<Row>(k.partitionKey, k.rowKey);
        return parse(e.data, e.etag);
      } catch (e) {
        if (statusOf(e) === 404) return undefined;
        throw e;
      }
    },
    async remove(w) {
      const k = keys(w);
      try {
        await table.deleteEntity(k.partitionKey, k.rowKey);
      } catch (e) {
        if (statusOf(e) !== 404) throw e;
      }
    },
  };
}

/** Creates the table if missing. */
export async function createProgressWatchStore(target: StorageTarget): Promise<ProgressWatchStore> {
  return progressWatchStore(await openTable(target, PROGRESS_WATCHES_TABLE));
}
