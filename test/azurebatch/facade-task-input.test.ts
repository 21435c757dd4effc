// Bad task input gets the service's error before anything runs: resource files that cannot be fetched here
// (auto-storage, a managed identity, plain http off this machine, a path out of the working directory, no
// filePath for an httpUrl, a mode that is not octal), parts that would not run (dependencies), and task
// collections over 100 tasks (RequestBodyTooLarge, which the SDKs answer with smaller chunks) or with a bad
// task among good ones (that task's own error, the others added).
import type { HttpMethods } from '@azure/core-rest-pipeline';
import { createBatchHttp, type BatchHttp } from '../../shared/azurebatch/pipeline';
import { startEngine, type Engine } from '../../local/engine';
import { FAST, removeDir, tempDir } from '../engine/helpers';

let engine: Engine;
let http: BatchHttp;
beforeAll(async () => {
  engine = await startEngine({
    dataDir: tempDir(),
    timing: FAST,
    batch: { workspace: { subscriptionId: 's', resourceGroup: 'rg', workspace: 'ws' } },
  });
  const auth = { accountName: engine.batch!.account, accountKey: engine.batch!.accountKey };
  http = createBatchHttp({ endpoint: engine.batch!.url, auth, retry: { maxRetries: 0 } });
  await http.send('POST', '/pools', { body: { id: 'p', vmSize: 'standard_d2s_v3', targetDedicatedNodes: 0 } });
  await http.send('POST', '/jobs', { body: { id: 'j', poolInfo: { poolId: 'p' } } });
});
afterAll(async () => {
  await engine?.stop();
  if (engine) removeDir(engine.dataDir);
});

async function refusal(method: HttpMethods, path: string, body: unknown): Promise<unknown> {
  return http.send(method, path, { body }).then(
    (r) => ({ status: r.status }),
    (e: { status: number; code: string; values?: { key?: string; value?: string }[] }) => ({
      status: e.status,
      code: e.code,
      property: e.values?.find((v) => v.key === 'PropertyName')?.value,
    }),
  );
}

const BLOB = 'http://127.0.0.1:10000/devstoreaccount1/c/a.txt?sv=x&sig=y';

test.each([
  ['auto-storage', { autoStorageContainerName: 'c', filePath: 'a' }, 'resourceFiles[0].autoStorageContainerName'],
  [
    'a managed identity',
    { httpUrl: BLOB, filePath: 'a', identityReference: { resourceId: 'x' } },
    'resourceFiles[0].identityReference',
  ],
  ['plain http off this machine', { httpUrl: 'http://example.com/a.txt', filePath: 'a' }, 'resourceFiles[0].httpUrl'],
  ['a path out of the working directory', { httpUrl: BLOB, filePath: '../../a' }, 'resourceFiles[0].filePath'],
  ['an absolute path', { httpUrl: BLOB, filePath: '/etc/a' }, 'resourceFiles[0].filePath'],
  ['no filePath for an httpUrl', { httpUrl: BLOB }, 'resourceFiles[0].filePath'],
  ['a mode that is not octal', { httpUrl: BLOB, filePath: 'a', fileMode: 'rwx' }, 'resourceFiles[0].fileMode'],
  ['two sources', { httpUrl: BLOB, storageContainerUrl: BLOB, filePath: 'a' }, 'resourceFiles[0]'],
])('a resource file with %s is refused', async (_, file, property) => {
  const body = { id: 'bad', commandLine: 'true', resourceFiles: [file] };
  expect(await refusal('POST', '/jobs/j/tasks', body)).toMatchObject({ status: 400, property });
});

test("a multi-instance task's common resource files are refused, not ignored", async () => {
  const body = {
    id: 'mi',
    commandLine: 'true',
    multiInstanceSettings: { numberOfInstances: 1, commonResourceFiles: [{ httpUrl: BLOB, filePath: 'a' }] },
  };
  expect(await refusal('POST', '/jobs/j/tasks', body)).toMatchObject({
    status: 400,
    property: 'multiInstanceSettings.commonResourceFiles',
  });
});

test('task dependencies are refused, not ignored', async () => {
  const body = { id: 'dep', commandLine: 'true', dependsOn: { taskIds: ['a'] } };
  expect(await refusal('POST', '/jobs/j/tasks', body)).toMatchObject({
    status: 400,
    code: 'InvalidPropertyValue',
    property: 'dependsOn',
  });
});

test('a task collection of 101 tasks is RequestBodyTooLarge, and adds none', async () => {
  const value = Array.from({ length: 101 }, (_, i) => ({ id: `t${i}`, commandLine: 'true' }));
  expect(await refusal('POST', '/jobs/j/addtaskcollection', { value })).toMatchObject({
    status: 413,
    code: 'RequestBodyTooLarge',
  });
  const tasks = await http.send('GET', '/jobs/j/tasks');
  expect((tasks.body as { value: unknown[] }).value).toEqual([]);
});

test('a bad task in a collection gets its own error; the good ones are added', async () => {
  const r = await http.send('POST', '/jobs/j/addtaskcollection', {
    body: { value: [{ id: 'good', commandLine: 'true' }, { id: 'nocmd' }, { commandLine: 'true' }] },
  });
  expect(r.status).toBe(200);
  const value = (r.body as { value: Record<string, unknown>[] }).value;
  expect(value).toEqual([
    expect.objectContaining({
      status: 'success',
      taskId: 'good',
      location: expect.stringMatching(/\/jobs\/j\/tasks\/good$/),
    }),
    expect.objectContaining({
      status: 'clienterror',
      taskId: 'nocmd',
      error: expect.objectContaining({ code: 'MissingRequiredProperty' }),
    }),
    expect.objectContaining({
      status: 'clienterror',
      taskId: '',
      error: expect.objectContaining({ code: 'MissingRequiredProperty' }),
    }),
  ]);
});

test('a job keeps at most 1,000 tasks: the next one is refused with a 409 saying so, in a collection too', async () => {
  await http.send('POST', '/jobs', { body: { id: 'q', poolInfo: { poolId: 'p' } } });
  for (let c = 0; c < 10; c++) {
    const value = Array.from({ length: 100 }, (_, i) => ({ id: `t${c * 100 + i}`, commandLine: 'true' }));
    const r = await http.send('POST', '/jobs/q/addtaskcollection', { body: { value } });
    expect((r.body as { value: Array<{ status: string }> }).value.every((x) => x.status === 'success')).toBe(true);
  }
  expect(await refusal('POST', '/jobs/q/tasks', { id: 'one-more', commandLine: 'true' })).toMatchObject({
    status: 409,
    code: 'TaskQuotaReached',
  });
  const r = await http.send('POST', '/jobs/q/addtaskcollection', {
    body: { value: [{ id: 'x', commandLine: 'true' }] },
  });
  expect((r.body as { value: Array<{ status: string; error?: { code?: string } }> }).value).toEqual([
    expect.objectContaining({ status: 'clienterror', error: expect.objectContaining({ code: 'TaskQuotaReached' }) }),
  ]);
}, 60_000);
