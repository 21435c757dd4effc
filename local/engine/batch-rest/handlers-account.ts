// The rest of the account as a single machine shows it: the pool's nodes (this machine, once per node the
// cluster has), supported images, and the entities kept only as records (applications: none; certificates
// and job schedules: stored, never acted on, which the README says).
import type { BatchObject } from '../../../shared/azurebatch/types';
import { BatchHttpError, missingProperty, notFound } from './batch-http-error';
import type { BatchFacade, BatchRequest, Handler } from './facade';
import { poolOf } from './handlers-pools';
import { accepted, created, listReply, record } from './replies';
import { entityReply, iso, LOCAL_NODE_ID } from './views';

function nodesOf(f: BatchFacade, poolId: string): BatchObject[] {
  const c = poolOf(f, poolId);
  const busy = f.core.state
    .activeJobs(c)
    .filter((j) => j.executionState === 'running')
    .reduce((n, j) => n + j.props.nodeCount, 0);
  return Array.from({ length: c.currentNodeCount }, (_, i) => ({
    id: i === 0 ? LOCAL_NODE_ID : `tvm-local_${i}`,
    url: `${f.baseUrl}/pools/${c.cluster}/nodes/tvm-local_${i}`,
    state: i < c.preparingNodeCount ? 'starting' : i < busy ? 'running' : 'idle',
    schedulingState: 'enabled',
    stateTransitionTime: iso(c.allocationStateTransitionTime),
    allocationTime: iso(c.allocationStateTransitionTime),
    ipAddress: '127.0.0.1',
    affinityId: `tvm-local_${i}`,
    vmSize: c.props.vmSize.toLowerCase(),
    totalTasksRun: 0,
    runningTasksCount: i < busy ? 1 : 0,
    isDedicated: c.props.vmPriority !== 'lowpriority',
  }));
}

function nodeOf(f: BatchFacade, r: BatchRequest): BatchObject {
  const n = nodesOf(f, r.params.poolId).find((x) => x.id === r.params.nodeId);
  if (!n) throw notFound('Node', r.params.nodeId);
  return n;
}

function add(list: BatchObject[], body: unknown, key: string, kind: string): BatchObject {
  const b = record(body, kind);
  const id = b[key];
  if (typeof id !== 'string' || !id) throw missingProperty(key);
  if (list.some((x) => String(x[key]).toLowerCase() === id.toLowerCase())) {
    throw new BatchHttpError(409, `${kind}Exists`, `The specified ${kind.toLowerCase()} already exists.`);
  }
  list.push(b);
  return b;
}

const IMAGE = {
  nodeAgentSKUId: 'batch.node.ubuntu 24.04',
  osType: 'linux',
  verificationType: 'verified',
  capabilities: [],
  imageReference: { publisher: 'canonical', offer: 'ubuntu-24_04-lts', sku: 'server', version: 'latest' },
};

export const accountRoutes: Array<[string, string, Handler]> = [
  ['GET', '/applications', (f, r) => listReply(f, r, 'applications', [])],
  ['GET', '/supportedimages', (f, r) => listReply(f, r, 'supportedimages', [IMAGE])],
  ['GET', '/pools/{poolId}/nodes', (f, r) => listReply(f, r, 'nodes', nodesOf(f, r.params.poolId))],
  ['GET', '/pools/{poolId}/nodes/{nodeId}', (f, r) => entityReply(f, 'nodes', nodeOf(f, r))],
  [
    'GET',
    '/pools/{poolId}/nodes/{nodeId}/remoteloginsettings',
    (f, r) => {
      nodeOf(f, r);
      return entityReply(f, 'Microsoft.Azure.Batch.Protocol.Entities.ComputeNodeGetRemoteLoginSettingsResult', {
        remoteLoginIPAddress: '127.0.0.1',
        remoteLoginPort: 22,
      } as never);
    },
  ],
  [
    'GET',
    '/pools/{poolId}/nodes/{nodeId}/extensions',
    (f, r) => {
      nodeOf(f, r);
      return listReply(f, r, 'extensions', []);
    },
  ],
  [
    'PUT',
    '/pools/{poolId}/nodes/{nodeId}/users/{userName}',
    (f, r) => {
      nodeOf(f, r);
      record(r.body, 'updateOptions');
      return {
        status: 200,
        headers: {
          DataServiceId: `${f.baseUrl}/pools/${r.params.poolId}/nodes/${r.params.nodeId}/users/${r.params.userName}`,
        },
      };
    },
  ],
  [
    'POST',
    '/pools/{poolId}/nodes/{nodeId}/uploadbatchservicelogs',
    (f, r) => {
      nodeOf(f, r);
      if (typeof record(r.body, 'uploadOptions').containerUrl !== 'string') throw missingProperty('containerUrl');
      // This machine's node agent keeps no service logs: nothing to upload.
      return entityReply(f, 'Microsoft.Azure.Batch.Protocol.Entities.UploadBatchServiceLogsResult', {
        virtualDirectoryName: `local/${r.params.nodeId}/${new Date(f.core.now()).toISOString()}`,
        numberOfFilesUploaded: 0,
      } as never);
    },
  ],
  [
    'POST',
    '/certificates',
    (f, r) => {
      add(f.store.certificates, r.body, 'thumbprint', 'Certificate');
      f.store.save();
      return created(f, '/certificates');
    },
  ],
  [
    'DELETE',
    '/certificates(thumbprintAlgorithm={algorithm},thumbprint={thumbprint})',
    (f, r) => {
      const i = f.store.certificates.findIndex(
        (c) => String(c.thumbprint).toLowerCase() === r.params.thumbprint.toLowerCase(),
      );
      if (i < 0) throw notFound('Certificate', r.params.thumbprint);
      f.store.certificates.splice(i, 1);
      f.store.save();
      return { status: 202 };
    },
  ],
  [
    'GET',
    '/jobschedules',
    (f, r) =>
      listReply(
        f,
        r,
        'jobschedules',
        f.store.jobSchedules.map((s) => ({
          ...s,
          url: `${f.baseUrl}/jobschedules/${String(s.id)}`,
          state: s.state ?? 'active',
        })),
      ),
  ],
  [
    'POST',
    '/jobschedules',
    (f, r) => {
      add(f.store.jobSchedules, r.body, 'id', 'JobSchedule');
      f.store.save();
      return created(f, `/jobschedules/${String(record(r.body, 'jobSchedule').id)}`);
    },
  ],
  [
    'POST',
    '/jobschedules/{jobScheduleId}/terminate',
    (f, r) => {
      const s = f.store.jobSchedules.find((x) => String(x.id).toLowerCase() === r.params.jobScheduleId.toLowerCase());
      if (!s) throw notFound('JobSchedule', r.params.jobScheduleId);
      s.state = 'completed';
      f.store.save();
      return accepted(f, `/jobschedules/${r.params.jobScheduleId}`);
    },
  ],
];
