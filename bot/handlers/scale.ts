// `resize`, `autoscale`, `scale-to-zero`: one change of the cluster's scale mode, answered at once with the cluster
// card; a follow-up updates that card in place when the allocation is steady again. A request that could reach more
// nodes than the approval threshold is not run: it becomes an approval request (DESIGN flow 4) answered with the
// approval card, which follows the request's row until it is answered, expires or has run.
import type { ClusterRef, ComputeCluster, ScaleMode } from '../../shared/compute/model';
import {
  approvalReason,
  approvalView,
  effectiveState,
  isTerminal,
  requestedNodes,
  scaleModeOf,
  type Approval,
  type ScaleRequest,
} from '../../shared/core/approval-policy';
import { estimate as estimateOf } from '../../shared/core/prices';
import { priceTable } from '../../shared/prices-file';
import { toClusterView } from '../../shared/core/cluster-view';
import { ProtocolError } from '../../shared/errors';
import type { FollowUpTarget } from '../../shared/storage/followup-queue';
import type { BotDeps } from '../deps';
import { STOPPED_NOTE, type Watch } from '../follow-up';
import { costRule, requestApproval } from '../approval-request';
import type { Handler, HandlerContext, Reply } from '../handler';
import { clusterRef, withCluster, withClusterRef } from '../not-found';

const allocationKey = (c: ComputeCluster) => `${c.allocationState}:${c.currentNodeCount}:${JSON.stringify(c.nodes)}`;

export interface ScaleLabels {
  pending: string;
  done: string;
}

export function scaleLabels(r: ScaleRequest): ScaleLabels {
  return r.kind === 'resize'
    ? { pending: `Resizing to ${r.nodes} nodes…`, done: `Resized to ${r.nodes} nodes` }
    : { pending: `Setting auto-scale ${r.min}–${r.max} nodes…`, done: `Auto-scale ${r.min}–${r.max} nodes` };
}

/** Sets the scale mode of `ref` now (no approval check); a 404 names the clusters that exist. */
export async function applyScale(
  ctx: HandlerContext,
  ref: ClusterRef,
  scale: ScaleMode,
  what: ScaleLabels,
): Promise<Reply> {
  const updated = await withClusterRef(ctx.deps.compute, ref, (r) => ctx.deps.compute.scaleCluster(r, scale));
  const steady = updated.allocationState !== 'resizing';
  const view = {
    ...toClusterView(updated, ref.workspace, ctx.deps.compute.labels),
    headline: steady ? what.done : what.pending,
  };
  if (steady) return { view };
  const cluster = { resourceGroup: ref.resourceGroup, workspace: ref.workspace, cluster: ref.cluster };
  return { view, followUp: { target: { kind: 'cluster', cluster, ...what }, key: allocationKey(updated) } };
}

/** The cluster card of a scale request, until the allocation is steady again. */
export function clusterWatch(
  deps: BotDeps,
  target: Extract<FollowUpTarget, { kind: 'cluster' }>,
): Watch<ComputeCluster> {
  return {
    fetch: () => deps.compute.getCluster(target.cluster),
    key: allocationKey,
    done: (c) => c.allocationState === 'steady',
    render: (c, phase) => {
      const stopped = `${target.pending} (${STOPPED_NOTE}: send "cluster ${target.cluster.cluster}")`;
      return {
        ...toClusterView(c, target.cluster.workspace, deps.compute.labels),
        headline: phase === 'done' ? target.done : phase === 'stopped' ? stopped : target.pending,
      };
    },
  };
}

/** Keeps the requester's approval card in step with its row: approved, executed, rejected, expired. */
export function approvalWatch(deps: BotDeps, id: string): Watch<Approval> {
  const state = (a: Approval) => effectiveState(a, deps.now());
  return {
    fetch: async () => {
      const row = await deps.stores.approvals.get(id);
      if (!row) throw new ProtocolError(`approval ${id} vanished from the approvals table`);
      return row.value;
    },
    key: state,
    done: (a) => isTerminal(state(a)),
    render: (a, phase) =>
      approvalView(
        a,
        deps.now(),
        phase === 'stopped' ? `This request is still ${state(a)}; ${STOPPED_NOTE}.` : undefined,
      ),
  };
}

/** Nodes the cluster may hold now: its manual target, or its auto-scale maximum. */
const nodesNow = (c: ComputeCluster): number => (c.scale.mode === 'auto' ? c.scale.max : c.scale.targetNodeCount);

async function scaleOrAsk(cmd: ScaleRequest, ctx: HandlerContext): Promise<Reply> {
  const { policy } = ctx.deps.config;
  // One read of the cluster: it must exist before anyone is asked, and its VM size prices the request.
  const { ref, cluster } = await withCluster(ctx, cmd.cluster, async (r) => ({
    ref: r,
    cluster: await ctx.deps.compute.getCluster(r),
  }));
  const estimate = estimateOf(
    priceTable(policy.pricesFile),
    cluster.vmSize || 'unknown',
    undefined,
    nodesNow(cluster),
    requestedNodes(cmd),
  );
  const reason = approvalReason(cmd, policy.resizeApprovalThreshold, costRule(ctx, estimate));
  if (reason) return requestApproval(ctx, cmd, ref, reason, estimate);
  return applyScale(ctx, ref, scaleModeOf(cmd), scaleLabels(cmd));
}

export const resize: Handler<'resize'> = scaleOrAsk;
export const autoscale: Handler<'autoscale'> = scaleOrAsk;

export const scaleToZero: Handler<'scale-to-zero'> = async (cmd, ctx) =>
  applyScale(
    ctx,
    await clusterRef(ctx, cmd.cluster),
    { mode: 'manual', targetNodeCount: 0 },
    { pending: 'Scaling to zero…', done: 'Scaled to zero' },
  );
