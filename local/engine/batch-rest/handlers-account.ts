// The rest of the account as a single machine shows it: the pool's nodes (this machine, once per node the
// cluster has), supported images; certificates, job schedules and remote login are refused (unsupported.ts);
// those a store written before that holds can still be listed and deleted or terminated.
import type { BatchObject } from '../../../shared/azurebatch/types';
import { missingProperty, notFound } from './batch-http-error';
import type { BatchFacade, BatchRequest, Handler } from './facade';
import { poolOf } from './handlers-pools';
import { accepted, listReply, record } from './replies';
import { featureNotSupported } from './unsupported';
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

/** Remote login needs a node to log in to: this machine is not one a client should be handed. */
const remoteLogin: Handler = (f, r) => {
  nodeOf(f, r);
  throw featureNotSupported('remote login to a node', 'read task files through the API, or run the command as a task');
};

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
  ['GET', '/pools/{poolId}/nodes/{nodeId}/remoteloginsettings', remoteLogin],
  [
    'GET',
    '/pools/{poolId}/nodes/{nodeId}/extensions',
    (f, r) => {
      nodeOf(f, r);
      return listReply(f, r, 'extensions', []);
    },
  ],
  ['POST', '/pools/{poolId}/nodes/{nodeId}/users', remoteLogin],
  ['PUT', '/pools/{poolId}/nodes/{nodeId}/users/{userName}', remoteLogin],
  ['DELETE', '/pools/{poolId}/nodes/{nodeId}/users/{userName}', remoteLogin],
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
  ['GET', '/certificates', (f, r) => listReply(f, r, 'certificates', f.store.certificates)],
  [
    'POST',
    '/certificates',
    () => {
      throw featureNotSupported('certificates', 'give a task what it needs through resourceFiles or its environment');
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
    () => {
      throw featureNotSupported('job schedules', 'add the job when it is due (cron, a timer) with POST /jobs');
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
