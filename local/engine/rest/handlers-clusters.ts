// Clusters: PUT is long-running (202), PATCH of the scale settings answers 200 at once, DELETE is long-running.
import type { ClusterCreateParameters, ClusterUpdateParameters } from '../../../shared/batchai/types';
import { deleteCluster } from '../core/cascades';
import { putCluster, updateScale } from '../core/clusters';
import { getCluster, listClusters } from '../core/lookups';
import { ArmHttpError } from './arm-error';
import { checkClusterPaths } from './body-paths';
import { clusterKey, wsKey } from './keys';
import { pageOf } from './paging';
import type { Route } from './router';
import { validateBody } from './validate';
import { clusterView, remoteLoginNodes } from './views';

const C =
  '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}' +
  '/providers/Microsoft.BatchAI/workspaces/{workspaceName}/clusters';

export const clusterRoutes: Route[] = [
  {
    method: 'GET',
    template: C,
    handler: (ctx) => pageOf(ctx, listClusters(ctx.core, wsKey(ctx)), (c) => clusterView(ctx.core, c)),
  },
  {
    method: 'GET',
    template: `${C}/{clusterName}`,
    handler: (ctx) => ({ status: 200, body: clusterView(ctx.core, getCluster(ctx.core, clusterKey(ctx))) }),
  },
  {
    method: 'PUT',
    template: `${C}/{clusterName}`,
    handler: (ctx) => {
      const body = validateBody<ClusterCreateParameters>(ctx.body, 'ClusterCreateParameters');
      checkClusterPaths(body);
      const k = clusterKey(ctx);
      const { rec, created } = putCluster(ctx.core, k, body.properties!);
      if (!created) return { status: 200, body: clusterView(ctx.core, rec) };
      return ctx.ops.accepted(ctx.baseUrl, k.sub, ctx.core.region, () => {
        const c = getCluster(ctx.core, k);
        if (c.provisioningState === 'failed')
          return { code: 'ClusterCreationFailed', message: `The cluster '${k.cluster}' could not be created.` };
        return c.provisioningState === 'succeeded' ? 'Succeeded' : 'InProgress';
      });
    },
  },
  {
    method: 'PATCH',
    template: `${C}/{clusterName}`,
    handler: (ctx) => {
      const body = validateBody<ClusterUpdateParameters>(ctx.body, 'ClusterUpdateParameters');
      const scale = body.properties?.scaleSettings;
      if (!scale)
        throw new ArmHttpError(
          400,
          'InvalidRequestContent',
          "The request content was invalid: property 'properties.scaleSettings' is required.",
        );
      return { status: 200, body: clusterView(ctx.core, updateScale(ctx.core, clusterKey(ctx), scale)) };
    },
  },
  {
    method: 'DELETE',
    template: `${C}/{clusterName}`,
    handler: (ctx) => {
      const k = clusterKey(ctx);
      deleteCluster(ctx.core, k);
      return ctx.ops.accepted(ctx.baseUrl, k.sub, ctx.core.region, () =>
        ctx.core.state.cluster(k) ? 'InProgress' : 'Succeeded',
      );
    },
  },
  {
    method: 'POST',
    template: `${C}/{clusterName}/listRemoteLoginInformation`,
    handler: (ctx) => {
      const c = getCluster(ctx.core, clusterKey(ctx));
      return pageOf(ctx, remoteLoginNodes(c.cluster, c.currentNodeCount), (n) => n);
    },
  },
];
