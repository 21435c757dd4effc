// Torture suite 2, the exhaustion door: generated requests (exhaustion.ts) to the engine's Azure Batch facade
// over real HTTP, with any bearer token as an outsider has. Each is a 4xx in the service's OData error shape
// saying what was expected; afterwards the pool has its size, the job list and the task list are as before,
// and the engine answers at once (no request held its event loop).
import { startEngine, type Engine } from '../../local/engine';
import { FAST, removeDir, tempDir, waitFor } from '../engine/helpers';
import { rawRequest } from '../files/fixture';
import { mulberry32 } from './generate';
import { exhaustingBatchRequests } from './exhaustion';

const API = 'api-version=2025-06-01.21.0';
let engine: Engine;
const counts = { inputs: 0, refused: 0 };

async function call(method: string, path: string, body?: string) {
  const url = `${path}${path.includes('?') ? '&' : '?'}${API}`;
  const headers: Record<string, string> = {
    authorization: 'Bearer outsider',
    'content-type': 'application/json; odata=minimalmetadata',
    ...(body ? { 'content-length': String(Buffer.byteLength(body)) } : {}),
  };
  return rawRequest(engine.batch!.url, method, url, headers, body);
}

beforeAll(async () => {
  engine = await startEngine({
    dataDir: tempDir(),
    timing: FAST,
    batch: { workspace: { subscriptionId: 'sub', resourceGroup: 'local', workspace: 'local' } },
  });
  await call('POST', '/pools', JSON.stringify({ id: 'cpu', vmSize: 'standard_d2s_v3', targetDedicatedNodes: 1 }));
  await waitFor(
    'pool cpu steady',
    async () => JSON.parse((await call('GET', '/pools/cpu')).body).allocationState === 'steady',
  );
  await call('POST', '/jobs', JSON.stringify({ id: 'j1', poolInfo: { poolId: 'cpu' } }));
}, 60_000);
afterAll(async () => {
  console.log(`exhaustion torture: ${JSON.stringify(counts)}`);
  await engine?.stop();
  if (engine) removeDir(engine.dataDir);
});

const ids = async (path: string) =>
  (JSON.parse((await call('GET', path)).body).value as Array<{ id: string }>).map((x) => x.id);

test('every exhausting request is a 4xx OData error and changes nothing', async () => {
  const before = { pools: await ids('/pools'), jobs: await ids('/jobs'), tasks: await ids('/jobs/j1/tasks') };
  for (const r of exhaustingBatchRequests(mulberry32(20261207), 300)) {
    counts.inputs++;
    const started = Date.now();
    const res = await call(r.method, r.path, r.body);
    if (res.status < 400 || res.status >= 500)
      throw new Error(`${r.method} ${r.path.slice(0, 120)} ${(r.body ?? '').slice(0, 120)} → ${res.status}`);
    const err = JSON.parse(res.body) as { code: string; message: { value: string } };
    expect(err.code).toMatch(/^\w+$/);
    expect(err.message.value).toMatch(/expected/);
    // One request never holds the engine for a second.
    expect(Date.now() - started).toBeLessThan(1000);
    counts.refused++;
  }
  expect({ pools: await ids('/pools'), jobs: await ids('/jobs'), tasks: await ids('/jobs/j1/tasks') }).toEqual(before);
  expect(JSON.parse((await call('GET', '/pools/cpu')).body).targetDedicatedNodes).toBe(1);
}, 60_000);
