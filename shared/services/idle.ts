// Idle scale-down (DESIGN flow 5), run by the `idle` timer (functions/idle.ts). Per workspace, the same list
// calls as a poll tick (clusters, experiments, jobs per experiment: never a GET per job) and one query of the
// `policies` table; per cluster, core/idle-policy.ts decides none | warn | scale.
// - warn: the warning card goes to every conversation subscribed to the cluster's events, each behind a `sent`
//   marker keyed by (conversation, hash(cluster, idle period)) (delivery.ts, as alerts); the warning is
//   recorded only once every conversation has it, so a failed or retried tick re-sends to the missing ones and
//   never twice.
// - scale: the intent (`scaledFor`) is written to the `policies` row with the ETag read at the start of the tick (a
//   keep-up pressed since, or a concurrent tick, makes that write fail and the cluster stays), then one PATCH, then
//   the "scaled" card, then `scaleSettledFor`. A pass that finds an unsettled intent sends the card if the cluster is
//   at zero, or drops the intent if the cluster got busy first (core/idle-policy.ts owedScaleCard).
import { randomUUID } from 'node:crypto';
import type { WorkspaceRef } from '../compute/model';
import type { ComputePort } from '../compute/port';
import { workspaceLabel } from '../core/arm-names';
import type { ObservedCluster, ObservedJob } from '../core/diff';
import { eventId, type ClusterEvent } from '../core/events';
import { priceTable } from '../prices-file';
import {
  decideIdle,
  idleWarningView,
  latest,
  owedScaleCard,
  scaledToZeroView,
  type ClusterPolicy,
} from '../core/idle-policy';
import { matchesSubscription } from '../core/subscription-match';
import type { View } from '../core/views';
import { toError } from '../errors';
import type { MarkerStore, StoredSubscription, Stores, Versioned } from '../storage/index';
import { deliverOnce } from './delivery';
import type { AlertPort } from './notifier';
import { observeWorkspace, type ListingPort } from './observe';

export interface IdleDeps {
  compute: ListingPort & Pick<ComputePort, 'scaleCluster'>;
  workspaces: WorkspaceRef[];
  stores: Pick<Stores, 'policies' | 'subscriptions' | 'conversations'>;
  markers: MarkerStore;
  sender: AlertPort;
  policy: { idleMinutes: number; idleGraceMinutes: number; pricesFile?: string };
  log: (line: string) => void;
}

export interface ClusterOutcome {
  workspace: string;
  cluster: string;
  action: 'none' | 'warn' | 'scale' | 'skipped';
  detail: string;
}
export interface IdleReport {
  clusters: ClusterOutcome[];
  failures: string[];
}

const ACTIVE = new Set(['queued', 'running', 'terminating']);
const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

interface Tick {
  deps: IdleDeps;
  now: Date;
  owner: string;
  subs: StoredSubscription[];
  failures: string[];
}

/** Sends `view` once to each conversation subscribed to the cluster; true when all of them have it. */
async function deliver(
  t: Tick,
  ws: WorkspaceRef,
  c: ObservedCluster,
  kind: string,
  idleSince: string,
  view: View,
): Promise<boolean> {
  const id = eventId(c.row.resourceId, kind, idleSince);
  // Idle notices are cluster events for subscription matching ("cluster" in a subscription's states).
  const event: ClusterEvent = {
    kind: 'cluster',
    id,
    workspace: ws,
    resourceId: c.row.resourceId,
    cluster: c.row.cluster,
    change: 'nodes',
    at: idleSince,
    view: c.view,
  };
  const targets = [...new Set(t.subs.filter((s) => matchesSubscription(s.filter, event)).map((s) => s.conversationId))];
  let complete = true;
  for (const conversationId of targets) {
    const conv = await t.deps.stores.conversations.get(conversationId);
    if (!conv) {
      t.deps.log(`idle: conversation ${conversationId} has subscriptions but no stored reference; skipped`);
      continue;
    }
    try {
      const r = await deliverOnce(t.deps.markers, conversationId, [{ id, view }], t.owner, {
        send: async ([notice]) => (await t.deps.sender.send(conv, notice.view)).id,
        // Delivered all the same: its pending marker keeps every later tick from sending it again.
        unmarked: (_, e) => t.deps.log(`idle: sent ${kind} to ${conversationId} but could not mark it: ${e.message}`),
      });
      if (r.busy > 0) complete = false;
    } catch (e) {
      t.failures.push(`${kind} ${c.row.cluster} → ${conversationId}: ${toError(e).message}`);
      complete = false;
    }
  }
  return complete;
}

type Outcome = Pick<ClusterOutcome, 'action' | 'detail'>;

async function tickCluster(
  t: Tick,
  ws: WorkspaceRef,
  c: ObservedCluster,
  jobs: ObservedJob[],
  row: Versioned<ClusterPolicy> | undefined,
): Promise<Outcome> {
  const { deps, now } = t;
  const name = c.row.cluster;
  const d = decideIdle({
    cluster: c.view,
    activeJobs: jobs.filter((j) => ACTIVE.has(j.row.state)).length,
    lastActivity: latest([c.row.at, ...jobs.map((j) => j.row.at)]),
    policy: row?.value ?? {},
    now,
    idleMinutes: deps.policy.idleMinutes,
    graceMinutes: deps.policy.idleGraceMinutes,
  });
  const owed = row && owedScaleCard(row.value, c.view.scale, d);
  if (owed?.action === 'card') {
    const sent = await scaledCard(t, ws, c, owed.idleSince, row!.value);
    return { action: 'scale', detail: sent ? 'scaled-to-zero card of an earlier pass sent' : 'card not yet sent' };
  }
  // Merged into this pass's own write, or written alone when it has none.
  const dropped: ClusterPolicy = owed ? { scaleSettledFor: owed.idleSince } : {};
  if (d.action === 'none') {
    if (owed) await deps.stores.policies.update(ws, name, dropped, row!.etag);
    return { action: 'none', detail: d.reason };
  }
  if (d.action === 'warn') {
    const complete = await deliver(
      t,
      ws,
      c,
      'idle-warning',
      d.idleSince,
      idleWarningView(c.view, d, now, priceTable(deps.policy.pricesFile)),
    );
    const recorded =
      complete &&
      (await deps.stores.policies.update(
        ws,
        name,
        { ...dropped, warnedAt: now.toISOString(), warnedFor: d.idleSince },
        row?.etag,
      ));
    return recorded
      ? { action: 'warn', detail: `scale-down at ${d.scaleAt}` }
      : { action: 'skipped', detail: 'warning not yet delivered everywhere, or the row changed' };
  }
  // The intent, before the scale request: a host that dies after the request leaves it for a later pass, which
  // sends the card once the cluster is at zero (owedScaleCard).
  const intent: ClusterPolicy = {
    scaledAt: now.toISOString(),
    scaledFor: d.idleSince,
    scaledFrom: String(c.view.currentNodeCount),
  };
  if (!(await deps.stores.policies.update(ws, name, intent, row?.etag))) {
    return { action: 'skipped', detail: 'the policy row changed since it was read (keep-up or another tick)' };
  }
  await deps.compute.scaleCluster({ ...ws, cluster: name }, d.scale);
  await scaledCard(t, ws, c, d.idleSince, intent);
  return { action: 'scale', detail: `idle since ${d.idleSince}` };
}

/** The "scaled to zero" card of an intent, to every subscribed conversation; the intent settles once all have it. */
async function scaledCard(
  t: Tick,
  ws: WorkspaceRef,
  c: ObservedCluster,
  idleSince: string,
  intent: ClusterPolicy,
): Promise<boolean> {
  const at = intent.scaledAt ? new Date(intent.scaledAt) : t.now;
  // As the cluster was when it was scaled: a card sent by a later pass may find it at zero nodes already.
  const nodes = Number(intent.scaledFrom ?? c.view.currentNodeCount) || c.view.currentNodeCount;
  const view = scaledToZeroView(
    { ...c.view, currentNodeCount: nodes },
    idleSince,
    at,
    priceTable(t.deps.policy.pricesFile),
  );
  const complete = await deliver(t, ws, c, 'idle-scaled', idleSince, view);
  // '*': it only adds that the card went out, whatever was written since (a keep-up pressed meanwhile).
  return complete && (await t.deps.stores.policies.update(ws, c.row.cluster, { scaleSettledFor: idleSince }, '*'));
}

async function tickWorkspace(t: Tick, ws: WorkspaceRef): Promise<ClusterOutcome[]> {
  const [observed, policies] = await Promise.all([
    observeWorkspace(t.deps.compute, ws, 8),
    t.deps.stores.policies.list(ws),
  ]);
  const out: ClusterOutcome[] = [];
  for (const c of observed.clusters) {
    const name = c.row.cluster;
    const jobs = observed.jobs.filter((j) => same(j.summary.cluster, name));
    try {
      out.push({
        workspace: ws.workspace,
        cluster: name,
        ...(await tickCluster(t, ws, c, jobs, policies.get(name.toLowerCase()))),
      });
    } catch (e) {
      // One cluster failing (a PATCH refused, storage busy) does not stop the others; the next tick retries.
      t.failures.push(`${ws.workspace}/${name}: ${toError(e).message}`);
    }
  }
  return out;
}

async function idleTick(deps: IdleDeps, now: Date): Promise<IdleReport> {
  const t: Tick = {
    deps,
    now,
    owner: `idle-${randomUUID()}`,
    subs: await deps.stores.subscriptions.all(),
    failures: [],
  };
  const clusters: ClusterOutcome[] = [];
  for (const ws of deps.workspaces) {
    try {
      clusters.push(...(await tickWorkspace(t, ws)));
    } catch (e) {
      // One workspace failing to list (Batch AI busy) does not stop the others.
      t.failures.push(`${workspaceLabel(ws)}: ${toError(e).message}`);
    }
  }
  return { clusters, failures: t.failures };
}

export interface IdleScaleDown {
  /** One tick at `now`: warn or scale every idle cluster of every workspace; what failed is in the report. */
  tick(now: Date): Promise<IdleReport>;
}

export function createIdleScaleDown(deps: IdleDeps): IdleScaleDown {
  return { tick: (now) => idleTick(deps, now) };
}
