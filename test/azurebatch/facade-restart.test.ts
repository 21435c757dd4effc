// The Batch facade's records survive an engine restart (one JSON file beside the core's journal), a read
// with If-None-Match of the current ETag is answered 304 without a body, and a task whose resource files were
// being fetched when the engine stopped fetches them again and runs after the restart.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createBatchClient } from '../../shared/azurebatch/client';
import { startEngine, type Engine } from '../../local/engine';
import { FAST, removeDir, tempDir, waitFor } from '../engine/helpers';

const WORKSPACE = { subscriptionId: 'sub', resourceGroup: 'local', workspace: 'local' };
const dataDir = tempDir();
let engine: Engine | undefined;
afterAll(async () => {
  await engine?.stop();
  removeDir(dataDir);
});

const clientOf = (e: Engine) =>
  createBatchClient({
    endpoint: e.batch!.url,
    auth: { accountName: e.batch!.account, accountKey: e.batch!.accountKey },
    retry: { maxRetries: 0 },
  });

test('jobs and pool settings are still there after a restart', async () => {
  engine = await startEngine({ dataDir, timing: FAST, batch: { workspace: WORKSPACE } });
  let client = clientOf(engine);
  await client.createPool({
    id: 'cpu',
    vmSize: 'standard_d2s_v3',
    targetDedicatedNodes: 0,
    metadata: [{ name: 'team', value: 'vision' }],
  });
  await client.createJob({
    id: 'kept',
    poolInfo: { poolId: 'cpu' },
    metadata: [{ name: 'batchai-experiment', value: 'e1' }],
  });
  await engine.stop();

  engine = await startEngine({ dataDir, timing: FAST, batch: { workspace: WORKSPACE } });
  client = clientOf(engine);
  expect(await client.getJob('kept')).toMatchObject({
    id: 'kept',
    state: 'active',
    metadata: [{ name: 'batchai-experiment', value: 'e1' }],
  });
  expect((await client.getPool('cpu')).metadata).toEqual([{ name: 'team', value: 'vision' }]);
});

test('If-None-Match with the current ETag is 304 with no body; a changed entity is answered in full', async () => {
  const b = engine!.batch!;
  const { eTag } = await clientOf(engine!).getJob('kept');
  const get = (etag: string) =>
    fetch(`${b.url}/jobs/kept?api-version=2025-06-01.21.0`, {
      headers: { authorization: 'Bearer t', 'if-none-match': etag },
    });
  const same = await get(eTag!);
  expect([same.status, await same.text()]).toEqual([304, '']);
  expect((await get('0xOTHER')).status).toBe(200);
});

test('a task fetching its resource files when the engine stops fetches them again after the restart', async () => {
  // The first request is held (the engine stops while it waits); later ones are answered.
  let requests = 0;
  const server = createServer((_req, res) => {
    requests++;
    if (requests > 1) res.end('fetched\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/input.txt`;
    let client = clientOf(engine!);
    await client.createPool({ id: 'res', vmSize: 'standard_d2s_v3', targetDedicatedNodes: 1 });
    await client.createJob({ id: 'fetching', poolInfo: { poolId: 'res' } });
    await client.createTask('fetching', {
      id: 't',
      commandLine: 'cat input.txt',
      resourceFiles: [{ httpUrl: url, filePath: 'input.txt' }],
    });
    await waitFor('the fetch has begun', async () => requests === 1);
    await engine!.stop();
    expect(requests).toBe(1);

    engine = await startEngine({ dataDir, timing: FAST, batch: { workspace: WORKSPACE } });
    client = clientOf(engine);
    const t = await waitFor('task t completed', async () => {
      const x = await client.getTask('fetching', 't');
      return x.state === 'completed' ? x : undefined;
    });
    expect(t.executionInfo).toMatchObject({ exitCode: 0, result: 'success' });
    const out = await client.getTaskFile('fetching', 't', 'stdout.txt');
    expect(out.bytes.toString()).toBe('fetched\n');
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}, 30_000);
