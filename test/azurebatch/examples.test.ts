// Every Azure Batch example in the fixtures (2025-06-01.21.0, and older ones where the 2025 example is
// missing), replayed over real HTTP to the real client: the request must be the example's (method, path,
// body, api-version 2025-06-01.21.0, Shared Key signed), and the example's response must parse.
import { collect } from '../../shared/core/collect';
import { createBatchClient, type BatchClient } from '../../shared/azurebatch/client';
import type {
  AutoScaleRun,
  BatchJob,
  BatchNode,
  BatchObject,
  BatchPool,
  BatchTask,
  FileProperties,
  NodeFile,
  PoolNodeCounts,
  SupportedImage,
  TaskCountsResult,
} from '../../shared/azurebatch/types';
import type { FileContent } from '../../shared/azurebatch/task-files';
import { startScriptedServer, type ScriptedServer } from '../batchai/support/scripted-server';
import { batchExampleFiles, fillPath, loadBatchExample } from './support/batch-examples';

type P = Record<string, string>;

interface Case {
  method: string;
  path: string;
  call(c: BatchClient, p: P, body: never): Promise<unknown>;
  check(result: never): void;
}

const none = (r: undefined) => expect(r).toBeUndefined();
const CERT = '/certificates(thumbprintAlgorithm={thumbprintAlgorithm},thumbprint={thumbprint})';
const NODE = '/pools/{poolId}/nodes/{nodeId}';
const FILE = '/jobs/{jobId}/tasks/{taskId}/files/{filePath}';

const CASES: Record<string, Case> = {
  'Applications_ListApplications.json': {
    method: 'GET',
    path: '/applications',
    call: (c) => collect(c.listApplications()),
    check: (a: BatchObject[]) =>
      expect(a).toEqual([{ id: 'my_application_id', versions: ['v1.0'], displayName: 'my_display_name' }]),
  },
  'Certificates_CreateCertificate.json': {
    method: 'POST',
    path: '/certificates',
    call: (c, _p, b) => c.createCertificate(b),
    check: none,
  },
  'Certificates_DeleteCertificate.json': {
    method: 'DELETE',
    path: CERT,
    call: (c, p) => c.deleteCertificate(p.thumbprintAlgorithm, p.thumbprint),
    check: none,
  },
  'JobSchedules_CreateJobSchedule_Basic.json': {
    method: 'POST',
    path: '/jobschedules',
    call: (c, _p, b) => c.createJobSchedule(b),
    check: none,
  },
  'JobSchedules_ListJobSchedules.json': {
    method: 'GET',
    path: '/jobschedules',
    call: (c) => collect(c.listJobSchedules()),
    check: (s: BatchObject[]) => expect(s.map((x) => x.id)).toEqual(['jobSchedule1', 'jobSchedule2']),
  },
  'JobSchedules_TerminateJobSchedule.json': {
    method: 'POST',
    path: '/jobschedules/{jobScheduleId}/terminate',
    call: (c, p) => c.terminateJobSchedule(p.jobScheduleId),
    check: none,
  },
  'Jobs_ListJobPreparationAndReleaseTaskStatus.json': {
    method: 'GET',
    path: '/jobs/{jobId}/jobpreparationandreleasetaskstatus',
    call: (c, p) => collect(c.listJobPreparationAndReleaseTaskStatus(p.jobId)),
    check: (s: BatchObject[]) =>
      expect(s[0]).toMatchObject({
        poolId: 'poolId',
        jobPreparationTaskExecutionInfo: { state: 'completed', exitCode: 0 },
      }),
  },
  'Jobs_TerminateJob.json': {
    method: 'POST',
    path: '/jobs/{jobId}/terminate',
    call: (c, p, b: { terminateReason: string }) => c.terminateJob(p.jobId, { reason: b.terminateReason }),
    check: none,
  },
  'Jobs_UpdateJob.json': {
    method: 'PATCH',
    path: '/jobs/{jobId}',
    call: (c, p, b) => c.updateJob(p.jobId, b),
    check: none,
  },
  'Nodes_GetNode.json': {
    method: 'GET',
    path: NODE,
    call: (c, p) => c.getNode(p.poolId, p.nodeId),
    check: (n: BatchNode) =>
      expect(n).toMatchObject({ id: 'tvm-1695681911_2-20161122t193202z', state: 'idle', vmSize: 'small' }),
  },
  'Nodes_GetNodeRemoteLoginSettings.json': {
    method: 'GET',
    path: `${NODE}/remoteloginsettings`,
    call: (c, p) => c.getNodeRemoteLoginSettings(p.poolId, p.nodeId),
    check: (s: BatchObject) => expect(s).toEqual({ remoteLoginIPAddress: '1.1.1.1', remoteLoginPort: 50000 }),
  },
  'Nodes_ListNodeExtensions.json': {
    method: 'GET',
    path: `${NODE}/extensions`,
    call: (c, p) => collect(c.listNodeExtensions(p.poolId, p.nodeId)),
    check: (x: BatchObject[]) => expect(x).toHaveLength(2),
  },
  'Nodes_ListNodes.json': {
    method: 'GET',
    path: '/pools/{poolId}/nodes',
    call: (c, p) => collect(c.listNodes(p.poolId)),
    check: (n: BatchNode[]) => expect(n.map((x) => x.state)).toEqual(['idle', 'idle', 'idle']),
  },
  'Nodes_ReplaceNodeUser.json': {
    method: 'PUT',
    path: `${NODE}/users/{userName}`,
    call: (c, p, b) => c.replaceNodeUser(p.poolId, p.nodeId, p.userName, b),
    check: none,
  },
  'Nodes_UploadNodeLogs.json': {
    method: 'POST',
    path: `${NODE}/uploadbatchservicelogs`,
    call: (c, p, b) => c.uploadNodeLogs(p.poolId, p.nodeId, b),
    check: (r: BatchObject) => expect(r.numberOfFilesUploaded).toBe(8),
  },
  'Pools_CreatePool_AcceleratedNetworking.json': {
    method: 'POST',
    path: '/pools',
    call: (c, _p, b) => c.createPool(b),
    check: none,
  },
  'Pools_CreatePool_ResourceTags.json': {
    method: 'POST',
    path: '/pools',
    call: (c, _p, b) => c.createPool(b),
    check: none,
  },
  'Pools_CreatePool_VirtualMachineConfiguration.json': {
    method: 'POST',
    path: '/pools',
    call: (c, _p, b) => c.createPool(b),
    check: none,
  },
  'Pools_EnablePoolAutoscale.json': {
    method: 'POST',
    path: '/pools/{poolId}/enableautoscale',
    call: (c, p, b) => c.enablePoolAutoScale(p.poolId, b),
    check: none,
  },
  'Pools_GetPool_Basic.json': {
    method: 'GET',
    path: '/pools/{poolId}',
    call: (c, p) => c.getPool(p.poolId),
    check: (x: BatchPool) =>
      expect(x).toMatchObject({
        id: 'pool',
        eTag: '0x8D413091E739A56',
        allocationState: 'steady',
        targetDedicatedNodes: 0,
        enableAutoScale: false,
      }),
  },
  'Pools_GetPool_SecurityProfile.json': {
    method: 'GET',
    path: '/pools/{poolId}',
    call: (c, p) => c.getPool(p.poolId),
    check: (x: BatchPool) => expect(x.virtualMachineConfiguration).toHaveProperty('securityProfile'),
  },
  'Pools_ListPools_Basic.json': {
    method: 'GET',
    path: '/pools',
    call: (c) => collect(c.listPools()),
    check: (x: BatchPool[]) => expect(x.map((y) => [y.id, y.state])).toEqual([['testPool', 'active']]),
  },
  'Pools_PoolExists.json': {
    method: 'HEAD',
    path: '/pools/{poolId}',
    call: (c, p) => c.poolExists(p.poolId),
    check: (r: boolean) => expect(r).toBe(true),
  },
  'Pools_RemoveNodes.json': {
    method: 'POST',
    path: '/pools/{poolId}/removenodes',
    call: (c, p, b) => c.removeNodes(p.poolId, b),
    check: none,
  },
  'Tasks_CreateTask_ContainerSettings.json': {
    method: 'POST',
    path: '/jobs/{jobId}/tasks',
    call: (c, p, b) => c.createTask(p.jobId, b),
    check: none,
  },
  'Tasks_CreateTask_ContainerSettingsWithDataIsolation_DuplicateSources.json': {
    method: 'POST',
    path: '/jobs/{jobId}/tasks',
    call: (c, p, b) => c.createTask(p.jobId, b),
    check: none,
  },
  'Tasks_DeleteTaskFile.json': {
    method: 'DELETE',
    path: FILE,
    call: (c, p) => c.deleteTaskFile(p.jobId, p.taskId, p.filePath, { recursive: p.recursive as unknown as boolean }),
    check: none,
  },
  'Tasks_GetTask.json': {
    method: 'GET',
    path: '/jobs/{jobId}/tasks/{taskId}',
    call: (c, p) => c.getTask(p.jobId, p.taskId),
    check: (t: BatchTask) =>
      expect(t).toMatchObject({ id: 'testTask', state: 'active', multiInstanceSettings: { numberOfInstances: 3 } }),
  },
  'Tasks_GetTaskFile.json': {
    method: 'GET',
    path: FILE,
    call: (c, p) => c.getTaskFile(p.jobId, p.taskId, p.filePath),
    check: (f: FileContent) => {
      expect(f.bytes.toString('utf8')).toMatch(/^This is actually a byte stream\./);
      expect(f.properties).toMatchObject({
        isDirectory: false,
        lastModified: 'Fri, 17 Feb 2017 00:00:00 GMT',
        contentLength: f.bytes.length,
      });
    },
  },
  'Tasks_GetTaskFileProperties.json': {
    method: 'HEAD',
    path: FILE,
    call: (c, p) => c.getTaskFileProperties(p.jobId, p.taskId, p.filePath),
    check: (f: FileProperties) =>
      expect(f).toMatchObject({ contentLength: 17, isDirectory: false, creationTime: 'Fri, 17 Feb 2017 00:00:00 GMT' }),
  },
  'Tasks_ListTaskFiles.json': {
    method: 'GET',
    path: '/jobs/{jobId}/tasks/{taskId}/files',
    call: (c, p) => collect(c.listTaskFiles(p.jobId, p.taskId, { recursive: false })),
    check: (f: NodeFile[]) =>
      expect(f.map((x) => [x.name, x.properties?.contentLength])).toEqual([
        ['startup\\ProcessEnv.cmd', 1813],
        ['startup\\stderr.txt', 0],
      ]),
  },
  'Tasks_ListTasks.json': {
    method: 'GET',
    path: '/jobs/{jobId}/tasks',
    call: (c, p) => collect(c.listTasks(p.jobId)),
    check: (t: BatchTask[]) => expect(t.map((x) => x.id)).toEqual(['task1', 'task2']),
  },
  'Tasks_ReplaceTask.json': {
    method: 'PUT',
    path: '/jobs/{jobId}/tasks/{taskId}',
    call: (c, p, b) => c.replaceTask(p.jobId, p.taskId, b),
    check: none,
  },
  'older/2024-02-01.19.0/Jobs_DeleteJob.json': {
    method: 'DELETE',
    path: '/jobs/{jobId}',
    call: (c, p) => c.deleteJob(p.jobId),
    check: none,
  },
  'older/2024-02-01.19.0/Jobs_GetJob.json': {
    method: 'GET',
    path: '/jobs/{jobId}',
    call: (c, p) => c.getJob(p.jobId),
    check: (j: BatchJob) =>
      expect(j).toMatchObject({
        state: 'completed',
        executionInfo: { terminateReason: 'UserTerminate' },
        poolInfo: { poolId: 'poolId' },
      }),
  },
  'older/2024-02-01.19.0/Jobs_ListJobs.json': {
    method: 'GET',
    path: '/jobs',
    call: (c) => collect(c.listJobs()),
    check: (j: BatchJob[]) => expect(j.map((x) => [x.id, x.state])).toEqual([['jobId', 'active']]),
  },
  'older/2024-02-01.19.0/Pools_EvaluatePoolAutoscale.json': {
    method: 'POST',
    path: '/pools/{poolId}/evaluateautoscale',
    call: (c, p, b: { autoScaleFormula: string }) => c.evaluatePoolAutoScale(p.poolId, b.autoScaleFormula),
    check: (r: AutoScaleRun) =>
      expect(r).toEqual({
        timestamp: '2016-11-22T19:39:28.5246331Z',
        results: '$TargetDedicated=1;$NodeDeallocationOption=requeue',
      }),
  },
  'older/2024-02-01.19.0/Pools_ListPoolNodeCounts.json': {
    method: 'GET',
    path: '/nodecounts',
    call: (c) => collect(c.listPoolNodeCounts()),
    check: (n: PoolNodeCounts[]) =>
      expect(n.map((x) => [x.poolId, x.dedicated?.idle, x.lowPriority?.running])).toEqual([
        ['pool1', 0, 2],
        ['pool2', 1, 0],
        ['pool3', 5, 4],
      ]),
  },
  'older/2024-02-01.19.0/Pools_StopPoolResize.json': {
    method: 'POST',
    path: '/pools/{poolId}/stopresize',
    call: (c, p) => c.stopPoolResize(p.poolId),
    check: none,
  },
  'older/2024-02-01.19.0/Tasks_TerminateTask.json': {
    method: 'POST',
    path: '/jobs/{jobId}/tasks/{taskId}/terminate',
    call: (c, p) => c.terminateTask(p.jobId, p.taskId),
    check: none,
  },
  'older/2024-07-01.20.0/AccountListSupportedImages.json': {
    method: 'GET',
    path: '/supportedimages',
    call: (c) => collect(c.listSupportedImages()),
    check: (i: SupportedImage[]) =>
      expect(i[0]).toMatchObject({ nodeAgentSKUId: 'batch.node.centos 7', osType: 'linux' }),
  },
  'older/2024-07-01.20.0/JobAdd_Basic.json': {
    method: 'POST',
    path: '/jobs',
    call: (c, _p, b) => c.createJob(b),
    check: none,
  },
  'older/2024-07-01.20.0/JobGetTaskCounts.json': {
    method: 'GET',
    path: '/jobs/{jobId}/taskcounts',
    call: (c, p) => c.getJobTaskCounts(p.jobId),
    check: (t: TaskCountsResult) =>
      expect(t.taskCounts).toEqual({ active: 5, running: 7, completed: 4, succeeded: 2, failed: 2 }),
  },
  'older/2024-07-01.20.0/PoolDelete.json': {
    method: 'DELETE',
    path: '/pools/{poolId}',
    call: (c, p) => c.deletePool(p.poolId),
    check: none,
  },
  'older/2024-07-01.20.0/PoolDisableAutoScale.json': {
    method: 'POST',
    path: '/pools/{poolId}/disableautoscale',
    call: (c, p) => c.disablePoolAutoScale(p.poolId),
    check: none,
  },
  'older/2024-07-01.20.0/PoolResize.json': {
    method: 'POST',
    path: '/pools/{poolId}/resize',
    call: (c, p, b) => c.resizePool(p.poolId, b),
    check: none,
  },
  'older/2024-07-01.20.0/TaskAdd_Basic.json': {
    method: 'POST',
    path: '/jobs/{jobId}/tasks',
    call: (c, p, b) => c.createTask(p.jobId, b),
    check: none,
  },
  'older/2024-07-01.20.0/TaskDelete.json': {
    method: 'DELETE',
    path: '/jobs/{jobId}/tasks/{taskId}',
    call: (c, p) => c.deleteTask(p.jobId, p.taskId),
    check: none,
  },
};

const KEY = Buffer.from('example-account-key').toString('base64');
let server: ScriptedServer;
beforeAll(async () => {
  server = await startScriptedServer(() => ({ status: 500 }));
});
afterAll(() => server.close());

function client(): BatchClient {
  return createBatchClient({
    endpoint: server.url,
    auth: { accountName: 'account', accountKey: KEY },
    retry: { maxRetries: 0 },
  });
}

test('every example file has a case (and every case a file)', () => {
  expect(Object.keys(CASES).sort()).toEqual(batchExampleFiles().sort());
});

test.each(batchExampleFiles())('%s', async (file) => {
  const example = loadBatchExample(file);
  const c = CASES[file];
  const p = example.parameters as P;
  const path = fillPath(c.path, p);
  const ok = example.responses[0];
  // A next page the example links to is moved onto this server and answered empty.
  const body = structuredClone(ok.body) as Record<string, unknown> | undefined;
  const next = typeof body?.['odata.nextLink'] === 'string' ? new URL(body['odata.nextLink'] as string) : undefined;
  if (next && body) body['odata.nextLink'] = `${server.url}${next.pathname}${next.search}`;
  server.log.length = 0;
  server.script = (req) => {
    if (next && req.method === 'GET' && req.path === next.pathname) return { status: 200, body: { value: [] } };
    if (req.method !== c.method || req.path !== path)
      return { status: 404, body: { code: 'NoRoute', message: { value: `unexpected ${req.method} ${req.path}` } } };
    // A body's real length replaces the example's (the examples abbreviate file contents).
    const headers = { ...ok.headers };
    if (ok.body !== undefined) delete headers['Content-Length'];
    return { status: ok.status, headers, body };
  };
  const result = await c.call(client(), p, example.body as never);
  c.check(result as never);

  expect(server.log).toHaveLength(next ? 2 : 1);
  const sent = server.log[0];
  expect([sent.method, sent.path, sent.query.get('api-version')]).toEqual([c.method, path, '2025-06-01.21.0']);
  expect(sent.authorization).toMatch(/^SharedKey account:[A-Za-z0-9+/]+=*$/);
  if (example.body !== undefined) expect(JSON.parse(sent.body)).toEqual(example.body);
  else expect(sent.body).toBe('');
  if (p.recursive !== undefined) expect(sent.query.get('recursive')).toBe(String(p.recursive));
});

test('Pools_PoolExists.json: its 404 answer means false', async () => {
  const example = loadBatchExample('Pools_PoolExists.json');
  expect(example.responses.map((r) => r.status)).toEqual([200, 404]);
  server.script = () => ({ status: 404 });
  await expect(client().poolExists(example.parameters.poolId as string)).resolves.toBe(false);
});
