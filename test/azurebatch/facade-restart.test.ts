// The Batch facade's records survive an engine restart (one JSON file beside the core's journal), and a read
// with If-None-Match of the current ETag is answered 304 without a body.
import { createBatchClient } from '../../shared/azurebatch/client';
import { startEngine, type Engine } from '../../local/engine';
import { FAST, removeDir, tempDir } from '../engine/helpers';

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
