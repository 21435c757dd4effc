// The engine's clock is injectable: the times it records come from it and its delays wait on it, not on the
// wall, so a test moves time itself and runs a scheduler pass with tick().
import { startEngine, type Engine } from '../../local/engine';
import { arm, removeDir, tempDir, WS } from './helpers';

const START = Date.parse('2030-01-01T00:00:00Z');
let now = START;
let engine: Engine | undefined;
const dir = tempDir();

afterAll(async () => {
  await engine?.stop();
  removeDir(dir);
});

test('a cluster stays creating, then resizing, until the injected clock passes each delay', async () => {
  engine = await startEngine({
    dataDir: dir,
    now: () => now,
    timing: { operationDelayMs: 500, allocationDelayMs: 1000 },
  });
  const e = engine;
  const cluster = async (): Promise<any> => (await arm(e, 'GET', `${WS}/clusters/clocked`)).body.properties;
  await arm(e, 'PUT', WS, { location: 'eastus' });
  const put = await arm(e, 'PUT', `${WS}/clusters/clocked`, {
    properties: {
      vmSize: 'STANDARD_NC6',
      scaleSettings: { manual: { targetNodeCount: 1 } },
      userAccountSettings: { adminUserName: 'u' },
    },
  });
  expect(put.status).toBe(202);
  expect(await cluster()).toMatchObject({ provisioningState: 'creating', creationTime: '2030-01-01T00:00:00.000Z' });

  now += 499;
  e.tick();
  expect((await cluster()).provisioningState).toBe('creating');
  expect((await arm(e, 'GET', put.headers.get('location')!)).status).toBe(202);

  now += 1;
  e.tick();
  // The same pass that ends the creation starts the allocation toward one node.
  expect(await cluster()).toMatchObject({
    provisioningState: 'succeeded',
    provisioningStateTransitionTime: '2030-01-01T00:00:00.500Z',
    allocationState: 'resizing',
    nodeStateCounts: { preparingNodeCount: 1 },
  });
  expect((await arm(e, 'GET', put.headers.get('location')!)).status).toBe(204);

  now += 999;
  e.tick();
  expect((await cluster()).allocationState).toBe('resizing');
  now += 1;
  e.tick();
  expect(await cluster()).toMatchObject({
    allocationState: 'steady',
    allocationStateTransitionTime: '2030-01-01T00:00:01.500Z',
    nodeStateCounts: { idleNodeCount: 1 },
  });
});
