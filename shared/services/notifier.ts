// The delivering side, run by the queue trigger or by the tick that found the news (services/handoff.ts): one
// events message (a v2 reference to a stored batch, or an inline v1 batch) → the conversations whose subscriptions
// match → one alert per (conversation, event), or one digest card when a conversation has more than
// `digestThreshold` in the batch: a workspace's tick is a message per part of its listings (services/poller.ts),
// so a burst is one digest per conversation.
// Exactly-once per conversation rests on the `sent` markers (storage/marker-store.ts), one per (conversation,
// event id) — also for a digest, whose events are claimed together (owner = batchId), sent as one card and
// marked sent together. Per event, not per batch: a retried tick stores the same events under a new batchId,
// and only event-keyed markers see those as already sent. A failed send releases the claims and the handler
// throws so the queue retries the message; a host that dies mid-send leaves claims its own redelivery takes
// over. The stored batch is deleted once every matching (conversation, event) is marked sent; until then (a
// claim held by another delivery, a failure) it stays for the retry, and the poller's sweep bounds its life.
import { clusterAlertView, jobAlertView } from '../core/alert-view';
import { workspaceLabel } from '../core/arm-names';
import { parseEventsMessage, type BackendEvent, type EventsMessage, type JobEvent } from '../core/events';
import { matchesSubscription } from '../core/subscription-match';
import type { View } from '../core/views';
import { toError } from '../errors';
import { isTransientFailure } from '../http/retry';
import type {
  EventBatchStore,
  EventQueue,
  MarkerStore,
  StoredConversation,
  StoredSubscription,
  Stores,
} from '../storage/index';
import type { ProgressWatchStore } from '../storage/progress-watch-store';
import { jobAlertContent, type AlertContentDeps } from './alert-content';
import type { ConversationSender } from './conversation-sender';
import { deliverOnce } from './delivery';
import { digestCard, type EventReads } from './digest-card';
import { withEndDetails, type EndDetailsDeps } from './end-details';

/** What alerts need of the proactive port: to post a new message. */
export type AlertPort = Pick<ConversationSender, 'send'>;

export interface NotifierDeps extends Omit<AlertContentDeps, 'now' | 'log' | 'compute'> {
  compute: AlertContentDeps['compute'] & EndDetailsDeps['compute'];
  stores: Pick<Stores, 'subscriptions' | 'conversations' | 'submissions'>;
  markers: MarkerStore;
  batches: Pick<EventBatchStore, 'get' | 'delete'>;
  sender: AlertPort;
  /** More alerts than this for one conversation in one message become one digest (default 3). */
  digestThreshold?: number;
  /**
   * Where a "running" alert's card is handed to the progress reader (bot/progress-reader.ts), so that a
   * subscription that asks for running jobs gets their progress on that card; absent: no progress on alerts.
   */
  progressWatches?: Pick<ProgressWatchStore, 'add'>;
  /**
   * Attempts at a message within one try of the queue while it fails transiently (default 8), paused 0.5 s, 1 s,
   * 1.5 s… (at most 5 s): about 14 s at worst, far inside the function's timeout.
   */
  transientTries?: number;
  transientPauseMs?: number;
  /**
   * Where a message goes again when a retry of it sent something and failed on the rest: as a new message, so that
   * the queue's tries (maxDequeueCount) run out only on attempts that made no progress. A batch that grew while ticks
   * failed needs more tries at a steady fault rate than the queue gives one message, yet each try gets further.
   * Absent: every failure counts a try.
   */
  requeue?: { queue: Pick<EventQueue, 'requeue'>; delaySeconds: number };
  now?: () => Date;
  log?: (line: string) => void;
}

export interface NotifyReport {
  batchId: string;
  /** Events in the batch. */
  events: number;
  /** (conversation, event) pairs sent by this delivery, and pairs found sent or claimed by another. */
  sent: number;
  alreadySent: number;
  conversations: number;
  /** Cards sent (a digest is one). */
  cards: number;
  /** The referenced batch no longer exists: it was completed (and deleted) by an earlier delivery, or swept. */
  gone?: true;
  /** Part of it failed after progress: enqueued again for the rest (see NotifierDeps.requeue). */
  requeued?: string;
}

interface Delivery {
  sent: number;
  alreadySent: number;
  cards: number /** Every pair is marked sent. */;
  complete: boolean;
}

export class NotifyError extends Error {
  override readonly name = 'NotifyError';
  readonly code = 'NotifyFailed';
  constructor(
    message: string,
    /** Every failure behind it may mend on a retry (throttled, a server error, a dropped or cut answer). */
    readonly transient = false,
  ) {
    super(message);
  }
}

const none = { sent: 0, alreadySent: 0, cards: 0 };

/**
 * What one handling of a message keeps across its attempts: the batch's events, their routes and the
 * conversations' references do not change between attempts seconds apart, so a retry starts at the claims, with
 * fewer calls that may fail again before its first send; and the cards sent by any attempt, so that a try that
 * made progress is not counted as a failed one when a later attempt (or the requeue itself) fails.
 */
interface Handling {
  events?: BackendEvent[];
  routes?: Array<[string, BackendEvent[]]>;
  conversations: Map<string, StoredConversation | undefined>;
  cards: number;
}

export function createNotifier(deps: NotifierDeps) {
  const log = deps.log ?? ((line: string) => console.log(line));
  const now = deps.now ?? (() => new Date());
  const threshold = deps.digestThreshold ?? 3;
  const content: AlertContentDeps & EndDetailsDeps = { ...deps, now, log };

  async function submitterOf(e: BackendEvent): Promise<{ userId: string; userName?: string } | undefined> {
    if (e.kind !== 'job') return undefined;
    return deps.stores.submissions.get(e.workspace.workspace, e.experiment, e.job);
  }

  /** conversation → its matching events, in batch order, each once. */
  async function route(events: BackendEvent[], subs: StoredSubscription[]): Promise<Map<string, BackendEvent[]>> {
    const out = new Map<string, BackendEvent[]>();
    if (subs.length === 0) return out;
    const needSubmitter = subs.some((s) => s.filter.submittedBy);
    for (const e of events) {
      const submitter = needSubmitter ? await submitterOf(e) : undefined;
      if (submitter && e.kind === 'job')
        e.summary = { ...e.summary, submittedBy: submitter.userName ?? submitter.userId };
      for (const s of subs) {
        if (!matchesSubscription(s.filter, e, submitter?.userId)) continue;
        const list = out.get(s.conversationId) ?? [];
        if (!list.some((x) => x.id === e.id)) list.push(e);
        out.set(s.conversationId, list);
      }
    }
    return out;
  }

  // One read of each kind per event per message, however many conversations get it (ARM and file reads happen once).
  function readsOf(): EventReads {
    const once = <T>(cache: Map<string, Promise<T>>, e: BackendEvent, read: () => Promise<T>): Promise<T> => {
      let v = cache.get(e.id);
      if (!v) cache.set(e.id, (v = read()));
      return v;
    };
    const details = new Map<string, Promise<BackendEvent>>();
    const views = new Map<string, Promise<View>>();
    const detailed = (e: BackendEvent) => once(details, e, () => withEndDetails(content, e));
    const viewOf = (e: BackendEvent) =>
      once(views, e, async () => {
        const d = await detailed(e);
        return d.kind === 'cluster' ? clusterAlertView(d) : jobAlertView(d, await jobAlertContent(content, d));
      });
    return { detailed, viewOf };
  }

  /** The running alert's card follows the job's progress; the alert went out, so a failure is only logged. */
  async function watch(conversationId: string, activityId: string, e: JobEvent): Promise<void> {
    if (!deps.progressWatches) return;
    try {
      await deps.progressWatches.add({
        job: { ...e.workspace, experiment: e.experiment, job: e.job },
        conversationId,
        activityId,
        ...(e.summary.submittedBy ? { submittedBy: e.summary.submittedBy } : {}),
        state: { stdoutSize: 0, stderrSize: 0, grewAt: (deps.now?.() ?? new Date()).toISOString() },
        points: [],
      });
    } catch (err) {
      log(`notify: cannot watch the progress of ${e.experiment}/${e.job}: ${toError(err).message}`);
    }
  }

  async function deliver(
    conversationId: string,
    events: BackendEvent[],
    owner: string,
    reads: EventReads,
    handling: Handling,
  ): Promise<Delivery> {
    const known = handling.conversations;
    const conv = known.has(conversationId)
      ? known.get(conversationId)
      : await deps.stores.conversations.get(conversationId);
    known.set(conversationId, conv);
    if (!conv) {
      log(`notify: conversation ${conversationId} has subscriptions but no stored reference; skipped`);
      return { sent: 0, alreadySent: 0, cards: 0, complete: true };
    }
    const r = await deliverOnce(deps.markers, conversationId, events, owner, {
      groups: (claimed) => (claimed.length > threshold ? [claimed] : claimed.map((e) => [e])),
      send: async (group) => {
        const view = group.length > 1 ? await digestCard(group, reads) : await reads.viewOf(group[0]);
        const id = (await deps.sender.send(conv, view)).id;
        handling.cards++;
        const e = group[0];
        if (id && group.length === 1 && e?.kind === 'job' && e.to === 'running') await watch(conversationId, id, e);
        return id;
      },
      // Left pending, the marker still blocks other messages; a retry of this one would take it over and send a
      // duplicate, so this is logged and the message completes (the batch stays until the sweep).
      unmarked: (eventId, error) =>
        log(`notify: sent ${eventId} to ${conversationId} but could not mark it sent: ${error.message}`),
    });
    return { sent: r.sent, alreadySent: r.alreadySent, cards: r.messages, complete: r.busy === 0 && r.unmarked === 0 };
  }

  /** The message's events: inline (v1) or loaded from the stored batch (v2); undefined when that is gone. */
  async function eventsOf(message: EventsMessage): Promise<BackendEvent[] | undefined> {
    if (message.v === 1) return message.events;
    const events = await deps.batches.get(message.batchId, message.ref.chunks);
    if (events && events.length !== message.count) {
      throw new NotifyError(
        `event batch ${message.batchId}: the message says ${message.count} events, ` +
          `the stored batch has ${events.length}.`,
      );
    }
    return events;
  }

  async function deliverMessage(message: EventsMessage, retry: boolean, handling: Handling): Promise<NotifyReport> {
    const { batchId } = message;
    // Read while the batch loads: an alert waits for the slower of the two reads, not for both in turn. A batch
    // that is gone needs no subscriptions (its read's failure then goes unheard).
    const subscriptions = handling.routes ? undefined : deps.stores.subscriptions.all();
    subscriptions?.catch(() => {});
    handling.events ??= await eventsOf(message);
    const events = handling.events;
    if (!events) {
      // Deleted only after every pair was marked sent, or swept after the retention: nothing is owed.
      log(
        `notify: batch ${batchId} (${workspaceLabel(message.workspace)}) is gone: ` +
          'already delivered, or older than the retention',
      );
      return { batchId, events: 0, conversations: 0, ...none, gone: true };
    }
    const reads = readsOf();
    handling.routes ??= [...(await route(events, (await subscriptions) ?? []))];
    const routes = handling.routes;
    const results = await Promise.allSettled(routes.map(([conv, evs]) => deliver(conv, evs, batchId, reads, handling)));
    const failures = results.flatMap((r, i) =>
      r.status === 'rejected' ? [`${routes[i][0]}: ${toError(r.reason).message}`] : [],
    );
    // A first try that fails is retried by the queue as usual; a retry that got further renews the count.
    if (failures.length > 0 && handling.cards > 0 && retry && deps.requeue) {
      // The markers keep what went out from going again; the new message carries on with the rest.
      await deps.requeue.queue.requeue(message, deps.requeue.delaySeconds);
      const requeued = `${handling.cards} cards sent, then ${failures.length} of ${routes.length} conversations failed`;
      return { batchId, events: events.length, conversations: routes.length, ...none, requeued };
    }
    if (failures.length > 0) {
      // Reported by whoever gives up on it (the queue's try, once the retries here are spent), not per attempt.
      throw new NotifyError(
        `batch ${batchId} (${workspaceLabel(message.workspace)}): ${failures.length} of ${routes.length} ` +
          `conversations failed; the message will be retried. ${failures.join('; ')}`,
        results.every((r) => r.status === 'fulfilled' || isTransientFailure(r.reason)),
      );
    }
    const ok = results
      .filter((r): r is PromiseFulfilledResult<Delivery> => r.status === 'fulfilled')
      .map((r) => r.value);
    if (message.v === 2 && ok.every((d) => d.complete)) {
      // The work is done either way: a batch left behind is removed by the poller's sweep.
      await deps.batches
        .delete(batchId)
        .catch((e: unknown) => log(`notify: batch ${batchId} delivered but not deleted: ${toError(e).message}`));
    }
    const sum = (k: 'sent' | 'alreadySent' | 'cards') => ok.reduce((n, d) => n + d[k], 0);
    return {
      batchId,
      events: events.length,
      conversations: routes.length,
      sent: sum('sent'),
      alreadySent: sum('alreadySent'),
      cards: sum('cards'),
    };
  }

  const tries = deps.transientTries ?? 8;
  const pause = deps.transientPauseMs ?? 500;
  return {
    /**
     * `dequeueCount`: the queue's count of this message's tries (1 = the first); `tries`: attempts while it fails
     * transiently (default NotifierDeps.transientTries).
     */
    async handle(raw: unknown, opts?: { dequeueCount?: number; tries?: number }): Promise<NotifyReport> {
      const message = parseEventsMessage(raw);
      const handling: Handling = { conversations: new Map(), cards: 0 };
      // A transient failure (a throttled or failed call that its client's own retries did not mend) is tried
      // again here before the queue counts a try: at a steady rate of such failures, an attempt makes several
      // calls before its first send, and the queue's few tries would poison messages that a retry delivers.
      for (let n = 1; ; n++) {
        try {
          return await deliverMessage(message, (opts?.dequeueCount ?? 1) > 1 || n > 1, handling);
        } catch (e) {
          const transient = e instanceof NotifyError ? e.transient : isTransientFailure(e);
          if (!transient || n >= (opts?.tries ?? tries)) throw e;
          if (pause > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(pause * n, 5000)));
        }
      }
    },
  };
}

export type Notifier = ReturnType<typeof createNotifier>;
