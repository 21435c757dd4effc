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
});
