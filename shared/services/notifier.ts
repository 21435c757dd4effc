// The queue-trigger side: one EventBatch message → the conversations whose subscriptions match → one alert per
// (conversation, event), or one digest card when a conversation has more than `digestThreshold` in the batch.
// Exactly-once per conversation rests on the `sent` markers (storage/marker-store.ts): claim, send, mark sent;
// a failed send releases its markers and the handler throws so the queue retries the message.
import type { WorkspaceRef } from '../batchai/port';
import { clusterAlertView, digestView, jobAlertView } from '../core/alert-view';
import { parseEventBatch, type BackendEvent, type EventBatch } from '../core/events';
import { matchesSubscription } from '../core/subscription-match';
import type { Channel, View } from '../core/views';
import { toError } from '../errors';
import type { MarkerStore, StoredConversation, Stores } from '../storage/index';
import { jobAlertContent, type AlertContentDeps } from './alert-content';

/** What sends into a conversation (bot/proactive.ts implements it; shared/ imports no chat SDK). */
export interface AlertPort {
  send(conv: StoredConversation, activity: object): Promise<{ id?: string }>;
}

export interface NotifierDeps extends Omit<AlertContentDeps, 'now' | 'log'> {
  stores: Pick<Stores, 'subscriptions' | 'conversations' | 'submissions'>;
  markers: MarkerStore;
  render: (view: View, channel: Channel) => object;
  sender: AlertPort;
  /** More alerts than this for one conversation in one message become one digest (default 3). */
  digestThreshold?: number;
  now?: () => Date;
  log?: (line: string) => void;
}

export interface NotifyReport { batchId: string; sent: number; alreadySent: number; conversations: number }

export class NotifyError extends Error {
  override readonly name = 'NotifyError';
  readonly code = 'NotifyFailed';
}

export function channelOf(channelId: string): Channel {
  return channelId === 'msteams' || channelId === 'slack' ? channelId : 'webchat';
}

const wsKey = (ws: WorkspaceRef) => `${ws.resourceGroup}/${ws.workspace}`;

export function createNotifier(deps: NotifierDeps) {
  const log = deps.log ?? ((line: string) => console.log(line));
  const now = deps.now ?? (() => new Date());
  const threshold = deps.digestThreshold ?? 3;
  const content: AlertContentDeps = { ...deps, now, log };

  async function submitterOf(e: BackendEvent): Promise<{ userId: string; userName?: string } | undefined> {
    if (e.kind !== 'job') return undefined;
    return deps.stores.submissions.get(e.workspace.workspace, e.experiment, e.job);
  }

  /** conversation → its matching events, in batch order, each once. */
  async function route(batch: EventBatch): Promise<Map<string, BackendEvent[]>> {
    const subs = await deps.stores.subscriptions.all();
    const out = new Map<string, BackendEvent[]>();
    if (subs.length === 0) return out;
    const needSubmitter = subs.some((s) => s.filter.submittedBy);
    for (const e of batch.events) {
      const submitter = needSubmitter ? await submitterOf(e) : undefined;
      if (submitter && e.kind === 'job') e.summary = { ...e.summary, submittedBy: submitter.userName ?? submitter.userId };
      for (const s of subs) {
        if (!matchesSubscription(s.filter, e, submitter?.userId)) continue;
        const list = out.get(s.conversationId) ?? [];
        if (!list.some((x) => x.id === e.id)) list.push(e);
        out.set(s.conversationId, list);
      }
    }
    return out;
  }

  // One view per event per message, however many conversations get it (ARM and file reads happen once).
  function viewMaker(): (e: BackendEvent) => Promise<View> {
    const cache = new Map<string, Promise<View>>();
    return (e) => {
      let v = cache.get(e.id);
      if (!v) {
        v = e.kind === 'cluster' ? Promise.resolve(clusterAlertView(e)) : jobAlertContent(content, e).then((x) => jobAlertView(e, x));
        cache.set(e.id, v);
      }
      return v;
    };
  }

  async function deliver(conversationId: string, events: BackendEvent[], owner: string, viewOf: (e: BackendEvent) => Promise<View>): Promise<{ sent: number; alreadySent: number }> {
    const conv = await deps.stores.conversations.get(conversationId);
    if (!conv) {
      log(`notify: conversation ${conversationId} has subscriptions but no stored reference; skipped`);
      return { sent: 0, alreadySent: 0 };
    }
    const claims = await Promise.all(events.map(async (e) => ({ e, c: await deps.markers.claim(conversationId, e.id, owner) })));
    const claimed = claims.flatMap(({ e, c }) => (c.status === 'claimed' ? [{ e, etag: c.etag }] : []));
    const alreadySent = claims.length - claimed.length;
    const channel = channelOf(conv.channelId);
    const groups = claimed.length > threshold ? [claimed] : claimed.map((c) => [c]);
    let sent = 0;
    for (let i = 0; i < groups.length; i++) {
      const group = groups[i];
      let activityId: string | undefined;
      try {
        const view = group.length > 1 ? digestView(group.map((g) => g.e)) : await viewOf(group[0].e);
        activityId = (await deps.sender.send(conv, deps.render(view, channel))).id;
      } catch (err) {
        // Release what was claimed but not sent, so the queue's retry claims and sends it.
        await Promise.all(groups.slice(i).flat().map((g) => deps.markers.release(conversationId, g.e.id, g.etag)));
        throw err;
      }
      sent += group.length;
      // Sent but not marked: leave the marker pending (it still blocks other messages) rather than throw,
      // since a retry of this message would take its own pending marker over and send a duplicate.
      await Promise.all(group.map((g) => deps.markers.markSent(conversationId, g.e.id, g.etag, activityId)
        .catch((err) => log(`notify: sent ${g.e.id} to ${conversationId} but could not mark it sent: ${toError(err).message}`))));
    }
    return { sent, alreadySent };
  }

  return {
    async handle(message: unknown): Promise<NotifyReport> {
      const batch = parseEventBatch(message);
      const viewOf = viewMaker();
      const routes = [...(await route(batch))];
      const results = await Promise.allSettled(routes.map(([conv, evs]) => deliver(conv, evs, batch.batchId, viewOf)));
      const failures = results.flatMap((r, i) => (r.status === 'rejected' ? [`${routes[i][0]}: ${toError(r.reason).message}`] : []));
      failures.forEach((f) => log(`notify: batch ${batch.batchId} (${wsKey(batch.workspace)}) failed for ${f}`));
      if (failures.length > 0) {
        throw new NotifyError(`${failures.length} of ${routes.length} conversations failed; the message will be retried. First: ${failures[0]}`);
      }
      const ok = results.filter((r): r is PromiseFulfilledResult<{ sent: number; alreadySent: number }> => r.status === 'fulfilled').map((r) => r.value);
      return {
        batchId: batch.batchId, conversations: routes.length,
        sent: ok.reduce((n, r) => n + r.sent, 0), alreadySent: ok.reduce((n, r) => n + r.alreadySent, 0),
      };
    },
  };
}

export type Notifier = ReturnType<typeof createNotifier>;
