// One poll tick, in two passes over the configured workspaces (a few at once, so memory holds a few workspaces'
// listings). The first lists, in each workspace whose last tick in this process left some, the known experiments that
// can have news (core/listing-order.ts: running jobs, moved lately), enqueues their events and hands them to the
// notifier in this process (handoff.ts), so the news goes out before any quiet experiment is listed; the other
// workspaces' indexes are read in the second pass, beside their listings. The second lists each workspace's clusters
// and experiments, and each experiment but those the first pass listed: new ones first, their events enqueued, then the
// rest, whose events make another message if any. An experiment whose rows hash to its stored digest is done; of the
// others, the jobs whose row hash moved are diffed against their snapshot rows (core/diff.ts), read then: a tick reads
// the rows that changed, not every row of a moved experiment, and keeps only those jobs. Then the changed rows are
// written, each experiment's digest after its rows. Enqueue comes first: a crash between the two re-emits the same
// event ids next tick (dropped by the notifier's markers) instead of losing them. A tick commits what succeeded: a
// listing that fails (the clusters, one experiment, or one experiment's later page) leaves what it did not show for the
// next tick; a first pass that fails leaves its workspace to the second. At most once per `sweepEveryMs` a tick also
// deletes stored event batches older than the retention. Workspaces are independent: one failing (in whole or in part)
// is recorded once (pollstatus row) and logged when it starts failing and when it recovers, not every tick. A tick
// reads no job: how a job ended, where the listing does not say, is read by the card that shows it
// (services/end-details.ts). A workspace's listing is released (ComputePort.releaseListing) before its writes and
// after each pass (the first's after its handoff, whose cards read from it), so on Azure Batch and Azure ML a
// workspace with news is listed twice in a tick.
import { isFinalState, type ComputeJob, type WorkspaceRef } from '../compute/model';
import type { BackendEvent } from '../core/events';
import { workspaceLabel } from '../core/arm-names';
import { collect, mapLimit } from '../core/collect';
import { listingOrder, listsFirst, type ExperimentActivity } from '../core/listing-order';
import { diffWorkspace, jobKey, rowHash, rowsDigest, rowText, type ObservedJob, type SnapshotRow } from '../core/diff';
import { toError } from '../errors';
import type { BackendStores } from '../storage/index';
import { RETENTION } from '../storage/retention';
import type { SnapshotChange, SnapshotIndex } from '../storage/snapshot-store';
import { HOLD_SECONDS, type Handoff } from './handoff';
import { jobRow, observeCluster, observeJob, type ListingPort } from './observe';

/**
 * Experiments listed at once per workspace (so 8 in a tick of 4 workspaces at once). A listing holds its page and
 * its jobs until they are digested, and listings in flight take turns item by item: 8 per workspace (32 in all)
 * kept each one's jobs alive long enough to be promoted out of V8's young generation, and the 1% changed tick over
 * 100,000 Batch AI jobs peaked at 186 MiB RSS on average (193 at worst) against 166-174 with 2, in about the same
 * time: the listings that overlap are served from memory (Azure Batch, Azure ML) or by one local engine.
 */
const LISTINGS_AT_ONCE = 2;

export interface PollerDeps {
  compute: ListingPort;
  workspaces: WorkspaceRef[];
  stores: Pick<BackendStores, 'snapshots' | 'pollStatus' | 'events' | 'batches'>;
  log?: (line: string) => void;
  now?: () => Date;
  /** Moved experiments' rows read at once per workspace (default 8); listings: LISTINGS_AT_ONCE. */
  concurrency?: number;
  /** Workspaces polled at once (default 4): a tick's memory is that many workspaces' listings, not all of them. */
  workspaceConcurrency?: number;
  /**
   * How long a stored event batch is kept when its message did not complete (default 8 days: longer than a
   * queue message lives, 7 days, so a message replayed from the poison queue still finds its batch).
   */
  batchRetentionMs?: number;
  /** How often a tick sweeps old batches (default 1 h; the first tick of a process always does). */
  sweepEveryMs?: number;
  /**
   * Delivers the news of the experiments a tick lists first in this process, its message held as the fallback
   * (services/handoff.ts); absent: the notify queue trigger delivers every message.
   */
  handoff?: Handoff;
}

export interface WorkspaceTick {
  workspace: string;
  ok: boolean;
  events: number;
  /**
   * Queue messages sent, each when it had events: one for the first pass's experiments, one for the new ones (and
   * any the first pass could not list), one for the rest.
   */
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

/** What a listing saw of an experiment whose digest moved: its jobs, and the hash of each one's row by key. */
interface Listed {
  jobs: ComputeJob[];
  now: Map<string, string>;
  listed: boolean;
  /** '' after a listing that stopped part way: it matches no later listing. */
  digest: string;
  /** Some job it listed is not final (or the listing stopped part way). */
  active: boolean;
}

/** What a tick keeps of an experiment whose digest moved (or that vanished, `listed` false). */
interface Moved {
  /** The jobs to diff: with the stored row hashes, the new ones and those whose hash moved; without, every job. */
  jobs: ObservedJob[];
  listed: boolean;
  digest: string;
  active: boolean;
  /** The row hashes its digest row holds, by key (undefined: not known, every row is read). */
  hashes: Map<string, string> | undefined;
  /** The hash of each listed job's row, by key. */
  now: Map<string, string>;
}

/** What a tick's first pass did in a workspace (see tick): the index it read, the experiments it listed in full. */
interface NewsPass {
  index: SnapshotIndex;
  done: Set<string>;
  /** What it wrote: its experiments' activity after the tick. */
  changes: SnapshotChange[];
  events: number;
  messages: number;
  transactions: number;
}

/** The workspace has first-pass work for a tick at `at`: an experiment with a job not final, or moved lately. */
function hasNews(activity: ReadonlyMap<string, ExperimentActivity>, changes: SnapshotChange[], at: Date): boolean {
  const after = new Map(activity);
  for (const { digest } of changes) {
    if (digest?.value === null) after.delete(digest.experiment);
    else if (digest?.activity) after.set(digest.experiment, digest.activity);
  }
  return [...after.values()].some((a) => listsFirst(a, at));
}

/** One experiment's listing in a tick: `moved` when its rows need a diff; why it stopped short if it did. */
interface ExperimentPoll {
  experiment: string;
  listing?: Listed;
  moved?: Moved;
  failure?: string;
}

export interface Poller {
  tick(): Promise<TickReport>;
}

export function createPoller(deps: PollerDeps): Poller {
  const log = deps.log ?? ((line: string) => console.log(line));
  const now = deps.now ?? (() => new Date());
  const { snapshots, pollStatus, batches } = deps.stores;
  const retentionMs = deps.batchRetentionMs ?? RETENTION.eventbatches.keepMs;
  const sweepEveryMs = deps.sweepEveryMs ?? 3600_000;
  const concurrency = deps.concurrency ?? 8;
  // Only paces the sweep (a read of the table); losing it on restart costs one extra sweep, nothing more.
  let lastSweep = -Infinity;
  // The workspaces whose last tick here left first-pass work (hasNews). Only a hint of what to read first: the first
  // tick of a process, or one after another instance's, lists such a workspace's news in its second pass (first
  // there, through the queue), so a tick does not read every workspace's index before it lists anything.
  const withNews = new Set<string>();

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

  /** Lists one experiment; its jobs are kept only when their digest moved from the stored one. */
  async function observeExperiment(
    ws: WorkspaceRef,
    experiment: string,
    listed: boolean,
    index: SnapshotIndex,
  ): Promise<ExperimentPoll> {
    const jobs: ComputeJob[] = [];
    let failure: string | undefined;
    try {
      if (listed) for await (const job of deps.compute.listJobs({ ...ws, experiment })) jobs.push(job);
    } catch (e) {
      failure = `experiment ${experiment}: ${toError(e).message}`;
      // Nothing seen: nothing to commit; the stored rows and digest wait for a listing that completes.
      if (jobs.length === 0) return { experiment, failure };
    }
    // Rows, their texts and hashes are made here in one go, with no await between: the other experiments' listings
    // cannot run in between, so they die young with the scavenger instead of living long enough to be promoted.
    const rows = jobs.map((j) => jobRow(j, ws, experiment));
    const texts = rows.map(rowText);
    const digest = failure ? '' : rowsDigest(texts);
    if (listed && digest === index.digests.get(experiment)) return { experiment };
    const now = new Map(rows.map((r, i) => [r.key, rowHash(texts[i]!)]));
    const active = !!failure || jobs.some((j) => !isFinalState(j.state));
    return { experiment, listing: { jobs, now, listed, digest, active }, ...(failure ? { failure } : {}) };
  }

  /**
   * A moved experiment's listing → what its diff needs: with the row hashes its digest row holds, only the jobs
   * that are new or whose hash moved, so a tick holds the few that changed, not the experiment's every job, while
   * its other experiments are listed. An experiment without a digest row has no rows in an indexed partition; one
   * whose digest row holds no hashes (written before them) keeps every job, and has its every row read.
   */
  async function narrow(
    ws: WorkspaceRef,
    { experiment, failure }: ExperimentPoll,
    listing: Listed,
    index: SnapshotIndex,
  ): Promise<ExperimentPoll> {
    const { now, listed, digest, active } = listing;
    const hashes = index.digests.has(experiment)
      ? await snapshots.rowHashes(ws, experiment)
      : index.indexed
        ? new Map<string, string>()
        : undefined;
    const jobs: ObservedJob[] = [];
    for (const job of listing.jobs) {
      const key = jobKey(experiment, job.name);
      if (!hashes || hashes.get(key) !== now.get(key)) jobs.push(observeJob(job, ws, experiment, deps.compute.labels));
    }
    const moved: Moved = { jobs, listed, digest, active, hashes, now };
    return { experiment, moved, ...(failure ? { failure } : {}) };
  }

  /**
   * Diffs a moved experiment → its events and its change (rows, then digest with the rows' hashes). With the row
   * hashes its digest row holds, its jobs (those whose hash moved, or that are new) are diffed against their rows
   * read now, as are the rows of jobs gone from a complete listing; without them, every job against `storedRows`,
   * all its rows.
   */
  async function diffExperiment(
    ws: WorkspaceRef,
    p: ExperimentPoll & { moved: Moved },
    storedRows: Map<string, SnapshotRow>,
    index: SnapshotIndex,
    at: string,
  ) {
    const { experiment, failure } = p;
    const { jobs, listed, digest, active, hashes, now } = p.moved;
    let previous = storedRows;
    if (hashes) {
      const read = jobs.flatMap((o) => (hashes.has(o.row.key) ? [o.row.key] : []));
      // A listing that stopped part way says nothing of the jobs it did not show.
      if (!failure) for (const key of hashes.keys()) if (!now.has(key)) read.push(key);
      previous = await snapshots.rows(ws, experiment, read);
    }
    const stored = index.digests.get(experiment);
    const baseline = !index.baselined && stored === undefined;
    const diff = diffWorkspace(ws, previous, { jobs, clusters: [] }, { baseline, partial: !!failure });
    // A vanished experiment's digest goes with its rows; one never digested (rows from before digests) has none.
    const value = listed ? digest : stored === undefined ? undefined : null;
    // Moved: from a stored digest. A first listing is no move, or every experiment would be recent after a baseline.
    const activity = { active, ...(stored === undefined ? {} : { movedAt: at }) };
    const change: SnapshotChange = { upserts: diff.upserts, deletes: diff.deletes };
    if (value === null) change.digest = { experiment, value };
    else if (value !== undefined) change.digest = { experiment, value, activity, ...(value ? { hashes: now } : {}) };
    return { events: diff.events, change };
  }

  /**
   * The first pass over a workspace: the experiments its index says can have news (core/listing-order.ts), listed,
   * diffed, their events enqueued (and handed off), their rows written. Before the workspace's clusters and
   * experiments are listed, so a new experiment waits for the second pass. Any failure leaves the whole workspace
   * to the second pass, which reports it: the events it found again are dropped by the notifier's markers.
   */
  async function pollNews(ws: WorkspaceRef, started: Date): Promise<NewsPass> {
    const at = started.toISOString();
    const index = await snapshots.index(ws);
    const pass: NewsPass = { index, done: new Set(), changes: [], events: 0, messages: 0, transactions: 0 };
    const known = listingOrder([...index.activity.keys()], index.activity, started).first;
    if (known.length === 0) return pass;
    // Its failures are the second pass's to report: it lists them again.
    const deliver = async () => {
      const { diffs, complete } = await pollExperiments(ws, known, new Set(known), index, at, []);
      // A listing that failed (Batch AI answers 404 for a deleted experiment) is the second pass's.
      const kept = diffs.filter((d) => complete.has(d.experiment));
      const ready = kept.flatMap((d) => d.events);
      if (ready.length > 0) {
        const message = await deps.stores.events.enqueue(ws, ready, at, deps.handoff ? HOLD_SECONDS : undefined);
        if (deps.handoff && message.held) await deps.handoff({ ...message, held: message.held });
      }
      return { complete, kept, ready };
    };
    // Released after the handoff: the cards read how their jobs ended from the listing (Azure Batch, Azure ML).
    const { complete, kept, ready } = await deliver().finally(() => deps.compute.releaseListing?.(ws));
    if (ready.length > 0) {
      pass.events = ready.length;
      pass.messages = 1;
    }
    pass.changes = kept.map((d) => d.change);
    pass.transactions = await snapshots.write(ws, pass.changes);
    pass.done = complete;
    return pass;
  }

  /** The second pass: the workspace's clusters, then its experiments but those the first pass listed in full. */
  async function pollWorkspace(ws: WorkspaceRef, started: Date, pass: NewsPass | undefined) {
    const at = started.toISOString();
    const failures: string[] = [];
    const failed = (what: string) => (e: unknown) => {
      failures.push(`${what}: ${toError(e).message}`);
      return undefined;
    };
    const [index, clusters, experiments] = await Promise.all([
      pass?.index ?? snapshots.index(ws),
      collect(deps.compute.listClusters(ws)).catch(failed('clusters')),
      collect(deps.compute.listExperiments(ws)).catch(failed('experiments')),
    ]);
    const known = new Set(index.digests.keys());
    if (!index.indexed && experiments) for (const e of await snapshots.experiments(ws)) known.add(e);
    const listed = new Set(experiments ?? []);
    // Without the experiments' list, none is known to be gone.
    const gone = experiments ? [...known].filter((e) => !listed.has(e)) : [];
    const changes: SnapshotChange[] = [];
    const found: BackendEvent[] = [];
    if (clusters) {
      const observed = clusters.map((c) => observeCluster(c, ws, deps.compute.labels));
      const baseline = !index.baselined && index.clusters.size === 0;
      const diff = diffWorkspace(ws, index.clusters, { jobs: [], clusters: observed }, { baseline });
      found.push(...diff.events);
      changes.push({ upserts: diff.upserts, deletes: diff.deletes });
    }
    // The first pass's index is stale for the experiments it listed, and only for those: they are not listed again.
    const order = listingOrder(
      [...listed].filter((e) => !pass?.done.has(e)),
      index.activity,
      started,
    );
    let events = pass?.events ?? 0;
    let messages = pass?.messages ?? 0;
    for (const part of [order.first, [...order.rest, ...gone]]) {
      const { diffs } = await pollExperiments(ws, part, listed, index, at, failures);
      for (const d of diffs) {
        found.push(...d.events);
        changes.push(d.change);
      }
      const ready = found.splice(0);
      // The listing's memory goes before the writes, not after them.
      if (part !== order.first) deps.compute.releaseListing?.(ws);
      if (ready.length === 0) continue;
      await deps.stores.events.enqueue(ws, ready, at);
      events += ready.length;
      messages++;
    }
    const complete = failures.length === 0;
    const transactions =
      (pass?.transactions ?? 0) + (await snapshots.write(ws, changes, { markIndexed: complete && !index.indexed }));
    const news = hasNews(index.activity, [...(pass?.changes ?? []), ...changes], started);
    return { events, messages, transactions, failures, news };
  }

  /**
   * Lists these experiments (one not in `listed` is gone: no jobs) and diffs those whose digest moved; `complete`:
   * the experiments listed in full.
   */
  async function pollExperiments(
    ws: WorkspaceRef,
    experiments: string[],
    listed: Set<string>,
    index: SnapshotIndex,
    at: string,
    failures: string[],
  ) {
    const parts = await mapLimit(experiments, LISTINGS_AT_ONCE, async (e) => {
      const p = await observeExperiment(ws, e, listed.has(e), index).catch(
        (err: unknown): ExperimentPoll => ({ experiment: e, failure: `experiment ${e}: ${toError(err).message}` }),
      );
      // Right after its listing, while the experiment's jobs are all there is of it: a failing read of the stored
      // hashes fails the workspace's poll, as a failing read of its rows does.
      return p.listing ? narrow(ws, p, p.listing, index) : p;
    });
    for (const p of parts) if (p.failure) failures.push(p.failure);
    const moved = parts.filter((p): p is ExperimentPoll & { moved: Moved } => p.moved !== undefined);
    // Experiments whose digest row holds no hashes have every row read, in one query for all of them.
    const stored = await snapshots.experimentRows(
      ws,
      moved.filter((p) => !p.moved.hashes).map((p) => p.experiment),
    );
    const diffs = await mapLimit(moved, concurrency, async (p) => ({
      experiment: p.experiment,
      ...(await diffExperiment(ws, p, stored.get(p.experiment) ?? new Map(), index, at)),
    }));
    return { diffs, complete: new Set(parts.flatMap((p) => (p.failure ? [] : [p.experiment]))) };
  }

  /** Reports a workspace's failure when it starts and its recovery when it ends: once each, not every tick. */
  async function status(ws: WorkspaceRef, failing: Set<string> | undefined, error: string | undefined) {
    const name = workspaceLabel(ws);
    // `failing` unknown (its read failed): insert-if-absent and delete-if-present still say what changed.
    if (error === undefined) {
      if ((!failing || failing.has(name)) && (await pollStatus.recover(ws))) log(`poll: workspace ${name} recovered`);
    } else if (!failing?.has(name)) {
      // Recording the failure must not hide it: if even that fails, the tick's report still carries it.
      const first = await pollStatus.startFailing(ws, error).catch(() => true);
      if (first) log(`poll: workspace ${name} is failing: ${error}`);
    }
  }

  return {
    async tick() {
      const started = now();
      const at = started.toISOString();
      // Needed only once a workspace is polled: read meanwhile, so the first events do not wait for it.
      const failing = pollStatus
        .failing()
        .then((f) => new Set(f.map((x) => x.workspace)))
        .catch(() => undefined);
      const workspaceConcurrency = deps.workspaceConcurrency ?? 4;
      // The news of the workspaces known to have some first, then the rest: the other workspaces' quiet listings
      // would share the machine with the news on its way to the chat. A first pass that fails is silent: the second
      // does it all again.
      const newsFirst = deps.workspaces.filter((ws) => withNews.has(workspaceLabel(ws)));
      const passes = new Map(
        await mapLimit(newsFirst, workspaceConcurrency, async (ws) => {
          const pass = await pollNews(ws, started).catch(() => undefined);
          return [ws, pass] as const;
        }),
      );
      const results = await mapLimit(deps.workspaces, workspaceConcurrency, async (ws) => {
        const name = workspaceLabel(ws);
        let r: WorkspaceTick;
        try {
          const { failures, news, ...counts } = await pollWorkspace(ws, started, passes.get(ws));
          if (news) withNews.add(name);
          else withNews.delete(name);
          r = {
            workspace: name,
            ok: failures.length === 0,
            ...counts,
            ...(failures.length ? { error: failures.join('; ') } : {}),
          };
        } catch (e) {
          // A poll that failed before its last part was listed lets its listing go too.
          deps.compute.releaseListing?.(ws);
          r = { workspace: name, ok: false, events: 0, messages: 0, transactions: 0, error: toError(e).message };
        }
        await status(ws, await failing, r.error).catch((e: unknown) =>
          log(`poll: cannot record the poll status of ${name}: ${toError(e).message}`),
        );
        return r;
      });
      return { at, workspaces: results, swept: await sweep(started) };
    },
  };
}
