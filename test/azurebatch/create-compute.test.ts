// The compute port a Config asks for: COMPUTE_BACKEND=azurebatch with AZURE_BATCH_ACCOUNTS=* finds the Batch
// account through ARM's resource list (the engine answers it, its account tagged with the facade's URL) and
// reads the workspace's clusters as pools; a workspace that is no Batch account, or outputs with nowhere to
// go, fail with what was expected.
import { createBatchAiClient } from '../../shared/batchai/client';
import { staticTokenCredential } from '../../shared/http/credential';
import { createCompute } from '../../shared/create-compute';
import { loadConfig } from '../../shared/config';
import { startEngine, type Engine } from '../../local/engine';
import { useAzurite } from '../support/azurite';
import { FAST, removeDir, tempDir } from '../engine/helpers';

const azurite = useAzurite();
const SUB = '00000000-0000-0000-0000-0000000000cc';
const WS = { resourceGroup: 'rg', workspace: 'team1' };
let engine: Engine;

beforeAll(async () => {
  engine = await startEngine({
    dataDir: tempDir(),
    timing: FAST,
    batch: { workspace: { ...WS, subscriptionId: SUB }, account: WS.workspace },
  });
  const arm = createBatchAiClient({
    endpoint: engine.url,
    subscriptionId: SUB,
    credential: staticTokenCredential('t'),
    pollIntervalMs: 50,
  });
  await arm.createWorkspace(WS, { location: 'eastus' });
  await arm.createCluster(
    { ...WS, cluster: 'gpu' },
    {
      properties: {
        vmSize: 'STANDARD_NC6',
        scaleSettings: { manual: { targetNodeCount: 1 } },
        userAccountSettings: { adminUserName: 'demo', adminUserPassword: 'x' },
      },
    },
  );
}, 60_000);
afterAll(async () => {
  await engine?.stop();
  if (engine) removeDir(engine.dataDir);
});

const env = (over: Record<string, string> = {}) => ({
  COMPUTE_ARM_ENDPOINT: engine.url,
  COMPUTE_SUBSCRIPTION_ID: SUB,
  COMPUTE_WORKSPACES: 'rg/team1',
  COMPUTE_LOCAL_TOKEN: 't',
  AzureWebJobsStorage: azurite.connectionString,
  COMPUTE_BACKEND: 'azurebatch',
  AZURE_BATCH_ACCOUNTS: '*',
  AZURE_BATCH_ACCOUNT_KEY: engine.batch!.accountKey,
  ...over,
});

test('AZURE_BATCH_ACCOUNTS=*: the account is found through ARM and its pools are the clusters', async () => {
  const compute = await createCompute(loadConfig(env()));
  expect(compute.backend).toBe('azurebatch');
  const names: string[] = [];
  for await (const c of compute.listClusters(WS)) names.push(c.name);
  expect(names).toEqual(['gpu']);
  expect((await compute.getCluster({ ...WS, cluster: 'gpu' })).id).toBe(
    `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Batch/batchAccounts/team1/pools/gpu`,
  );
});

test('COMPUTE_BACKEND=batchai (the default) is the Batch AI client', async () => {
  const compute = await createCompute(loadConfig(env({ COMPUTE_BACKEND: '' })));
  expect(compute.backend).toBe('batchai');
  const names: string[] = [];
  for await (const c of compute.listClusters(WS)) names.push(c.name);
  expect(names).toEqual(['gpu']);
});

test('refused: workspace not a Batch account of the subscription; identity storage, no output container', async () => {
  await expect(createCompute(loadConfig(env({ COMPUTE_WORKSPACES: 'rg/other' })))).rejects.toThrow(
    /Workspace rg\/other: no Batch account of that name in subscription .* \(found: team1\)/,
  );
  const identityStorage = { AzureWebJobsStorage: '', AzureWebJobsStorage__accountName: 'acct' };
  await expect(createCompute(loadConfig(env(identityStorage)))).rejects.toThrow(
    /expected AZURE_BATCH_OUTPUT_CONTAINER_URL and AZURE_BATCH_OUTPUT_IDENTITY/,
  );
});
