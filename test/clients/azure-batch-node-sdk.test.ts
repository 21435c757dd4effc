// Microsoft's Node SDK for Azure Batch (`@azure/batch` 10.2.0 from npm, api 2022-10-01.16.0, unmodified) through
// a whole lifecycle against the engine's Batch facade: each test is one step, in order, on the same account.
// Pools (an image reference read back as given, ETag and DataServiceVersion on add), jobs, a task with resource
// files from Azurite (a blob SAS, a container SAS with a prefix) and from plain http on loopback, a task
// collection, a multi-instance task and its subtasks, ranged reads answered 200, a failed fetch, auto-scale
// with autoScaleRun, paging with maxResults, and the errors 404, 409, 403, 412.
import { BatchServiceClient, BatchSharedKeyCredentials, type BatchServiceModels } from '@azure/batch';
import { waitFor } from '../support/wait-for';
import { INPUTS, useBatchWorld } from './support/batch-world';

const world = useBatchWorld();
let client: BatchServiceClient;
const IMAGE = { publisher: 'canonical', offer: '0001-com-ubuntu-server-jammy', sku: '22_04-lts', version: 'latest' };

beforeAll(() => {
  client = new BatchServiceClient(new BatchSharedKeyCredentials(world.account, world.key), world.url);
});

async function completed(jobId: string, taskId: string): Promise<BatchServiceModels.CloudTask> {
  return waitFor(`task ${jobId}/${taskId} completed`, async () => {
    const t = await client.task.get(jobId, taskId);
    return t.state === 'completed' ? t : undefined;
  });
}

async function text(jobId: string, taskId: string, path: string, range?: string): Promise<[number, string]> {
  const r = await client.file.getFromTask(jobId, taskId, path, { fileGetFromTaskOptions: { ocpRange: range } });
  const chunks: Buffer[] = [];
  for await (const c of r.readableStreamBody!) chunks.push(Buffer.from(c as Buffer));
  return [r._response.status, Buffer.concat(chunks).toString('utf8')];
}

/** A blob's URL under a container SAS URL (the container's signature reads any blob in it). */
function blobIn(containerSasUrl: string, name: string): string {
  const u = new URL(containerSasUrl);
  u.pathname += `/${name}`;
  return u.href;
}

async function failure(p: Promise<unknown>): Promise<{ statusCode?: number; code?: string; body?: { code?: string } }> {
  return p.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (e: { statusCode?: number; code?: string; body?: { code?: string } }) => e,
  );
}

test('pool add answers 201 with ETag, Last-Modified, DataServiceVersion and Location', async () => {
  const r = await client.pool.add({
    id: 'sdk',
    vmSize: 'standard_d2s_v3',
    virtualMachineConfiguration: { imageReference: IMAGE, nodeAgentSKUId: 'batch.node.ubuntu 22.04' },
    targetDedicatedNodes: 2,
  });
  expect(r._response.status).toBe(201);
  expect(r.eTag).toMatch(/^0x/);
  expect(r.lastModified).toBeInstanceOf(Date);
  expect(r._response.headers.get('dataserviceversion')).toBe('3.0');
  expect(r._response.headers.get('location')).toBe(`${world.url}/pools/sdk`);
  expect(r.requestId).toBeTruthy();
});

test('the pool reads back its image as given, and reaches 2 nodes', async () => {
  expect((await client.pool.exists('sdk')).body).toBe(true);
  const p = await waitFor('pool sdk steady with 2 nodes', async () => {
    const x = await client.pool.get('sdk');
    return x.allocationState === 'steady' && x.currentDedicatedNodes === 2 ? x : undefined;
  });
  expect(p.virtualMachineConfiguration).toEqual({ imageReference: IMAGE, nodeAgentSKUId: 'batch.node.ubuntu 22.04' });
});

test('client-request-id is echoed when asked', async () => {
  const id = '9c4f2e1a-0000-4000-8000-000000000001';
  const r = await client.pool.get('sdk', { poolGetOptions: { clientRequestId: id, returnClientRequestId: true } });
  expect(r._response.headers.get('client-request-id')).toBe(id);
});

test('job add', async () => {
  const r = await client.job.add({ id: 'job1', poolInfo: { poolId: 'sdk' } });
  expect(r._response.status).toBe(201);
  expect(r.eTag).toMatch(/^0x/);
});

test('a task gets its resource files (blob SAS, container + prefix, loopback http) with their modes', async () => {
  await client.task.add('job1', {
    id: 'files',
    commandLine:
      '/bin/bash -c \'cat a.txt in/inputs/a.txt in/inputs/b.txt served.txt; stat -c %a a.txt; ls in | tr "\\n" " "\'',
    resourceFiles: [
      { httpUrl: world.blobSasUrl, filePath: 'a.txt', fileMode: '0640' },
      { storageContainerUrl: world.containerSasUrl, blobPrefix: 'inputs/', filePath: 'in' },
      { httpUrl: world.httpUrl, filePath: 'served.txt' },
    ],
  });
  const t = await completed('job1', 'files');
  expect(t.executionInfo).toMatchObject({ exitCode: 0, result: 'success' });
  expect(t.resourceFiles?.length).toBe(3);
  const [, out] = await text('job1', 'files', 'stdout.txt');
  expect(out).toBe(
    `${INPUTS['inputs/a.txt']}${INPUTS['inputs/a.txt']}${INPUTS['inputs/b.txt']}served over http\n640\ninputs `,
  );
});

test('a ranged read answers 200 with the bytes asked for', async () => {
  const [status, bytes] = await text('job1', 'files', 'stdout.txt', 'bytes=6-10');
  expect(status).toBe(200);
  expect(bytes).toBe('alpha');
  const props = await client.file.getPropertiesFromTask('job1', 'files', 'stdout.txt');
  expect(props.contentLength).toBeGreaterThan(10);
});

test('a resource file that cannot be fetched fails the task with failureInfo', async () => {
  await client.task.add('job1', {
    id: 'missing',
    commandLine: '/bin/true',
    resourceFiles: [{ httpUrl: blobIn(world.containerSasUrl, 'inputs/none.txt'), filePath: 'x.txt' }],
  });
  const t = await completed('job1', 'missing');
  expect(t.executionInfo).toMatchObject({
    result: 'failure',
    failureInfo: { category: 'usererror', code: 'BlobNotFound' },
  });
  expect(t.executionInfo?.exitCode).toBeUndefined();
});

test('a task collection adds each task and answers a status per task', async () => {
  const r = await client.task.addCollection('job1', [
    { id: 'c1', commandLine: '/bin/echo one' },
    { id: 'c2', commandLine: '/bin/echo two' },
    { id: 'files', commandLine: '/bin/true' },
  ]);
  expect(r._response.status).toBe(200);
  const byId = Object.fromEntries((r.value ?? []).map((x) => [x.taskId, x]));
  expect(byId.c1).toMatchObject({ status: 'success', eTag: expect.stringMatching(/^0x/) });
  expect(byId.c2.status).toBe('success');
  expect(byId.files).toMatchObject({ status: 'clienterror', error: { code: 'TaskExists' } });
  expect((await completed('job1', 'c2')).executionInfo?.exitCode).toBe(0);
});

test('a multi-instance task runs on 2 nodes and lists its subtask', async () => {
  await client.task.add('job1', {
    id: 'mpi',
    commandLine: '/bin/bash -c "cat c.txt; echo $AZ_BATCH_HOST_LIST"',
    multiInstanceSettings: { numberOfInstances: 2, coordinationCommandLine: '/bin/bash -c "echo ready > c.txt"' },
  });
  await completed('job1', 'mpi');
  const sub = await client.task.listSubtasks('job1', 'mpi');
  expect(sub.value).toEqual([expect.objectContaining({ id: 1, state: 'completed', exitCode: 0 })]);
  // The coordination command ran first, in the same working directory.
  expect((await text('job1', 'mpi', 'stdout.txt'))[1]).toBe('ready\n127.0.0.1,127.0.0.1\n');
});

test('task list and file list', async () => {
  const tasks = await client.task.list('job1');
  expect(tasks.map((t) => t.id).sort()).toEqual(['c1', 'c2', 'files', 'missing', 'mpi']);
  const files = await client.file.listFromTask('job1', 'files', { recursive: true });
  expect(files.map((f) => f.name)).toEqual(expect.arrayContaining(['stdout.txt', 'wd/a.txt', 'wd/in/inputs/b.txt']));
});

test('auto-scale: enabling sets autoScaleRun, evaluation answers one', async () => {
  await client.pool.enableAutoScale('sdk', {
    autoScaleFormula: '$TargetDedicatedNodes = 2;',
    autoScaleEvaluationInterval: 'PT5M',
  });
  const p = await client.pool.get('sdk');
  expect(p.enableAutoScale).toBe(true);
  expect(p.autoScaleRun?.timestamp).toBeInstanceOf(Date);
  expect(p.autoScaleRun?.results).toContain('$TargetDedicatedNodes=2');
  const run = await client.pool.evaluateAutoScale('sdk', '$TargetDedicatedNodes = 1;');
  expect(run.results).toContain('$TargetDedicatedNodes=1');
  await client.pool.disableAutoScale('sdk');
  expect((await client.pool.get('sdk')).enableAutoScale).toBe(false);
});

test('paging: maxResults 1 gives a next link that lists the rest', async () => {
  await client.job.add({ id: 'job2', poolInfo: { poolId: 'sdk' } });
  const first = await client.job.list({ jobListOptions: { maxResults: 1 } });
  expect(first.length).toBe(1);
  expect(first.odatanextLink).toBeTruthy();
  const second = await client.job.listNext(first.odatanextLink!);
  expect([...first, ...second].map((j) => j.id).sort()).toEqual(['job1', 'job2']);
});

test('errors: 404 JobNotFound, 409 PoolExists, 403 with a wrong key, 412 on a stale ETag', async () => {
  expect(await failure(client.job.get('nope'))).toMatchObject({ statusCode: 404, code: 'JobNotFound' });
  expect(await failure(client.pool.add({ id: 'sdk', vmSize: 'standard_d2s_v3' }))).toMatchObject({
    statusCode: 409,
    code: 'PoolExists',
  });
  const wrong = new BatchServiceClient(
    new BatchSharedKeyCredentials(world.account, Buffer.from('no').toString('base64')),
    world.url,
  );
  expect(await failure(wrong.pool.get('sdk'))).toMatchObject({ statusCode: 403, code: 'AuthenticationFailed' });
  expect(
    await failure(client.job.patch('job2', { priority: 5 }, { jobPatchOptions: { ifMatch: '0xSTALE' } })),
  ).toMatchObject({ statusCode: 412, code: 'ConditionNotMet' });
});

test('pool patch and updateProperties read back as sent', async () => {
  await client.pool.patch('sdk', { metadata: [{ name: 'team', value: 'ml' }] });
  expect((await client.pool.get('sdk')).metadata).toEqual([{ name: 'team', value: 'ml' }]);
  await client.pool.updateProperties('sdk', {
    certificateReferences: [],
    applicationPackageReferences: [],
    metadata: [{ name: 'team', value: 'ops' }],
  });
  expect((await client.pool.get('sdk')).metadata).toEqual([{ name: 'team', value: 'ops' }]);
  expect(await failure(client.pool.patch('sdk', { startTask: { commandLine: 'true' } }))).toMatchObject({
    statusCode: 400,
    code: 'InvalidPropertyValue',
  });
});

test('job disable (requeue) stops a running task; enable runs it again to its end', async () => {
  await client.task.add('job2', { id: 'long', commandLine: '/bin/bash -c "sleep 1; echo done"' });
  await waitFor('long running', async () => (await client.task.get('job2', 'long')).state === 'running');
  await client.job.disable('job2', 'requeue');
  expect(await client.task.get('job2', 'long')).toMatchObject({ state: 'active' });
  expect((await client.job.get('job2')).state).toBe('disabled');
  await client.job.enable('job2');
  expect((await completed('job2', 'long')).executionInfo?.exitCode).toBe(0);
  expect((await text('job2', 'long', 'stdout.txt'))[1]).toBe('done\n');
});

test('a failed task reactivated runs again', async () => {
  const once = '"$AZ_BATCH_NODE_MOUNTS_DIR/once-sdk"';
  await client.task.add('job2', {
    id: 'flaky',
    commandLine: `/bin/bash -c 'if [ -e ${once} ]; then echo second; else touch ${once}; exit 3; fi'`,
  });
  expect((await completed('job2', 'flaky')).executionInfo?.exitCode).toBe(3);
  await client.task.reactivate('job2', 'flaky');
  expect((await completed('job2', 'flaky')).executionInfo).toMatchObject({ exitCode: 0, result: 'success' });
  expect(await failure(client.task.reactivate('job2', 'flaky'))).toMatchObject({ statusCode: 409 });
});

test('a task that exits nonzero is retried up to maxTaskRetryCount', async () => {
  // Fails on its first two runs, succeeds on the third (a count kept on the pool's mounts folder).
  const count = '"$AZ_BATCH_NODE_MOUNTS_DIR/runs-sdk"';
  await client.task.add('job2', {
    id: 'retried',
    commandLine: `/bin/bash -c 'echo x >> ${count}; [ $(wc -l < ${count}) -ge 3 ]'`,
    constraints: { maxTaskRetryCount: 2 },
  });
  expect((await completed('job2', 'retried')).executionInfo).toMatchObject({
    exitCode: 0,
    result: 'success',
    retryCount: 2,
  });
  await client.task.add('job2', {
    id: 'gives-up',
    commandLine: '/bin/false',
    constraints: { maxTaskRetryCount: 1 },
  });
  expect((await completed('job2', 'gives-up')).executionInfo).toMatchObject({ exitCode: 1, retryCount: 1 });
});

test('job update (PUT) replaces its properties', async () => {
  await client.job.update('job2', { poolInfo: { poolId: 'sdk' }, priority: 7 });
  expect((await client.job.get('job2')).priority).toBe(7);
});

test('terminate and delete the jobs, delete the pool', async () => {
  await client.job.terminate('job2');
  await waitFor('job2 completed', async () => (await client.job.get('job2')).state === 'completed');
  await client.job.deleteMethod('job1');
  await client.job.deleteMethod('job2');
  await waitFor('jobs gone', async () => (await client.job.list()).length === 0);
  await client.pool.deleteMethod('sdk');
  await waitFor('pool gone', async () => !(await client.pool.exists('sdk')).body);
});
