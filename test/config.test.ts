import { loadConfig } from '../shared/config';

const base = { BATCHAI_WORKSPACES: 'rg/ws', BATCHAI_SUBSCRIPTION_ID: 'sub', AzureWebJobsStorage: 'UseDevelopmentStorage=true' };

describe('loadConfig', () => {
  it('reads workspaces and applies defaults', () => {
    const c = loadConfig(base);
    expect(c.batchAi.workspaces).toEqual([{ resourceGroup: 'rg', workspace: 'ws' }]);
    expect(c.batchAi.endpoint).toBe('https://management.azure.com');
    expect(c.logs.tailBytes).toBe(4096);
  });
  it('says what was expected when a setting is missing or malformed', () => {
    expect(() => loadConfig({ ...base, BATCHAI_SUBSCRIPTION_ID: '' })).toThrow(/BATCHAI_SUBSCRIPTION_ID is not set/);
    expect(() => loadConfig({ ...base, BATCHAI_WORKSPACES: 'nogroup' })).toThrow(/expected resourceGroup\/workspace/);
    expect(() => loadConfig({ ...base, LOG_TAIL_BYTES: 'x' })).toThrow(/LOG_TAIL_BYTES=x: expected a whole number/);
  });
  it('reads the storage account job files are filled with, and says what is wrong with it', () => {
    expect(loadConfig(base).batchAi.storageAccount).toBeUndefined();
    expect(loadConfig({ ...base, BATCHAI_STORAGE_ACCOUNT: 'team1', BATCHAI_STORAGE_KEY: 'a2V5' }).batchAi.storageAccount).toEqual({ name: 'team1', key: 'a2V5' });
    expect(loadConfig({ ...base, BATCHAI_STORAGE_ACCOUNT: 'team1' }).batchAi.storageAccount).toEqual({ name: 'team1' });
    expect(() => loadConfig({ ...base, BATCHAI_STORAGE_ACCOUNT: 'Team_1' })).toThrow(/BATCHAI_STORAGE_ACCOUNT=Team_1: expected a storage account name/);
    expect(() => loadConfig({ ...base, BATCHAI_STORAGE_KEY: 'a2V5' })).toThrow(/BATCHAI_STORAGE_KEY is set but BATCHAI_STORAGE_ACCOUNT is not/);
  });
  it('chooses the compute backend: batchai by default, azurebatch with the accounts its workspaces name', () => {
    expect(loadConfig(base).compute).toEqual({ backend: 'batchai' });
    const ab = { ...base, COMPUTE_BACKEND: 'azurebatch', BATCHAI_WORKSPACES: 'rg/team1,local/local' };
    expect(loadConfig({ ...ab, AZURE_BATCH_ACCOUNTS: 'https://team1.westeurope.batch.azure.com/, local=http://127.0.0.1:8482', AZURE_BATCH_ACCOUNT_KEY: 'k' }).compute).toEqual({
      backend: 'azurebatch', accountKey: 'k',
      accounts: [{ account: 'team1', endpoint: 'https://team1.westeurope.batch.azure.com' }, { account: 'local', endpoint: 'http://127.0.0.1:8482' }],
    });
    expect(loadConfig({ ...ab, AZURE_BATCH_ACCOUNTS: '*' }).compute).toEqual({ backend: 'azurebatch', accounts: 'discover' });
    const out = { AZURE_BATCH_OUTPUT_CONTAINER_URL: 'https://team1out.blob.core.windows.net/outputs/', AZURE_BATCH_OUTPUT_IDENTITY: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/pools' };
    expect(loadConfig({ ...ab, AZURE_BATCH_ACCOUNTS: '*', ...out }).compute).toMatchObject({ output: { containerUrl: 'https://team1out.blob.core.windows.net/outputs', identity: out.AZURE_BATCH_OUTPUT_IDENTITY } });
  });
  it('says what is wrong with the Azure Batch settings', () => {
    const ab = { ...base, COMPUTE_BACKEND: 'azurebatch', BATCHAI_WORKSPACES: 'rg/team1' };
    expect(() => loadConfig({ ...base, COMPUTE_BACKEND: 'batch' })).toThrow(/COMPUTE_BACKEND=batch: expected batchai or azurebatch/);
    expect(() => loadConfig(ab)).toThrow(/AZURE_BATCH_ACCOUNTS is not set: expected Batch account endpoints/);
    expect(() => loadConfig({ ...ab, AZURE_BATCH_ACCOUNTS: 'not a url' })).toThrow(/entry "not a url": expected an endpoint such as https:\/\/<account>/);
    expect(() => loadConfig({ ...ab, AZURE_BATCH_ACCOUNTS: 'http://127.0.0.1:8482' })).toThrow(/127\.0\.0\.1 is not <account>\.<region>\.batch\.azure\.com; name the account as <account>=http:\/\/127\.0\.0\.1:8482/);
    expect(() => loadConfig({ ...ab, AZURE_BATCH_ACCOUNTS: 'https://other.eastus.batch.azure.com' })).toThrow(/BATCHAI_WORKSPACES names team1, which AZURE_BATCH_ACCOUNTS does not list/);
    expect(() => loadConfig({ ...ab, AZURE_BATCH_ACCOUNTS: '*', AZURE_BATCH_OUTPUT_IDENTITY: 'x' })).toThrow(/AZURE_BATCH_OUTPUT_CONTAINER_URL and AZURE_BATCH_OUTPUT_IDENTITY go together/);
  });
});
