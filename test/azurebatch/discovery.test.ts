// Account discovery through @azure/arm-resources against the engine, which answers ARM's generic resource
// list: the Batch account (its local URL in a tag) and the Batch AI workspaces, each by resource type.
import { createBatchClient } from '../../shared/azurebatch/client';
import { accountOf, discoverBatchAccounts, discoverBatchAiWorkspaces } from '../../shared/azurebatch/discovery';
import { staticTokenCredential } from '../../shared/http/credential';
import { startEngine, type Engine } from '../../local/engine';
import { arm, FAST, removeDir, tempDir } from '../engine/helpers';

const SUB = '11111111-2222-3333-4444-555555555555';
let engine: Engine;
beforeAll(async () => {
  engine = await startEngine({
    dataDir: tempDir(),
    timing: FAST,
    batch: { workspace: { subscriptionId: SUB, resourceGroup: 'local', workspace: 'local' } },
  });
  await arm(engine, 'PUT', `/subscriptions/${SUB}/resourceGroups/other/providers/Microsoft.BatchAI/workspaces/second`, {
    location: 'westeurope',
  });
});
afterAll(async () => {
  await engine?.stop();
  if (engine) removeDir(engine.dataDir);
});

const opts = () => ({ credential: staticTokenCredential('local'), subscriptionId: SUB, armEndpoint: engine.url });

test('the Batch account is found by type, with an endpoint the client can use', async () => {
  const accounts = await discoverBatchAccounts(opts());
  expect(accounts).toEqual([
    { name: 'local', resourceGroup: 'local', location: 'eastus', endpoint: engine.batch!.url },
  ]);
  const client = createBatchClient({
    endpoint: accounts[0].endpoint,
    auth: { accountName: 'local', accountKey: engine.batch!.accountKey },
  });
  await expect(client.poolExists('nope')).resolves.toBe(false);
});

test('Batch AI workspaces are found by type, in every resource group', async () => {
  const found = await discoverBatchAiWorkspaces(opts());
  expect(found.sort((a, b) => a.workspace.localeCompare(b.workspace))).toEqual([
    { resourceGroup: 'local', workspace: 'local' },
    { resourceGroup: 'other', workspace: 'second' },
  ]);
});

test('another subscription sees none, and a filter the engine cannot read is refused', async () => {
  await expect(
    discoverBatchAccounts({ ...opts(), subscriptionId: '99999999-2222-3333-4444-555555555555' }),
  ).resolves.toEqual([]);
  const r = await arm(
    engine,
    'GET',
    `/subscriptions/${SUB}/resources?api-version=2025-04-01&$filter=${encodeURIComponent("name eq 'x'")}`,
  );
  expect([r.status, r.body.error.code]).toEqual([400, 'InvalidFilterInQueryString']);
});

test("an account's endpoint comes from its name and location; a listing without a resource group is refused", () => {
  expect(
    accountOf({
      id: '/subscriptions/s/resourceGroups/ml/providers/Microsoft.Batch/batchAccounts/train',
      name: 'train',
      location: 'West Europe',
    }),
  ).toEqual({
    name: 'train',
    resourceGroup: 'ml',
    location: 'westeurope',
    endpoint: 'https://train.westeurope.batch.azure.com',
  });
  expect(() => accountOf({ id: '/subscriptions/s/providers/x', name: 'x', location: 'y' })).toThrow(/resource group/);
});
