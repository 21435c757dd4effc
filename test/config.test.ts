import { loadConfig } from '../shared/config';

const base = {
  COMPUTE_WORKSPACES: 'rg/ws',
  COMPUTE_SUBSCRIPTION_ID: 'sub',
  AzureWebJobsStorage: 'UseDevelopmentStorage=true',
};

describe('loadConfig', () => {
  it('reads workspaces and applies defaults', () => {
    const c = loadConfig(base);
    expect(c.compute.workspaces).toEqual([{ resourceGroup: 'rg', workspace: 'ws' }]);
    expect(c.compute.endpoint).toBe('https://management.azure.com');
    expect(c.logs.tailBytes).toBe(4096);
  });
  it('says what was expected when a setting is missing or malformed', () => {
    expect(() => loadConfig({ ...base, COMPUTE_SUBSCRIPTION_ID: '' })).toThrow(
      /COMPUTE_SUBSCRIPTION_ID \(formerly BATCHAI_SUBSCRIPTION_ID\) is not set/,
    );
    expect(() => loadConfig({ ...base, COMPUTE_WORKSPACES: 'nogroup' })).toThrow(/expected resourceGroup\/workspace/);
    expect(() => loadConfig({ ...base, LOG_TAIL_BYTES: 'x' })).toThrow(/LOG_TAIL_BYTES=x: expected a whole number/);
  });
  it('reads the storage account job files are filled with, and says what is wrong with it', () => {
    expect(loadConfig(base).compute.storageAccount).toBeUndefined();
    expect(
      loadConfig({ ...base, BATCHAI_STORAGE_ACCOUNT: 'team1', BATCHAI_STORAGE_KEY: 'a2V5' }).compute.storageAccount,
    ).toEqual({ name: 'team1', key: 'a2V5' });
    expect(loadConfig({ ...base, BATCHAI_STORAGE_ACCOUNT: 'team1' }).compute.storageAccount).toEqual({ name: 'team1' });
    expect(() => loadConfig({ ...base, BATCHAI_STORAGE_ACCOUNT: 'Team_1' })).toThrow(
      /BATCHAI_STORAGE_ACCOUNT=Team_1: expected a storage account name/,
    );
    expect(() => loadConfig({ ...base, BATCHAI_STORAGE_KEY: 'a2V5' })).toThrow(
      /BATCHAI_STORAGE_KEY is set but BATCHAI_STORAGE_ACCOUNT is not/,
    );
  });
  it('chooses azureml, with COMPUTE_CA_FILE only when set', () => {
    expect(loadConfig({ ...base, COMPUTE_BACKEND: 'azureml' }).compute).toMatchObject({ backend: 'azureml' });
    expect(loadConfig({ ...base, COMPUTE_BACKEND: 'azureml' }).compute).not.toHaveProperty('caFile');
    expect(loadConfig({ ...base, COMPUTE_BACKEND: 'azureml', COMPUTE_CA_FILE: ' /x/ca.pem ' }).compute).toMatchObject({
      backend: 'azureml',
      caFile: '/x/ca.pem',
    });
  });
  it('chooses the compute backend: batchai by default, azurebatch with the accounts its workspaces name', () => {
    expect(loadConfig(base).compute).toMatchObject({ backend: 'batchai' });
    const ab = { ...base, COMPUTE_BACKEND: 'azurebatch', COMPUTE_WORKSPACES: 'rg/team1,local/local' };
    expect(
      loadConfig({
        ...ab,
        AZURE_BATCH_ACCOUNTS: 'https://team1.westeurope.batch.azure.com/, local=http://127.0.0.1:8482',
        AZURE_BATCH_ACCOUNT_KEY: 'k',
      }).compute,
    ).toMatchObject({
      backend: 'azurebatch',
      accountKey: 'k',
      accounts: [
        { account: 'team1', endpoint: 'https://team1.westeurope.batch.azure.com' },
        { account: 'local', endpoint: 'http://127.0.0.1:8482' },
      ],
    });
    expect(loadConfig({ ...ab, AZURE_BATCH_ACCOUNTS: '*' }).compute).toMatchObject({
      backend: 'azurebatch',
      accounts: 'discover',
    });
    const out = {
      AZURE_BATCH_OUTPUT_CONTAINER_URL: 'https://team1out.blob.core.windows.net/outputs/',
      AZURE_BATCH_OUTPUT_IDENTITY:
        '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/pools',
    };
    expect(loadConfig({ ...ab, AZURE_BATCH_ACCOUNTS: '*', ...out }).compute).toMatchObject({
      output: {
        containerUrl: 'https://team1out.blob.core.windows.net/outputs',
        identity: out.AZURE_BATCH_OUTPUT_IDENTITY,
      },
    });
  });
  it('says what is wrong with the Azure Batch settings', () => {
    const ab = { ...base, COMPUTE_BACKEND: 'azurebatch', COMPUTE_WORKSPACES: 'rg/team1' };
    expect(() => loadConfig({ ...base, COMPUTE_BACKEND: 'batch' })).toThrow(
      /COMPUTE_BACKEND=batch: expected batchai, azurebatch or azureml/,
    );
    expect(() => loadConfig(ab)).toThrow(/AZURE_BATCH_ACCOUNTS is not set: expected Batch account endpoints/);
    expect(() => loadConfig({ ...ab, AZURE_BATCH_ACCOUNTS: 'not a url' })).toThrow(
      /entry "not a url": expected an endpoint such as https:\/\/<account>/,
    );
    expect(() => loadConfig({ ...ab, AZURE_BATCH_ACCOUNTS: 'http://127.0.0.1:8482' })).toThrow(
      new RegExp(
        /127\.0\.0\.1 is not <account>\.<region>/.source +
          /\.batch\.azure\.com; name the account as <account>=http:\/\/127\.0\.0\.1:8482/.source,
      ),
    );
    expect(() => loadConfig({ ...ab, AZURE_BATCH_ACCOUNTS: 'https://other.eastus.batch.azure.com' })).toThrow(
      /COMPUTE_WORKSPACES names team1, which AZURE_BATCH_ACCOUNTS does not list/,
    );
    expect(() => loadConfig({ ...ab, AZURE_BATCH_ACCOUNTS: '*', AZURE_BATCH_OUTPUT_IDENTITY: 'x' })).toThrow(
      /AZURE_BATCH_OUTPUT_CONTAINER_URL and AZURE_BATCH_OUTPUT_IDENTITY go together/,
    );
  });
  it('still reads every old BATCHAI_* name, says which are deprecated, refuses old and new names that disagree', () => {
    const old = {
      BATCHAI_WORKSPACES: 'rg/ws',
      BATCHAI_SUBSCRIPTION_ID: 'sub',
      BATCHAI_ENDPOINT: 'http://127.0.0.1:1/',
      BATCHAI_DEFAULT_EXPERIMENT: 'exp',
      BATCHAI_DEFAULT_CLUSTER: 'gpu',
      BATCHAI_LOCAL_TOKEN: 't',
      AzureWebJobsStorage: 'UseDevelopmentStorage=true',
    };
    const c = loadConfig(old);
    expect(c.compute).toMatchObject({
      workspaces: [{ resourceGroup: 'rg', workspace: 'ws' }],
      subscriptionId: 'sub',
      endpoint: 'http://127.0.0.1:1',
      defaultExperiment: 'exp',
      defaultCluster: 'gpu',
      localToken: 't',
    });
    expect(c.deprecatedSettings.map((d) => `${d.name}→${d.use}`).sort()).toEqual([
      'BATCHAI_DEFAULT_CLUSTER→COMPUTE_DEFAULT_CLUSTER',
      'BATCHAI_DEFAULT_EXPERIMENT→COMPUTE_DEFAULT_EXPERIMENT',
      'BATCHAI_ENDPOINT→COMPUTE_ARM_ENDPOINT',
      'BATCHAI_LOCAL_TOKEN→COMPUTE_LOCAL_TOKEN',
      'BATCHAI_SUBSCRIPTION_ID→COMPUTE_SUBSCRIPTION_ID',
      'BATCHAI_WORKSPACES→COMPUTE_WORKSPACES',
    ]);
    expect(loadConfig(base).deprecatedSettings).toEqual([]);
    expect(loadConfig({ ...base, BATCHAI_WORKSPACES: 'rg/ws' }).deprecatedSettings).toEqual([
      { name: 'BATCHAI_WORKSPACES', use: 'COMPUTE_WORKSPACES' },
    ]);
    expect(() => loadConfig({ ...base, BATCHAI_WORKSPACES: 'rg/other' })).toThrow(
      /BATCHAI_WORKSPACES and COMPUTE_WORKSPACES are both set, to different values: expected only COMPUTE_WORKSPACES/,
    );
  });
});
