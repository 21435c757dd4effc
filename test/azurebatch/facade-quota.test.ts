// The local quota on the engine's Azure Batch facade, over raw HTTP with any bearer token (as an outsider
// sends it): a pool of 10^9 nodes, a task of a million instances, a body nested 100,000 deep, a $filter
// nested 7,000 deep and a path with bad %-encoding are each a 400 in the service's OData error shape, and
// nothing is created or changed: the pool keeps its size, later lists still answer.
import { startEngine, type Engine } from '../../local/engine';
import { FAST, removeDir, tempDir, waitFor } from '../engine/helpers';

let engine: Engine;
const API = 'api-version=2025-06-01.21.0';
beforeAll(async () => {
  engine = await startEngine({
    dataDir: tempDir(),
    timing: FAST,
    batch: { workspace: { subscriptionId: 'sub', resourceGroup: 'local', workspace: 'local' } },
  });
  await call('POST', '/pools', { id: 'cpu', vmSize: 'standard_d2s_v3', targetDedicatedNodes: 1 });
  await waitFor('pool cpu steady', async () => (await call('GET', '/pools/cpu')).json.allocationState === 'steady');
  await call('POST', '/jobs', { id: 'j1', poolInfo: { poolId: 'cpu' } });
}, 60_000);
afterAll(async () => {
  await engine?.stop();
  if (engine) removeDir(engine.dataDir);
});

async function call(method: string, path: string, body?: unknown, raw?: string) {
  const res = await fetch(`${engine.batch!.url}${path}${path.includes('?') ? '&' : '?'}${API}`, {
    method,
    headers: { authorization: 'Bearer anything', 'content-type': 'application/json; odata=minimalmetadata' },
    ...(body !== undefined || raw !== undefined ? { body: raw ?? JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : {} };
}

const expectRefused = (r: { status: number; json: { code?: string; message?: { value?: string } } }, code: string) => {
  expect(r.status).toBe(400);
  expect(r.json.code).toBe(code);
  expect(r.json.message?.value).toMatch(/expected/);
};

test('a resize or a pool beyond the quota is refused, and the pool keeps its size', async () => {
  expectRefused(
    await call('POST', '/pools/cpu/resize', { targetDedicatedNodes: 1_000_000_000 }),
    'InvalidPropertyValue',
  );
  expectRefused(
    await call('POST', '/pools', { id: 'huge', vmSize: 'x', targetDedicatedNodes: 101 }),
    'InvalidPropertyValue',
  );
  // Dedicated and low-priority count together: 100 + 100 is 200 nodes of one pool.
  const both = { targetDedicatedNodes: 100, targetLowPriorityNodes: 100 };
  expectRefused(await call('POST', '/pools/cpu/resize', both), 'InvalidPropertyValue');
  expectRefused(await call('POST', '/pools', { id: 'huge', vmSize: 'x', ...both }), 'InvalidPropertyValue');
  const pool = (await call('GET', '/pools/cpu')).json;
  expect(pool.targetDedicatedNodes).toBe(1);
  expect((await call('GET', '/pools/huge')).status).toBe(404);
});

test('a task of a million instances is refused, and no task is kept', async () => {
  expectRefused(
    await call('POST', '/jobs/j1/tasks', {
      id: 't1',
      commandLine: '/bin/true',
      multiInstanceSettings: { numberOfInstances: 1_000_000 },
    }),
    'InvalidPropertyValue',
  );
  expect((await call('GET', '/jobs/j1/tasks')).json.value).toEqual([]);
});

test('a task or job with more than 1,000 environment settings is refused, and nothing is kept', async () => {
  const settings = Array.from({ length: 1001 }, (_, i) => ({ name: `V${i}`, value: 'x' }));
  const task = { id: 't-env', commandLine: '/bin/true', environmentSettings: settings };
  expectRefused(await call('POST', '/jobs/j1/tasks', task), 'InvalidPropertyValue');
  expect((await call('GET', '/jobs/j1/tasks')).json.value).toEqual([]);
  const job = { id: 'j-env', poolInfo: { poolId: 'cpu' }, commonEnvironmentSettings: settings };
  expectRefused(await call('POST', '/jobs', job), 'InvalidPropertyValue');
  expect((await call('GET', '/jobs/j-env')).status).toBe(404);
});

test('a body nested 100,000 deep is refused, and job lists still answer', async () => {
  const deep = `{"id":"deep","poolInfo":{"poolId":"cpu"},"metadata":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
  expectRefused(await call('POST', '/jobs', undefined, deep), 'InvalidRequestBody');
  const list = await call('GET', '/jobs');
  expect(list.status).toBe(200);
  expect(list.json.value.map((j: { id: string }) => j.id)).toEqual(['j1']);
});

test('a $filter nested 2,000 deep, or with hundreds of terms, is refused', async () => {
  // 7,000 deep no longer fits in a URL node accepts (431 before the facade sees it); 2,000 does.
  const deep = `${'('.repeat(2000)}id eq 'a'${')'.repeat(2000)}`;
  expectRefused(await call('GET', `/jobs?$filter=${encodeURIComponent(deep)}`), 'InvalidQueryParameterValue');
  const wide = Array.from({ length: 300 }, () => "id eq 'a'").join(' or ');
  expectRefused(await call('GET', `/jobs?$filter=${encodeURIComponent(wide)}`), 'InvalidQueryParameterValue');
  expect((await call('GET', `/jobs?$filter=${encodeURIComponent("(id eq 'j1')")}`)).json.value).toHaveLength(1);
});

test('a path with bad %-encoding is a 400 saying what was expected', async () => {
  expectRefused(await call('GET', '/pools/%E0%A4%A'), 'InvalidUri');
});

test('a task directory of many files is listed a page at a time, each file once', async () => {
  await call('POST', '/jobs', { id: 'j-files', poolInfo: { poolId: 'cpu' } });
  await call('POST', '/jobs/j-files/tasks', {
    id: 't',
    commandLine: '/bin/bash -c "cd .. && seq 1 1500 | xargs touch"',
  });
  await waitFor(
    'task t completed',
    async () => (await call('GET', '/jobs/j-files/tasks/t')).json.state === 'completed',
  );
  const first = await call('GET', '/jobs/j-files/tasks/t/files?maxresults=1000');
  expect(first.json.value).toHaveLength(1000);
  const next = new URL(first.json['odata.nextLink']);
  const second = await call(
    'GET',
    `/jobs/j-files/tasks/t/files?${next.searchParams.toString().replace(/&?api-version=[^&]*/, '')}`,
  );
  expect(second.json['odata.nextLink']).toBeUndefined();
  const names = [...first.json.value, ...second.json.value].map((e: { name: string }) => e.name);
  expect(new Set(names).size).toBe(names.length);
  expect(names.filter((n) => /^\d+$/.test(n))).toHaveLength(1500);
  expect(names).toContain('stdout.txt');
});
