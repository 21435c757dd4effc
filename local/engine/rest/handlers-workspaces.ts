// Workspaces, experiments, file servers, usages and the provider's operation list.
import type {
  FileServerCreateParameters,
  WorkspaceCreateParameters,
  WorkspaceUpdateParameters,
} from '../../../shared/batchai/types';
import { deleteExperiment, deleteWorkspace } from '../core/cascades';
import {
  getExperiment,
  getFileServer,
  getWorkspace,
  listExperiments,
  listFileServers,
  listWorkspaces,
} from '../core/lookups';
import { deleteFileServer, patchWorkspace, putExperiment, putFileServer, putWorkspace } from '../core/resources';
import { expKey, wsKey } from './keys';
import { pageOf } from './paging';
import type { Route } from './router';
import { validateBody } from './validate';
import { experimentView, fileServerView, workspaceView } from './views';
import { PROVIDER_OPERATIONS, usages } from './provider-info';

const P = '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.BatchAI';
const WS = `${P}/workspaces/{workspaceName}`;

export const workspaceRoutes: Route[] = [
  {
    method: 'GET',
    template: '/providers/Microsoft.BatchAI/operations',
    handler: () => ({ status: 200, body: { value: PROVIDER_OPERATIONS } }),
  },
  {
    method: 'GET',
    template: '/subscriptions/{subscriptionId}/providers/Microsoft.BatchAI/locations/{location}/usages',
    handler: (ctx) => ({ status: 200, body: { value: usages(ctx.core, ctx.params.subscriptionId!) } }),
  },
  {
    method: 'GET',
    template: '/subscriptions/{subscriptionId}/providers/Microsoft.BatchAI/workspaces',
    handler: (ctx) => pageOf(ctx, listWorkspaces(ctx.core, ctx.params.subscriptionId!), workspaceView),
  },
  {
    method: 'GET',
    template: `${P}/workspaces`,
    handler: (ctx) =>
      pageOf(ctx, listWorkspaces(ctx.core, ctx.params.subscriptionId!, ctx.params.resourceGroupName), workspaceView),
  },
  {
    method: 'GET',
    template: WS,
    handler: (ctx) => ({ status: 200, body: workspaceView(getWorkspace(ctx.core, wsKey(ctx))) }),
  },
  {
    method: 'PUT',
    template: WS,
    handler: (ctx) => {
      const body = validateBody<WorkspaceCreateParameters>(ctx.body, 'WorkspaceCreateParameters');
      return { status: 200, body: workspaceView(putWorkspace(ctx.core, wsKey(ctx), body.location, body.tags)) };
    },
  },
  {
    method: 'PATCH',
    template: WS,
    handler: (ctx) => {
      const body = validateBody<WorkspaceUpdateParameters>(ctx.body ?? {}, 'WorkspaceUpdateParameters');
      return { status: 200, body: workspaceView(patchWorkspace(ctx.core, wsKey(ctx), body.tags)) };
    },
  },
  {
    method: 'DELETE',
    template: WS,
    handler: (ctx) => {
      const k = wsKey(ctx);
      deleteWorkspace(ctx.core, k);
      return ctx.ops.accepted(ctx.baseUrl, k.sub, ctx.core.region, () =>
        ctx.core.state.workspace(k) ? 'InProgress' : 'Succeeded',
      );
    },
  },
  {
    method: 'GET',
    template: `${WS}/experiments`,
    handler: (ctx) => pageOf(ctx, listExperiments(ctx.core, wsKey(ctx)), experimentView),
  },
  {
    method: 'GET',
    template: `${WS}/experiments/{experimentName}`,
    handler: (ctx) => ({ status: 200, body: experimentView(getExperiment(ctx.core, expKey(ctx))) }),
  },
  {
    method: 'PUT',
    template: `${WS}/experiments/{experimentName}`,
    handler: (ctx) => ({ status: 200, body: experimentView(putExperiment(ctx.core, expKey(ctx))) }),
  },
  {
    method: 'DELETE',
    template: `${WS}/experiments/{experimentName}`,
    handler: (ctx) => {
      const k = expKey(ctx);
      deleteExperiment(ctx.core, k);
      return ctx.ops.accepted(ctx.baseUrl, k.sub, ctx.core.region, () =>
        ctx.core.state.experiment(k) ? 'InProgress' : 'Succeeded',
      );
    },
  },
  {
    method: 'GET',
    template: `${WS}/fileServers`,
    handler: (ctx) => pageOf(ctx, listFileServers(ctx.core, wsKey(ctx)), fileServerView),
  },
  {
    method: 'GET',
    template: `${WS}/fileServers/{fileServerName}`,
    handler: (ctx) => ({
      status: 200,
      body: fileServerView(getFileServer(ctx.core, wsKey(ctx), ctx.params.fileServerName!)),
    }),
  },
  {
    method: 'PUT',
    template: `${WS}/fileServers/{fileServerName}`,
    handler: (ctx) => {
      const body = validateBody<FileServerCreateParameters>(ctx.body, 'FileServerCreateParameters');
      const k = wsKey(ctx);
      const name = ctx.params.fileServerName!;
      putFileServer(ctx.core, k, name, body.properties!);
      return ctx.ops.accepted(ctx.baseUrl, k.sub, ctx.core.region, () =>
        getFileServer(ctx.core, k, name).provisioningState === 'succeeded' ? 'Succeeded' : 'InProgress',
      );
    },
  },
  {
    method: 'DELETE',
    template: `${WS}/fileServers/{fileServerName}`,
    handler: (ctx) => {
      const k = wsKey(ctx);
      const name = ctx.params.fileServerName!;
      deleteFileServer(ctx.core, k, name);
      return ctx.ops.accepted(ctx.baseUrl, k.sub, ctx.core.region, () =>
        listFileServers(ctx.core, k).some((f) => f.name === name) ? 'InProgress' : 'Succeeded',
      );
    },
  },
];
