// `resize`, `autoscale`, `scale-to-zero`: one PATCH of scaleSettings, answered at once with the cluster card;
// a follow-up updates that card in place when the allocation is steady again.
import type { ClusterRef } from '../../shared/batchai/port';
import type { Cluster, ScaleSettings } from '../../shared/batchai/types';
import { toClusterView } from '../../shared/core/cluster-view';
import { commandText } from '../../shared/core/command-text';
import type { Handler, HandlerContext, Reply } from '../handler';
import { watch } from '../follow-up';
import { withCluster } from '../not-found';

const allocationKey = (c: Cluster) =>
  `${c.properties?.allocationState}:${c.properties?.currentNodeCount}:${JSON.stringify(c.properties?.nodeStateCounts ?? {})}`;

async function rescale(ctx: HandlerContext, cluster: string, settings: ScaleSettings, what: { pending: string; done: string }): Promise<Reply> {
  return withCluster(ctx, cluster, async (ref: ClusterRef) => {
    const updated = await ctx.deps.batchAi.updateClusterScale(ref, settings);
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
  });
}

export const resize: Handler<'resize'> = async (cmd, ctx) => {
  const threshold = ctx.deps.config.policy.resizeApprovalThreshold;
  // The approval flow (DESIGN flow 4) is not built yet: until it is, a large resize asks its requester to confirm.
  const confirmed = 'confirmed' in cmd && cmd.confirmed === true;
  if (cmd.nodes > threshold && !confirmed) {
    return {
      view: {
        kind: 'confirm',
        title: `Resize ${cmd.cluster} to ${cmd.nodes} nodes?`,
        message:
          `${cmd.nodes} nodes is above the approval threshold (${threshold}). Approval by a second person is not enabled yet, ` +
          'so this asks you to confirm instead.',
        confirm: { title: `Resize to ${cmd.nodes}`, command: `${commandText(cmd)} --yes`, style: 'positive' },
        cancel: { title: 'Cancel', command: commandText({ kind: 'cluster', cluster: cmd.cluster }) },
      },
    };
  }
  return rescale(ctx, cmd.cluster, { manual: { targetNodeCount: cmd.nodes } }, { pending: `Resizing to ${cmd.nodes} nodes…`, done: `Resized to ${cmd.nodes} nodes` });
};

export const autoscale: Handler<'autoscale'> = (cmd, ctx) =>
  rescale(
    ctx,
    cmd.cluster,
    { autoScale: { minimumNodeCount: cmd.min, maximumNodeCount: cmd.max } },
    { pending: `Setting auto-scale ${cmd.min}–${cmd.max} nodes…`, done: `Auto-scale ${cmd.min}–${cmd.max} nodes` },
  );

export const scaleToZero: Handler<'scale-to-zero'> = (cmd, ctx) =>
  rescale(ctx, cmd.cluster, { manual: { targetNodeCount: 0 } }, { pending: 'Scaling to zero…', done: 'Scaled to zero' });
