// `resize`, `autoscale`, `scale-to-zero`: one PATCH of scaleSettings, answered at once with the cluster card;
// a follow-up updates that card in place when the allocation is steady again. A request that could reach more
// nodes than the approval threshold is not run: it becomes an approval request (DESIGN flow 4) answered with
// the approval card, which follows the request's row until it is answered, expires or has run.
import type { ClusterRef } from '../../shared/batchai/port';
import type { Cluster, ScaleSettings } from '../../shared/batchai/types';
import {
  approvalView, describeRequest, effectiveState, isTerminal, needsApproval, scaleSettingsOf, type Approval, type ScaleRequest,
} from '../../shared/core/approval-policy';
import { toClusterView } from '../../shared/core/cluster-view';
import { ProtocolError, isNotFound } from '../../shared/errors';
import type { FollowUp, Handler, HandlerContext, Reply } from '../handler';
import { watch } from '../follow-up';
import { clusterNotFound, withCluster } from '../not-found';

const allocationKey = (c: Cluster) =>
  `${c.properties?.allocationState}:${c.properties?.currentNodeCount}:${JSON.stringify(c.properties?.nodeStateCounts ?? {})}`;

export interface ScaleLabels { pending: string; done: string }

export function scaleLabels(r: ScaleRequest): ScaleLabels {
  return r.kind === 'resize'
    ? { pending: `Resizing to ${r.nodes} nodes…`, done: `Resized to ${r.nodes} nodes` }
    : { pending: `Setting auto-scale ${r.min}–${r.max} nodes…`, done: `Auto-scale ${r.min}–${r.max} nodes` };
}

/** PATCHes the scale settings of `ref` now (no approval check); a 404 names the clusters that exist. */
export async function applyScale(ctx: HandlerContext, ref: ClusterRef, settings: ScaleSettings, what: ScaleLabels): Promise<Reply> {
  let updated: Cluster;
  try {
    updated = await ctx.deps.batchAi.updateClusterScale(ref, settings);
  } catch (e) {
    if (isNotFound(e)) throw await clusterNotFound(ctx.deps.batchAi, ref);
    throw e;
  }
  const steady = updated.properties?.allocationState !== 'resizing';
  const view = { ...toClusterView(updated, ref.workspace), headline: steady ? what.done : what.pending };
  if (steady) return { view };
  const followUp = watch(ctx.timing, {
    fetch: () => ctx.deps.batchAi.getCluster(ref),
    key: allocationKey,
    done: (c) => c.properties?.allocationState === 'steady',
    render: (c, done) => ({ ...toClusterView(c, ref.workspace), headline: done ? what.done : what.pending }),
  }, allocationKey(updated));
  return { view, followUp };
}

/** Keeps the requester's approval card in step with its row: approved, executed, rejected, expired. */
export function watchApproval(ctx: HandlerContext, id: string): FollowUp {
  const now = () => ctx.deps.now();
  const state = (a: Approval) => effectiveState(a, now());
  return watch(ctx.timing, {
    fetch: async () => {
      const row = await ctx.deps.stores.approvals.get(id);
      if (!row) throw new ProtocolError(`approval ${id} vanished from the approvals table`);
      return row.value;
    },
    key: state,
    done: (a) => isTerminal(state(a)),
    render: (a) => approvalView(a, now()),
  }, 'pending');
}

async function requestApproval(ctx: HandlerContext, cmd: ScaleRequest): Promise<Reply> {
  // Nobody should be asked to approve a resize of a cluster that does not exist.
  const ref = await withCluster(ctx, cmd.cluster, async (r) => { await ctx.deps.batchAi.getCluster(r); return r; });
  const { resourceGroup, workspace } = ref;
  const now = ctx.deps.now();
  const { value } = await ctx.deps.stores.approvals.create({
    state: 'pending',
    request: cmd,
    workspace: { resourceGroup, workspace },
    requestedBy: { id: ctx.turn.userId, ...(ctx.turn.userName ? { name: ctx.turn.userName } : {}) },
    conversationId: ctx.turn.conversationId,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + ctx.deps.config.policy.approvalTtlMinutes * 60_000).toISOString(),
  });
  const threshold = ctx.deps.config.policy.resizeApprovalThreshold;
  const note = `${describeRequest(cmd)} goes above the approval threshold of ${threshold} nodes.`;
  return { view: approvalView(value, now, note), followUp: watchApproval(ctx, value.id) };
}

const clusterRef = async (ctx: HandlerContext, cluster: string): Promise<ClusterRef> => ({ ...(await ctx.scope()).ref, cluster });

async function scaleOrAsk(cmd: ScaleRequest, ctx: HandlerContext): Promise<Reply> {
  if (needsApproval(cmd, ctx.deps.config.policy.resizeApprovalThreshold)) return requestApproval(ctx, cmd);
  return applyScale(ctx, await clusterRef(ctx, cmd.cluster), scaleSettingsOf(cmd), scaleLabels(cmd));
}

export const resize: Handler<'resize'> = scaleOrAsk;
export const autoscale: Handler<'autoscale'> = scaleOrAsk;

export const scaleToZero: Handler<'scale-to-zero'> = async (cmd, ctx) =>
  applyScale(ctx, await clusterRef(ctx, cmd.cluster), { manual: { targetNodeCount: 0 } }, { pending: 'Scaling to zero…', done: 'Scaled to zero' });
