// A pool's autoScaleRun, on the engine's injected clock: set when auto-scale is enabled (on add or later), then
// moved on by each periodic evaluation (every autoScaleEvaluationInterval after enabling), carrying the
// formula's result; gone when auto-scale is disabled.
import { createBatchClient, type BatchClient } from '../../shared/azurebatch/client';
import { startEngine, type Engine } from '../../local/engine';
import { removeDir, tempDir } from '../engine/helpers';

const START = Date.parse('2030-01-01T00:00:00Z');
let now = START;
let engine: Engine;
let client: BatchClient;

beforeAll(async () => {
  engine = await startEngine({
    dataDir: tempDir(),
    now: () => now,
    timing: { operationDelayMs: 1, allocationDelayMs: 1 },
    batch: { workspace: { subscriptionId: 's', resourceGroup: 'rg', workspace: 'ws' } },
  });
  const auth = { accountName: engine.batch!.account, accountKey: engine.batch!.accountKey };
  client = createBatchClient({ endpoint: engine.batch!.url, auth, retry: { maxRetries: 0 } });
});
afterAll(async () => {
  await engine?.stop();
  if (engine) removeDir(engine.dataDir);
});

test('added with auto-scale: the first run is at once, the next after each interval', async () => {
  await client.createPool({
    id: 'auto',
    vmSize: 'standard_d2s_v3',
    enableAutoScale: true,
    autoScaleFormula: 'minNodes = 0; maxNodes = 3;',
    autoScaleEvaluationInterval: 'PT10M',
  });
  expect((await client.getPool('auto')).autoScaleRun).toEqual({
    timestamp: '2030-01-01T00:00:00.000Z',
    results: '$TargetDedicatedNodes=0;$NodeDeallocationOption=taskcompletion;minNodes=0;maxNodes=3;demand=0',
  });
  now = START + 10 * 60_000 - 1;
  expect((await client.getPool('auto')).autoScaleRun?.timestamp).toBe('2030-01-01T00:00:00.000Z');
  now = START + 25 * 60_000;
  expect((await client.getPool('auto')).autoScaleRun?.timestamp).toBe('2030-01-01T00:20:00.000Z');
});

test('enabled later: the run counts from then; disabled: no run', async () => {
  await client.createPool({ id: 'manual', vmSize: 'standard_d2s_v3', targetDedicatedNodes: 0 });
  expect((await client.getPool('manual')).autoScaleRun).toBeUndefined();
  const enabledAt = now;
  await client.enablePoolAutoScale('manual', { autoScaleFormula: '$TargetDedicatedNodes = 2;' });
  expect((await client.getPool('manual')).autoScaleRun?.timestamp).toBe(new Date(enabledAt).toISOString());
  now += 16 * 60_000;
  // The default interval is 15 minutes.
  expect((await client.getPool('manual')).autoScaleRun?.timestamp).toBe(
    new Date(enabledAt + 15 * 60_000).toISOString(),
  );
  await client.disablePoolAutoScale('manual');
  expect((await client.getPool('manual')).autoScaleRun).toBeUndefined();
});
