// The code follows the identity: storage settings as the Functions host reads AzureWebJobsStorage__*, the bot as
// its user-assigned managed identity, and /api/health saying which identities and backend are in use, never a secret.
import { HttpRequest, InvocationContext } from '@azure/functions';
import { loadConfig, storageSettings } from '../../shared/config';
import { createHealthDetailsFunction } from '../../functions/health-details';
import { createAppBlobs } from '../../shared/storage/output-blobs';
import type { Services } from '../../functions/services';

const base = { COMPUTE_WORKSPACES: 'rg/ws', COMPUTE_SUBSCRIPTION_ID: 'sub' };
const CLIENT_ID = '0c2c4f6e-5a7b-4b8e-9d41-1f2e3d4c5b6a';
const TENANT_ID = '72f988bf-86f1-41af-91ab-2d7cd011db47';

describe('storage settings', () => {
  it('prefers a connection string', () => {
    expect(
      storageSettings({ AzureWebJobsStorage: 'UseDevelopmentStorage=true', AzureWebJobsStorage__accountName: 'acct' }),
    ).toEqual({ connectionString: 'UseDevelopmentStorage=true' });
  });

  it('derives the service URIs from the account name, with the user-assigned identity', () => {
    expect(
      storageSettings({
        AzureWebJobsStorage__accountName: 'acct',
        AzureWebJobsStorage__clientId: CLIENT_ID,
        AzureWebJobsStorage__credential: 'managedidentity',
      }),
    ).toEqual({
      connectionString: '',
      identity: {
        tableServiceUri: 'https://acct.table.core.windows.net',
        queueServiceUri: 'https://acct.queue.core.windows.net',
        blobServiceUri: 'https://acct.blob.core.windows.net',
        clientId: CLIENT_ID,
      },
    });
  });

  it("keeps chart images in the account's blob service, by the identity; without one, nowhere", () => {
    const settings = storageSettings({ AzureWebJobsStorage__accountName: 'acct' });
    expect(createAppBlobs(settings, 'chart-images')?.containerUrl).toBe(
      'https://acct.blob.core.windows.net/chart-images',
    );
    const noBlob = storageSettings({
      AzureWebJobsStorage__tableServiceUri: 'https://acct.table.core.windows.net',
      AzureWebJobsStorage__queueServiceUri: 'https://acct.queue.core.windows.net',
    });
    expect(createAppBlobs(noBlob, 'chart-images')).toBeUndefined();
  });

  it('takes explicit service URIs (other clouds, private endpoints) over the account name', () => {
    const s = storageSettings({
      AzureWebJobsStorage__accountName: 'acct',
      AzureWebJobsStorage__tableServiceUri: 'https://acct.table.core.chinacloudapi.cn/',
      AzureWebJobsStorage__queueServiceUri: 'https://acct.queue.core.chinacloudapi.cn',
    });
    expect(s.identity).toEqual({
      tableServiceUri: 'https://acct.table.core.chinacloudapi.cn',
      queueServiceUri: 'https://acct.queue.core.chinacloudapi.cn',
      blobServiceUri: 'https://acct.blob.core.windows.net',
      clientId: undefined,
    });
  });

  it('says what was expected when neither form is complete', () => {
    expect(() => storageSettings({})).toThrow(
      /AzureWebJobsStorage is not set: expected a storage connection string .* or AzureWebJobsStorage__accountName/,
    );
    expect(() => storageSettings({ AzureWebJobsStorage__tableServiceUri: 'https://a.table.core.windows.net' })).toThrow(
      /AzureWebJobsStorage__queueServiceUri/,
    );
  });
});

describe('bot identity', () => {
  it('accepts a user-assigned managed identity: its client id and tenant, no password', () => {
    const c = loadConfig({
      ...base,
      AzureWebJobsStorage__accountName: 'acct',
      MicrosoftAppType: 'UserAssignedMSI',
      MicrosoftAppId: CLIENT_ID,
      MicrosoftAppTenantId: TENANT_ID,
    });
    expect(c.bot).toEqual({ appType: 'UserAssignedMSI', appId: CLIENT_ID, appTenantId: TENANT_ID, appPassword: '' });
  });

  it('refuses UserAssignedMSI without a tenant or with a password, saying what was expected', () => {
    const msi = {
      ...base,
      AzureWebJobsStorage: 'UseDevelopmentStorage=true',
      MicrosoftAppType: 'UserAssignedMSI',
      MicrosoftAppId: CLIENT_ID,
    };
    expect(() => loadConfig(msi)).toThrow(
      /UserAssignedMSI: expected MicrosoftAppId .* and MicrosoftAppTenantId set, and no MicrosoftAppPassword/,
    );
    expect(() => loadConfig({ ...msi, MicrosoftAppTenantId: TENANT_ID, MicrosoftAppPassword: 'pw' })).toThrow(
      /no MicrosoftAppPassword/,
    );
  });
});

describe('/api/health setup summary', () => {
  const health = (env: Record<string, string>) => {
    const config = loadConfig({ ...base, ...env });
    const services = { config, backend: { pollStatus: { failing: async () => [] } } } as unknown as Pick<
      Services,
      'backend' | 'config'
    >;
    return createHealthDetailsFunction(async () => services).handler(
      new HttpRequest({ url: 'http://x/api/health', method: 'GET' }),
      new InvocationContext(),
    );
  };

  it('reports the managed identities and the backend', async () => {
    const res = await health({
      AzureWebJobsStorage__accountName: 'acct',
      AzureWebJobsStorage__clientId: CLIENT_ID,
      MicrosoftAppType: 'UserAssignedMSI',
      MicrosoftAppId: CLIENT_ID,
      MicrosoftAppTenantId: TENANT_ID,
    });
    expect(res.jsonBody).toEqual({
      status: 'ok',
      failingWorkspaces: [],
      setup: {
        storage: {
          auth: 'managed identity',
          clientId: CLIENT_ID,
          tableServiceUri: 'https://acct.table.core.windows.net',
          queueServiceUri: 'https://acct.queue.core.windows.net',
        },
        bot: { auth: 'UserAssignedMSI', appId: CLIENT_ID, tenantId: TENANT_ID },
        backend: { api: 'Microsoft.BatchAI', endpoint: 'https://management.azure.com', auth: 'DefaultAzureCredential' },
        workspaces: ['rg/ws'],
      },
    });
  });

  it('never shows a key, password or token', async () => {
    const key = 'c2VjcmV0LWFjY291bnQta2V5LXZhbHVlLTEyMzQ1Njc4OTA=';
    const res = await health({
      AzureWebJobsStorage:
        'DefaultEndpointsProtocol=https;AccountName=acct;' + `AccountKey=${key};EndpointSuffix=core.windows.net`,
      MicrosoftAppType: 'SingleTenant',
      MicrosoftAppId: CLIENT_ID,
      MicrosoftAppTenantId: TENANT_ID,
      MicrosoftAppPassword: 'app-password-value',
      BATCHAI_ENDPOINT: 'https://user:endpoint-secret@arm.example.test/',
      BATCHAI_LOCAL_TOKEN: 'local-token-value',
    });
    const body = JSON.stringify(res.jsonBody);
    expect(body).toContain('"auth":"connection string"');
    expect(body).toContain('"endpoint":"https://arm.example.test"');
    for (const secret of [key, 'AccountKey', 'app-password-value', 'endpoint-secret', 'local-token-value'])
      expect(body).not.toContain(secret);
    // Set by their old names: reported as deprecated, with the names to use (and never their values).
    expect((res.jsonBody as { setup: { deprecatedSettings?: string[] } }).setup.deprecatedSettings).toEqual([
      'BATCHAI_ENDPOINT: use COMPUTE_ARM_ENDPOINT',
      'BATCHAI_LOCAL_TOKEN: use COMPUTE_LOCAL_TOKEN',
    ]);
  });

  it('on Azure Batch: the accounts and how it signs in, never the key', async () => {
    const batchKey = 'YmF0Y2gtYWNjb3VudC1rZXktdmFsdWU=';
    const res = await health({
      AzureWebJobsStorage: 'UseDevelopmentStorage=true',
      COMPUTE_WORKSPACES: 'rg/team1',
      COMPUTE_BACKEND: 'azurebatch',
      AZURE_BATCH_ACCOUNTS: 'https://team1.westeurope.batch.azure.com',
      AZURE_BATCH_ACCOUNT_KEY: batchKey,
    });
    expect((res.jsonBody as { setup: { backend: unknown } }).setup.backend).toEqual({
      api: 'Azure Batch',
      accounts: ['team1 https://team1.westeurope.batch.azure.com'],
      auth: 'shared key',
    });
    expect(JSON.stringify(res.jsonBody)).not.toContain(batchKey);
  });
});
