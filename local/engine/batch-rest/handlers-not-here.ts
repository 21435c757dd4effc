// The rest of the spec's operations, answered as the local account can: what cannot exist here is not found
// (an application, a certificate or job schedule that was never kept), what a node would have to do to this
// machine (reboot, reimage, start, deallocate, scheduling) or hand out (its files outside a task) is refused in
// the service's error body; pool usage metrics are an empty list (nothing is billed).
import { BatchHttpError, notFound } from './batch-http-error';
import type { BatchFacade, BatchRequest, Handler } from './facade';
import { poolOf } from './handlers-pools';
import { listReply } from './replies';
import { featureNotSupported } from './unsupported';
import { entityReply, LOCAL_NODE_ID } from './views';

/** Throws NodeNotFound unless the pool has the node (tvm-local_<i>, one per node the cluster has). */
function requireNode(f: BatchFacade, r: BatchRequest): void {
  const c = poolOf(f, r.params.poolId);
  const i = Number(/^tvm-local_(\d+)$/.exec(r.params.nodeId)?.[1] ?? Number.NaN);
  if (!(i >= 0 && i < c.currentNodeCount) && r.params.nodeId !== LOCAL_NODE_ID) throw notFound('Node', r.params.nodeId);
}

function nodeAction(what: string): Handler {
  return (f: BatchFacade, r: BatchRequest) => {
    requireNode(f, r);
    throw featureNotSupported(what, 'the nodes of a local pool are slots on this machine; resize the pool instead');
  };
}

function stored(list: Record<string, unknown>[], key: string, id: string): Record<string, unknown> | undefined {
  return list.find((x) => String(x[key]).toLowerCase() === id.toLowerCase());
}

export const notHereRoutes: Array<[string, string, Handler]> = [
  ['GET', '/poolusagemetrics', (f, r) => listReply(f, r, 'poolusagemetrics', [])],
  [
    'GET',
    '/applications/{applicationId}',
    (_f, r) => {
      throw notFound('Application', r.params.applicationId);
    },
  ],
  [
    'GET',
    '/certificates(thumbprintAlgorithm={algorithm},thumbprint={thumbprint})',
    (f, r) => {
      const c = stored(f.store.certificates, 'thumbprint', r.params.thumbprint);
      if (!c) throw notFound('Certificate', r.params.thumbprint);
      return entityReply(f, 'certificates', c);
    },
  ],
  ...['GET', 'HEAD', 'PUT', 'PATCH', 'DELETE'].map((method): [string, string, Handler] => [
    method,
    '/jobschedules/{jobScheduleId}',
    (f, r) => {
      const s = stored(f.store.jobSchedules, 'id', r.params.jobScheduleId);
      if (!s) throw notFound('JobSchedule', r.params.jobScheduleId);
      if (method !== 'GET' && method !== 'HEAD')
        throw featureNotSupported('job schedules', 'add the job when it is due with POST /jobs');
      return entityReply(f, 'jobschedules', s);
    },
  ]),
  ...['disable', 'enable'].map((action): [string, string, Handler] => [
    'POST',
    `/jobschedules/{jobScheduleId}/${action}`,
    (f, r) => {
      if (!stored(f.store.jobSchedules, 'id', r.params.jobScheduleId))
        throw notFound('JobSchedule', r.params.jobScheduleId);
      throw featureNotSupported('job schedules', 'add the job when it is due with POST /jobs');
    },
  ]),
  [
    'POST',
    '/certificates(thumbprintAlgorithm={algorithm},thumbprint={thumbprint})/canceldelete',
    (f, r) => {
      if (!stored(f.store.certificates, 'thumbprint', r.params.thumbprint))
        throw notFound('Certificate', r.params.thumbprint);
      throw featureNotSupported('certificates', 'give a task what it needs through resourceFiles or its environment');
    },
  ],
  [
    'GET',
    '/jobschedules/{jobScheduleId}/jobs',
    (f, r) => {
      if (!stored(f.store.jobSchedules, 'id', r.params.jobScheduleId))
        throw notFound('JobSchedule', r.params.jobScheduleId);
      return listReply(f, r, 'jobs', []);
    },
  ],
  [
    'GET',
    '/pools/{poolId}/nodes/{nodeId}/extensions/{extensionName}',
    (f, r) => {
      requireNode(f, r);
      // A local node has no VM extensions (its list is empty).
      throw new BatchHttpError(404, 'NodeExtensionNotFound', 'The specified extension does not exist on the node.', [
        { key: 'ExtensionName', value: r.params.extensionName },
      ]);
    },
  ],
  ['POST', '/pools/{poolId}/nodes/{nodeId}/reboot', nodeAction('rebooting a node')],
  ['POST', '/pools/{poolId}/nodes/{nodeId}/reimage', nodeAction('reimaging a node')],
  ['POST', '/pools/{poolId}/nodes/{nodeId}/start', nodeAction('starting a node')],
  ['POST', '/pools/{poolId}/nodes/{nodeId}/deallocate', nodeAction('deallocating a node')],
  ['POST', '/pools/{poolId}/nodes/{nodeId}/disablescheduling', nodeAction("changing a node's scheduling")],
  ['POST', '/pools/{poolId}/nodes/{nodeId}/enablescheduling', nodeAction("changing a node's scheduling")],
  ['GET', '/pools/{poolId}/nodes/{nodeId}/files', nodeAction("a node's files outside a task (read the task's)")],
  ['GET', '/pools/{poolId}/nodes/{nodeId}/files/{filePath*}', nodeAction("a node's files outside a task")],
  ['HEAD', '/pools/{poolId}/nodes/{nodeId}/files/{filePath*}', nodeAction("a node's files outside a task")],
  ['DELETE', '/pools/{poolId}/nodes/{nodeId}/files/{filePath*}', nodeAction("a node's files outside a task")],
];
