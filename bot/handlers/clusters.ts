// Read commands for clusters: `clusters` (one list call) and `cluster <name>` (one GET).
import { toClusterView } from '../../shared/core/cluster-view';
import { costNow } from '../../shared/core/prices';
import { priceTable } from '../../shared/prices-file';
import type { ClusterListView, ClusterView } from '../../shared/core/views';
import type { Handler } from '../handler';
import { withCluster } from '../not-found';

export const clusters: Handler<'clusters'> = async (_cmd, ctx) => {
  const { ref } = await ctx.scope();
  const items: ClusterListView['clusters'] = [];
  for await (const c of ctx.deps.compute.listClusters(ref)) {
    const { kind: _kind, actions: _actions, ...rest } = toClusterView(c, ref.workspace, ctx.deps.compute.labels);
    items.push(rest);
  }
  items.sort((a, b) => a.name.localeCompare(b.name));
  const table = priceTable(ctx.deps.config.policy.pricesFile);
  const perHour = costNow(table, items);
  const cost = perHour === undefined ? '' : ` — $${perHour.toFixed(2)}/h now (prices of ${table.takenOn})`;
  return {
    view: {
      kind: 'cluster-list',
      title: `${ctx.deps.compute.labels.cluster}s in ${ref.workspace}${cost}`,
      clusters: items,
    },
  };
};

export const cluster: Handler<'cluster'> = async (cmd, ctx) => {
  const view: ClusterView = await withCluster(ctx, cmd.cluster, async (ref) =>
    toClusterView(await ctx.deps.compute.getCluster(ref), ref.workspace, ctx.deps.compute.labels),
  );
  return { view };
};
