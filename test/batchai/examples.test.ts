// Every 2018-05-01 swagger example, replayed over real HTTP to the real client: request path/method/body as
// the example states, responses as the example gives them (202 → poll → final → GET for PUTs).
import { collect } from '../../shared/core/collect';
import { createBatchAiClient, type BatchAiClient } from '../../shared/batchai/client';
import { staticTokenCredential } from '../../shared/http/credential';
import type {
  Cluster,
  Experiment,
  File,
  FileServer,
  Job,
  Operation,
  RemoteLoginInformation,
  Usage,
  Workspace,
} from '../../shared/batchai/types';
import { exampleFiles, fillTemplate, loadExample, replay } from './support/example-replay';
import { startScriptedServer, type ScriptedServer } from './support/scripted-server';

type P = Record<string, string>;
const RG = '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.BatchAI';
const WS = `${RG}/workspaces/{workspaceName}`;
const EXP = `${WS}/experiments/{experimentName}`;
const JOB = `${EXP}/jobs/{jobName}`;
const CL = `${WS}/clusters/{clusterName}`;
const FS = `${WS}/fileServers/{fileServerName}`;

const ws = (p: P) => ({ resourceGroup: p.resourceGroupName, workspace: p.workspaceName });
const exp = (p: P) => ({ ...ws(p), experiment: p.experimentName });
const job = (p: P) => ({ ...exp(p), job: p.jobName });
const cl = (p: P) => ({ ...ws(p), cluster: p.clusterName });
const fsr = (p: P) => ({ ...ws(p), fileServer: p.fileServerName });

interface Case {
  method: string;
  path: string;
  /** The swagger defines a body: the client must send the example's `parameters` as it. */
  sendsBody?: boolean;
  call(c: BatchAiClient, p: P, body: never): Promise<unknown>;
  check(result: never): void;
}

const CASES: Record<string, Case> = {
  'ListOperation.json': {
    method: 'GET',
    path: '/providers/Microsoft.BatchAI/operations',
    call: (c) => collect(c.listOperations()),
    check: (ops: Operation[]) => {
      expect(ops).toHaveLength(26);
      expect(ops[0]).toMatchObject({
        name: 'Microsoft.BatchAI/workspaces/read',
        origin: 'user,system',
        display: { provider: 'Microsoft Batch AI' },
      });
      expect(ops[0]).not.toHaveProperty('properties'); // null on the wire: dropped
    },
  },
  'ListUsages.json': {
    method: 'GET',
    path: '/subscriptions/{subscriptionId}/providers/Microsoft.BatchAI/locations/{location}/usages',
    call: (c, p) => collect(c.listUsages(p.location)),
    check: (u: Usage[]) => {
      expect(u).toHaveLength(17);
      expect(u[0]).toEqual({
        currentValue: 5,
        limit: 20,
        unit: 'Count',
        name: { value: 'Clusters', localizedValue: 'Clusters' },
      });
      expect(u.reduce((s, x) => s + (x.currentValue ?? 0), 0)).toBe(103);
    },
  },
  'ListWorkspace.json': {
    method: 'GET',
    path: '/subscriptions/{subscriptionId}/providers/Microsoft.BatchAI/workspaces',
    call: (c) => collect(c.listWorkspaces()),
    check: (w: Workspace[]) =>
      expect(w.map((x) => [x.name, x.location, x.properties?.provisioningState])).toEqual([
        ['demo_workspace', 'eastus', 'succeeded'],
      ]),
  },
  'ListWorkspaceByResourceGroup.json': {
    method: 'GET',
    path: `${RG}/workspaces`,
    call: (c, p) => collect(c.listWorkspacesByResourceGroup(p.resourceGroupName)),
    check: (w: Workspace[]) =>
      expect(w[0]).toMatchObject({ name: 'demo_workspace', type: 'Microsoft.BatchAI/Workspaces' }),
  },
  'PutWorkspace.json': {
    method: 'PUT',
    path: WS,
    sendsBody: true,
    call: (c, p, body) => c.createWorkspace(ws(p), body),
    check: (w: Workspace) =>
      expect(w).toMatchObject({
        location: 'eastus',
        properties: { creationTime: '2017-09-27T21:50:03.828Z', provisioningState: 'succeeded' },
      }),
  },
  'PatchWorkspace.json': {
    method: 'PATCH',
    path: WS,
    sendsBody: true,
    call: (c, p, body) => c.updateWorkspace(ws(p), body),
    check: (w: Workspace) => expect(w.tags).toEqual({ key1: 'value1' }),
  },
  'DeleteWorkspace.json': {
    method: 'DELETE',
    path: WS,
    call: (c, p) => c.deleteWorkspace(ws(p)),
    check: (r: undefined) => expect(r).toBeUndefined(),
  },
  'GetWorkspace.json': {
    method: 'GET',
    path: WS,
    call: (c, p) => c.getWorkspace(ws(p)),
    check: (w: Workspace) =>
      expect(w).toMatchObject({
        name: 'demo_workspace',
        location: 'eastus',
        properties: { provisioningState: 'succeeded' },
      }),
  },
  'ListExperimentByWorkspace.json': {
    method: 'GET',
    path: `${WS}/experiments`,
    call: (c, p) => collect(c.listExperiments(ws(p))),
    check: (e: Experiment[]) => expect(e.map((x) => x.name)).toEqual(['demo_experiment']),
  },
  'PutExperiment.json': {
    // The example carries a body the swagger does not define for Experiments_Create; the client sends none.
    method: 'PUT',
    path: EXP,
    call: (c, p) => c.createExperiment(exp(p)),
    check: (e: Experiment) =>
      expect(e).toMatchObject({
        name: 'demo_experiment',
        properties: { provisioningStateTransitionTime: '2017-09-27T21:50:03.828Z' },
      }),
  },
  'DeleteExperiment.json': {
    method: 'DELETE',
    path: EXP,
    call: (c, p) => c.deleteExperiment(exp(p)),
    check: (r: undefined) => expect(r).toBeUndefined(),
  },
  'GetExperiment.json': {
    method: 'GET',
    path: EXP,
    call: (c, p) => c.getExperiment(exp(p)),
    check: (e: Experiment) =>
      expect(e.properties).toEqual({
        creationTime: '2017-09-27T22:27:52.611Z',
        provisioningState: 'succeeded',
        provisioningStateTransitionTime: '2017-09-27T22:28:08.327Z',
      }),
  },
  'ListJobByExperiment.json': {
    method: 'GET',
    path: `${EXP}/jobs`,
    call: (c, p) => collect(c.listJobs(exp(p))),
    check: (j: Job[]) => {
      expect(j).toHaveLength(1);
      expect(j[0].properties).toMatchObject({
        executionState: 'running',
        nodeCount: 1,
        toolType: 'custom',
        environmentVariables: [],
        secrets: [],
      });
    },
  },
  'PutJob.json': {
    method: 'PUT',
    path: JOB,
    sendsBody: true,
    call: (c, p, body) => c.createJob(job(p), body),
    check: (j: Job) =>
      expect(j.properties).toMatchObject({
        executionState: 'running',
        outputDirectories: [{ id: 'OUTPUTS', pathSuffix: 'files' }],
        constraints: { maxWallClockTime: 'P7D' },
      }),
  },
  'DeleteJob.json': {
    method: 'DELETE',
    path: JOB,
    call: (c, p) => c.deleteJob(job(p)),
    check: (r: undefined) => expect(r).toBeUndefined(),
  },
  'GetJob.json': {
    method: 'GET',
    path: JOB,
    call: (c, p) => c.getJob(job(p)),
    check: (j: Job) => {
      expect(j.properties?.executionInfo).toEqual({ startTime: '2017-09-27T23:36:54.115Z', errors: [] });
      expect(j.properties?.cluster?.id).toMatch(/\/clusters\/demo_cluster$/);
    },
  },
  'ListOutputFiles.json': {
    method: 'POST',
    path: `${JOB}/listOutputFiles`,
    call: (c, p) => collect(c.listOutputFiles(job(p), { outputDirectoryId: p.outputdirectoryid })),
    check: (f: File[]) => {
      expect(f.map((x) => x.name)).toEqual([
        'stderr-job_prep.txt',
        'stdout-job_prep.txt',
        'stderr.txt',
        'stdout.txt',
        'counters',
      ]);
      expect(f[3].properties).toEqual({ contentLength: 32, lastModified: '2017-09-28T00:22:19.000Z' });
      expect(f[4].fileType).toBe('directory');
    },
  },
  'JobListRemoteLoginInfo.json': {
    method: 'POST',
    path: `${JOB}/listRemoteLoginInformation`,
    call: (c, p) => collect(c.listJobRemoteLoginInformation(job(p))),
    check: (r: RemoteLoginInformation[]) =>
      expect(r).toEqual([{ nodeId: 'tvm-3601533753_1-20170719t162906z', ipAddress: '13.84.190.124', port: 50000 }]),
  },
  'TerminateJob.json': {
    method: 'POST',
    path: `${JOB}/terminate`,
    call: (c, p) => c.terminateJob(job(p)),
    check: (r: undefined) => expect(r).toBeUndefined(),
  },
  'PutFileServer.json': {
    method: 'PUT',
    path: FS,
    sendsBody: true,
    call: (c, p, body) => c.createFileServer(fsr(p), body),
    check: (f: FileServer) =>
      expect(f.properties).toMatchObject({
        mountSettings: { mountPoint: '/mnt/data' },
        dataDisks: { diskCount: 2, diskSizeInGB: 10 },
      }),
  },
  'DeleteFileServer.json': {
    method: 'DELETE',
    path: FS,
    call: (c, p) => c.deleteFileServer(fsr(p)),
    check: (r: undefined) => expect(r).toBeUndefined(),
  },
  'GetFileServer.json': {
    method: 'GET',
    path: FS,
    call: (c, p) => c.getFileServer(fsr(p)),
    check: (f: FileServer) =>
      expect(f).toMatchObject({
        name: 'fileservercedd134b',
        properties: { provisioningState: 'succeeded', vmSize: 'STANDARD_NC6' },
      }),
  },
  'ListFileServerByWorkspace.json': {
    method: 'GET',
    path: `${WS}/fileServers`,
    call: (c, p) => collect(c.listFileServers(ws(p))),
    check: (f: FileServer[]) => expect(f[0].properties?.dataDisks?.storageAccountType).toBe('Standard_LRS'),
  },
  'PutCluster.json': {
    method: 'PUT',
    path: CL,
    sendsBody: true,
    call: (c, p, body) => c.createCluster(cl(p), body),
    check: (k: Cluster) =>
      expect(k.properties).toMatchObject({
        vmSize: 'STANDARD_NC6',
        scaleSettings: { manual: { targetNodeCount: 1 } },
        errors: [],
      }),
  },
  'PatchCluster.json': {
    method: 'PATCH',
    path: CL,
    sendsBody: true,
    call: (c, p, body: { properties: { scaleSettings: object } }) =>
      c.updateClusterScale(cl(p), body.properties.scaleSettings),
    check: (k: Cluster) =>
      expect(k.properties?.scaleSettings).toEqual({
        autoScale: { minimumNodeCount: 0, maximumNodeCount: 10, initialNodeCount: 0 },
      }),
  },
  'DeleteCluster.json': {
    method: 'DELETE',
    path: CL,
    call: (c, p) => c.deleteCluster(cl(p)),
    check: (r: undefined) => expect(r).toBeUndefined(),
  },
  'GetCluster.json': {
    method: 'GET',
    path: CL,
    call: (c, p) => c.getCluster(cl(p)),
    check: (k: Cluster) =>
      expect(k.properties).toMatchObject({
        allocationState: 'resizing',
        currentNodeCount: 0,
        nodeStateCounts: { idleNodeCount: 0 },
      }),
  },
  'ClusterListRemoteLoginInfo.json': {
    method: 'POST',
    path: `${CL}/listRemoteLoginInformation`,
    call: (c, p) => collect(c.listClusterRemoteLoginInformation(cl(p))),
    check: (r: RemoteLoginInformation[]) => expect(r.map((x) => x.port)).toEqual([50000, 50001]),
  },
  'ListClusterByWorkspace.json': {
    method: 'GET',
    path: `${WS}/clusters`,
    call: (c, p) => collect(c.listClusters(ws(p))),
    check: (k: Cluster[]) =>
      expect(k.map((x) => [x.name, x.properties?.vmPriority])).toEqual([['demo_cluster', 'dedicated']]),
  },
};

let server: ScriptedServer;
beforeAll(async () => {
  server = await startScriptedServer(() => ({ status: 500 }));
});
afterAll(() => server.close());

test('every example file has a case (and every case a file)', () => {
  expect(Object.keys(CASES).sort()).toEqual(exampleFiles());
});

test.each(exampleFiles())('%s', async (file) => {
  const example = loadExample(file);
  const c = CASES[file];
  const p = { subscriptionId: '00000000-0000-0000-0000-000000000000', ...example.parameters } as P;
  const path = fillTemplate(c.path, p);
  server.log.length = 0;
  server.script = replay(example, c.method, path, server.url);
  // maxDelayMs caps the examples' "Retry-After: 15" so the replay takes milliseconds.
  const client = createBatchAiClient({
    endpoint: server.url,
    subscriptionId: p.subscriptionId,
    credential: staticTokenCredential('t0ken'),
    retry: { maxRetries: 0, maxDelayMs: 5 },
  });
  const result = await c.call(client, p, example.parameters.parameters as never);
  c.check(result as never);

  const first = server.log[0];
  expect([first.method, first.path, first.query.get('api-version')]).toEqual([c.method, path, '2018-05-01']);
  expect(first.authorization).toBe('Bearer t0ken');
  if (c.sendsBody) expect(JSON.parse(first.body)).toEqual(example.parameters.parameters);
  const steps = server.log.map((r) => r.method);
  if (example.responses['202']) {
    expect(steps.length).toBeGreaterThanOrEqual(2); // initial 202, then the poll on Location (then the GET for PUTs)
    expect(server.log[1].path).toMatch(/\/operationresults\//);
  } else {
    expect(steps).toEqual([c.method]);
  }
});
