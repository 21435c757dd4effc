// Pure: idle scale-down (DESIGN flow 5). A cluster holding nodes with no queued, running or terminating job
// since `idleSince` gets a warning after `idleMinutes`, and is scaled to zero `graceMinutes` after the warning
// unless someone kept it up. `idleSince` is derived from what the listing shows (the cluster's and its jobs'
// last transitions, the end of a keep-up), so a retried tick computes the same value and the same decision.
import { costText, estimate, SHIPPED_PRICES, type PriceTable } from './prices';
import type { ScaleMode } from '../compute/model';
import { commandText } from './command-text';
import { type ClusterAlertView, type ClusterFacts, labelsOf } from './views';

/** The `policies` row of one cluster. */
export interface ClusterPolicy {
  keepUpUntil?: string;
  keepUpBy?: string;
  /** When the last warning went out, and for which idle period (its idleSince). */
  warnedAt?: string;
  warnedFor?: string;
  /** The scale-down intent, written before the scale request: when, and for which idle period. */
  scaledAt?: string;
  scaledFor?: string;
  /** The nodes it held then (a number, as text): what a card sent later offers to resize back to. */
  scaledFrom?: string;
  /**
   * The idle period whose scale-down is settled: its "scaled to zero" card went out everywhere, or it never
   * happened (the cluster got busy before the scale request). Behind `scaledFor`: an intent a later pass completes.
   */
  scaleSettledFor?: string;
}

export interface IdleInput {
  cluster: Pick<ClusterFacts, 'currentNodeCount' | 'allocationState' | 'scale'>;
  /** Jobs on this cluster that are queued, running or terminating. */
  activeJobs: number;
  /** Latest of the cluster's allocation transition and its jobs' state transitions (ISO); absent = unknown. */
  lastActivity?: string;
  policy: ClusterPolicy;
  now: Date;
  idleMinutes: number;
  graceMinutes: number;
}

export type IdleDecision =
  | { action: 'none'; reason: string }
  | { action: 'warn'; idleSince: string; scaleAt: string }
  | { action: 'scale'; idleSince: string; scale: ScaleMode };

const MINUTE = 60_000;

function later(a: string | undefined, b: string | undefined): string | undefined {
  if (!a) return b;
  if (!b) return a;
  return Date.parse(a) >= Date.parse(b) ? a : b;
}

/** Latest of several ISO times (empty strings and absent values ignored). */
export function latest(times: Array<string | undefined>): string | undefined {
  return times.reduce<string | undefined>((acc, t) => later(acc, t || undefined), undefined);
}

/** The cluster's scale settings already give its nodes back (manual target 0, or auto-scale with minimum 0). */
export const scaledToZero = (scale: ScaleMode): boolean =>
  scale.mode === 'manual' ? scale.targetNodeCount === 0 : scale.min === 0;

/**
 * A scale-down whose card is owed: the intent was written (the scale request may have gone out, and the host died
 * before the card, or a send failed) and not settled. `card`: the cluster is at zero, so the card goes out now;
 * `drop`: the cluster is not at zero and this pass does not scale it for that idle period (it got busy, or
 * someone kept it up): the scale never happened, and no card is owed.
 */
export function owedScaleCard(
  policy: ClusterPolicy,
  scale: ScaleMode,
  decision: IdleDecision,
): { action: 'card' | 'drop'; idleSince: string } | undefined {
  const idleSince = policy.scaledFor;
  if (!idleSince || policy.scaleSettledFor === idleSince) return undefined;
  if (scaledToZero(scale)) return { action: 'card', idleSince };
  if (decision.action === 'scale' && decision.idleSince === idleSince) return undefined;
  return { action: 'drop', idleSince };
}

/** What scaling to zero means for this cluster, or why it does not apply. */
function zeroScale(scale: ScaleMode): ScaleMode | string {
  if (scale.mode === 'manual')
    return scale.targetNodeCount === 0 ? 'already set to zero nodes' : { mode: 'manual', targetNodeCount: 0 };
  // Auto-scale with min 0 gives idle nodes back by itself; with min > 0 it would hold them forever.
  if (scale.min === 0) return 'auto-scale with minimum 0 releases idle nodes itself';
  return { mode: 'auto', min: 0, max: scale.max };
}

export function decideIdle(i: IdleInput): IdleDecision {
  const now = i.now.getTime();
  if (i.activeJobs > 0) return { action: 'none', reason: `${i.activeJobs} active job${i.activeJobs === 1 ? '' : 's'}` };
  if (i.cluster.currentNodeCount === 0) return { action: 'none', reason: 'no nodes' };
  if (i.cluster.allocationState === 'resizing') return { action: 'none', reason: 'resizing' };
  const scale = zeroScale(i.cluster.scale);
  if (typeof scale === 'string') return { action: 'none', reason: scale };
  const keptUntil = i.policy.keepUpUntil;
  if (keptUntil && Date.parse(keptUntil) > now) return { action: 'none', reason: `kept up until ${keptUntil}` };
  // After a keep-up ends, a new idle period starts then: it must last the whole window again.
  const idleSince = later(i.lastActivity, keptUntil);
  if (!idleSince) return { action: 'none', reason: 'last activity unknown' };
  const idleMs = now - Date.parse(idleSince);
  if (idleMs < i.idleMinutes * MINUTE)
    return { action: 'none', reason: `idle ${Math.floor(idleMs / MINUTE)} of ${i.idleMinutes} min` };
  const warnedAt = i.policy.warnedFor === idleSince ? i.policy.warnedAt : undefined;
  if (!warnedAt) return { action: 'warn', idleSince, scaleAt: new Date(now + i.graceMinutes * MINUTE).toISOString() };
  const scaleAt = Date.parse(warnedAt) + i.graceMinutes * MINUTE;
  if (now < scaleAt) return { action: 'none', reason: `warned; scale-down at ${new Date(scaleAt).toISOString()}` };
  return { action: 'scale', idleSince, scale };
}

const minutesBetween = (from: string, to: Date) => Math.max(0, Math.floor((to.getTime() - Date.parse(from)) / MINUTE));
const hhmm = (iso: string) => `${iso.slice(11, 16)} UTC`;

/** " Its 2 idle nodes cost $1.80/h (…)." — what waiting costs, from the price table. */
function idleCost(c: ClusterFacts, table: PriceTable, verb: string): string {
  const e = estimate(table, c.vmSize, undefined, c.currentNodeCount, c.currentNodeCount);
  return e.perHour === undefined ? '' : ` ${verb} ${costText(e)}.`;
}

export function idleWarningView(
  c: ClusterFacts,
  d: { idleSince: string; scaleAt: string },
  now: Date,
  table: PriceTable = SHIPPED_PRICES,
): ClusterAlertView {
  return {
    kind: 'cluster-alert',
    title: `${labelsOf(c).cluster} ${c.name} is idle`,
    message:
      `${c.name} holds ${c.currentNodeCount} node${c.currentNodeCount === 1 ? '' : 's'} ` +
      'and has had no running or queued job ' +
      `for ${minutesBetween(d.idleSince, now)} min. ` +
      `It will be scaled to zero at ${hhmm(d.scaleAt)} unless someone keeps it up.` +
      idleCost(c, table, `Its idle node${c.currentNodeCount === 1 ? '' : 's'} cost`),
    cluster: c,
    actions: [
      {
        title: 'Keep it up 1 h',
        command: commandText({ kind: 'keep-up', cluster: c.name, hours: 1 }),
        style: 'positive',
      },
      {
        title: 'Scale to zero now',
        command: commandText({ kind: 'scale-to-zero', cluster: c.name }),
        style: 'destructive',
      },
    ],
  };
}

export function scaledToZeroView(
  c: ClusterFacts,
  idleSince: string,
  now: Date,
  table: PriceTable = SHIPPED_PRICES,
): ClusterAlertView {
  const how = c.scale.mode === 'auto' ? ` (auto-scale minimum set to 0, maximum stays ${c.scale.max})` : '';
  const back = c.scale.mode === 'auto' ? c.scale.max : c.currentNodeCount;
  return {
    kind: 'cluster-alert',
    title: `${labelsOf(c).cluster} ${c.name} scaled to zero`,
    message:
      `${c.name} had no running or queued job for ${minutesBetween(idleSince, now)} min, ` +
      `so it is being scaled to zero${how}.${idleCost(c, table, 'This saves')}`,
    cluster: c,
    actions:
      c.scale.mode === 'auto'
        ? [{ title: 'Details', command: commandText({ kind: 'cluster', cluster: c.name }) }]
        : [{ title: `Resize back to ${back}`, command: commandText({ kind: 'resize', cluster: c.name, nodes: back }) }],
  };
}
