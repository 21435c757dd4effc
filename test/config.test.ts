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
});
