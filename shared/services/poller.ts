// One poll tick: for every configured workspace, observe (observe.ts), diff against the snapshot rows
// (core/diff.ts), enqueue the events (stored as one batch, one message: storage/event-queue.ts), then write
// the changed rows. Enqueue comes first: a crash between the two re-emits the same event ids next tick
// (dropped by the notifier's markers) instead of losing them. At most once per `sweepEveryMs` a tick also
// deletes stored event batches older than the retention (the ones no completed message cleaned up).
// Workspaces are independent: one failing is recorded once (pollstatus row) and logged when it starts
// failing and when it recovers, not every tick. A job that ended without its exit code in the listing (Azure
// Batch lists jobs, not their tasks) is read once, when it ends, so that its alert says how it ended.
import type { WorkspaceRef } from '../compute/model';
import type { ComputePort } from '../compute/port';
import type { JobEvent } from '../core/events';
import { workspaceLabel } from '../core/arm-names';
import { diffWorkspace } from '../core/diff';
import { toError } from '../errors';
import type { BackendStores } from '../storage/index';
import { RETENTION } from '../storage/retention';
import { mapLimit, observeJob, observeWorkspace, type ListingPort } from './observe';

export interface PollerDeps {
  compute: ListingPort & Pick<ComputePort, 'getJob'>;
  workspaces: WorkspaceRef[];
  stores: Pick<BackendStores, 'snapshots' | 'pollStatus' | 'events' | 'batches'>;
  log?: (line: string) => void;
  now?: () => Date;
  /** Experiments listed (and ended jobs read) at once per workspace (default 8). */
  concurrency?: number;
  /**
   * How long a stored event batch is kept when its message did not complete (default 8 days: longer than a
   * queue message lives, 7 days, so a message replayed from the poison queue still finds its batch).
   */
  batchRetentionMs?: number;
  /** How often a tick sweeps old batches (default 1 h; the first tick of a process always does). */
  sweepEveryMs?: number;
}

export interface WorkspaceTick {
  workspace: string;
  ok: boolean;
  events: number;
  /** Queue messages sent (one when there were events). */
  messages: number;
  /** Table transactions submitted for snapshot rows. */
  transactions: number;
  error?: string;
}

export interface TickReport {
  at: string;
  workspaces: WorkspaceTick[] /** Old event batches deleted by this tick. */;
  swept: number;
}

export interface Poller {
  tick(): Promise<TickReport>;
}

export function createPoller(deps: PollerDeps): Poller {
  const log = deps.log ?? ((line: string) => console.log(line));
  const now = deps.now ?? (() => new Date());
  const { snapshots, pollStatus, events, batches } = deps.stores;
  const retentionMs = deps.batchRetentionMs ?? RETENTION.eventbatches.keepMs;
  const sweepEveryMs = deps.sweepEveryMs ?? 3600_000;
  // Only paces the sweep (a read of the table); losing it on restart costs one extra sweep, nothing more.
  let lastSweep = -Infinity;

  async function sweep(at: Date): Promise<number> {
    if (at.getTime() - lastSweep < sweepEveryMs) return 0;
    lastSweep = at.getTime();
    try {
      const n = await batches.sweep(new Date(at.getTime() - retentionMs));
      if (n > 0) log(`poll: deleted ${n} event batches older than the retention`);
      return n;
    } catch (e) {
      log(`poll: sweeping old event batches failed (next sweep retries): ${toError(e).message}`);
      return 0;
    }
  }

  async function pollWorkspace(ws: WorkspaceRef, at: string): Promise<Omit<WorkspaceTick, 'workspace' | 'ok'>> {
    const observed = await observeWorkspace(deps.compute, ws, deps.concurrency ?? 8);
    const previous = await snapshots.load(ws);
    const diff = diffWorkspace(ws, previous.rows, observed, !previous.baselined);
    if (diff.events.length > 0)
      await events.enqueue(ws, await mapLimit(diff.events, deps.concurrency ?? 8, (e) => withEndDetails(ws, e)), at);
    const transactions = await snapshots.write(ws, {
      upserts: diff.upserts,
      deletes: diff.deletes,
      markBaselined: !previous.baselined,
    });
    return { events: diff.events.length, messages: diff.events.length > 0 ? 1 : 0, transactions };
  }

  async function withEndDetails(ws: WorkspaceRef, e: ReturnType<typeof diffWorkspace>['events'][number]) {
    if (e.kind !== 'job' || (e.to !== 'succeeded' && e.to !== 'failed') || e.summary.exitCode !== undefined) return e;
    try {
      const o = observeJob(
        await deps.compute.getJob({ ...ws, experiment: e.experiment, job: e.job }),
        ws,
        e.experiment,
        deps.compute.labels,
      );
      return {
        ...e,
        summary: { ...o.summary, state: e.summary.state },
        outputDirectoryIds: o.outputDirectoryIds,
      } satisfies JobEvent;
    } catch (err) {
      // The ending is the news: announce it as listed rather than hold it back.
      log(`poll: cannot read how ${e.experiment}/${e.job} ended: ${toError(err).message}`);
      return e;
    }
  }

  return {
    async tick() {
      const started = now();
      const at = started.toISOString();
      const failing = new Set((await pollStatus.failing()).map((f) => f.workspace));
      const results = await Promise.all(
        deps.workspaces.map(async (ws): Promise<WorkspaceTick> => {
          const name = workspaceLabel(ws);
          try {
            const r = await pollWorkspace(ws, at);
            if (failing.has(name) && (await pollStatus.recover(ws))) log(`poll: workspace ${name} recovered`);
            return { workspace: name, ok: true, ...r };
          } catch (e) {
            const error = toError(e).message;
            // Recording the failure must not hide it: if even that fails, the tick's report still carries it.
            if (!failing.has(name)) {
              const first = await pollStatus.startFailing(ws, error).catch(() => true);
              if (first) log(`poll: workspace ${name} is failing: ${error}`);
            }
            return { workspace: name, ok: false, events: 0, messages: 0, transactions: 0, error };
          }
        }),
      );
      return { at, workspaces: results, swept: await sweep(started) };
    },
  };
}
