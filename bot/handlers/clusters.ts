// Read commands for clusters: `clusters` (one list call) and `cluster <name>` (one GET).
import { toClusterView } from '../../shared/core/cluster-view';
import type { ClusterListView, ClusterView } from '../../shared/core/views';
import type { Handler } from '../handler';
import { withCluster } from '../not-found';

export const clusters: Handler<'clusters'> = async (_cmd, ctx) => {
  const { ref } = await ctx.scope();
  const items: ClusterListView['clusters'] = [];
  for await (const c of ctx.deps.batchAi.listClusters(ref)) {
    const { kind: _kind, actions: _actions, ...rest } = toClusterView(c, ref.workspace);
    items.push(rest);
  }
  items.sort((a, b) => a.name.localeCompare(b.name));
  return { view: { kind: 'cluster-list', title: `Clusters in ${ref.workspace}`, clusters: items } };
};

export const cluster: Handler<'cluster'> = async (cmd, ctx) => {
  const view: ClusterView = await withCluster(ctx, cmd.cluster, async (ref) =>
    toClusterView(await ctx.deps.batchAi.getCluster(ref), ref.workspace),
  );
  return { view };
};
