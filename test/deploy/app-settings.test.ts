// The settings the template writes are the settings the app reads: computed from infra/ with a shipped
// parameter file (module outputs and Azure's answers stood in by sample values, test/deploy/support/), they pass
// the app's own loadConfig, with nothing left to add by hand; the Slack secrets arrive as Key Vault references.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../shared/config';
import { BicepFail } from './support/bicep-tree';
import { deployment, INFRA, resolveKeyVaultReferences, RESOURCE_GROUP, SUBSCRIPTION } from './support/deployment';

const SECRETS_KEY = Buffer.alloc(32, 7).toString('base64');
const SECRETS = {
  'secrets-key': SECRETS_KEY,
  'slack-signing-secret': 'signing-secret-from-the-vault',
  'slack-bot-token': 'xoxb-from-the-vault',
};
/** The settings as the app reads them once the secrets are set: SECRETS_KEY is always a Key Vault reference. */
const resolved = (settings: Record<string, string>) => ({
  ...settings,
  SECRETS_KEY: settings.SECRETS_KEY?.endsWith('/secrets/secrets-key/)') ? SECRETS_KEY : 'not the reference',
});
/** Read by the Functions platform (host storage credential, identity, monitoring), not by loadConfig. */
const PLATFORM = [
  'AzureWebJobsStorage__credential',
  'AZURE_CLIENT_ID',
  'APPLICATIONINSIGHTS_CONNECTION_STRING',
  'APPLICATIONINSIGHTS_AUTHENTICATION_STRING',
];

/** The setting names of README's Configuration table (`__suffix` names belong to AzureWebJobsStorage). */
function readmeSettings(): Set<string> {
  const readme = readFileSync(join(INFRA, '..', 'README.md'), 'utf8');
  const section = readme.slice(
    readme.indexOf('## Configuration'),
    readme.indexOf('\n## ', readme.indexOf('## Configuration') + 5),
  );
  const names = new Set<string>();
  for (const row of section.split('\n').filter((l) => l.startsWith('| `'))) {
    for (const [, name] of row.split(' | ')[0].matchAll(/`([\w]+)`/g))
      names.add(name.startsWith('__') ? `AzureWebJobsStorage${name}` : name);
  }
  return names;
}

describe('Azure Batch (infra/main.azurebatch.parameters.json)', () => {
  it('creates an account and fills every COMPUTE_* and AZURE_BATCH_* setting; loadConfig takes them', () => {
    const d = deployment('main.azurebatch.parameters.json');
    const settings = d.appSettings();
    const account = settings.COMPUTE_WORKSPACES.split('/')[1];
    expect(settings).toMatchObject({
      COMPUTE_BACKEND: 'azurebatch',
      COMPUTE_SUBSCRIPTION_ID: SUBSCRIPTION,
      COMPUTE_WORKSPACES: `${RESOURCE_GROUP}/${account}`,
      AZURE_BATCH_ACCOUNTS: `https://${account}.westeurope.batch.azure.com`,
      AZURE_BATCH_OUTPUT_CONTAINER_URL: expect.stringMatching(
        /^https:\/\/\w+\.blob\.core\.windows\.net\/batch-outputs$/,
      ),
      AZURE_BATCH_OUTPUT_IDENTITY: expect.stringMatching(/\/userAssignedIdentities\/batchaiops-upload-/),
    });
    const config = loadConfig(resolved(settings));
    expect(config.storage.secretsKey?.toString('base64')).toBe(SECRETS_KEY);
    expect(config.compute).toMatchObject({
      backend: 'azurebatch',
      workspaces: [{ resourceGroup: RESOURCE_GROUP, workspace: account }],
      accounts: [{ account, endpoint: `https://${account}.westeurope.batch.azure.com` }],
      output: {
        containerUrl: settings.AZURE_BATCH_OUTPUT_CONTAINER_URL,
        identity: settings.AZURE_BATCH_OUTPUT_IDENTITY,
      },
      defaultCluster: 'gpu',
    });
    // Microsoft Entra ID, no shared key.
    expect(config.compute.backend === 'azurebatch' && config.compute.accountKey).toBeUndefined();
    expect(config.storage.identity?.clientId).toBe(settings.AZURE_CLIENT_ID);
    expect(config.bot).toMatchObject({ appType: 'UserAssignedMSI', appId: settings.AZURE_CLIENT_ID });
    expect(config.slack).toBeUndefined();
  });

  it("an existing account (its id on the command line) becomes the app's workspace, in its own subscription", () => {
    const id =
      '/subscriptions/99999999-8888-7777-6666-555555555555/resourceGroups/gpu-rg' +
      '/providers/Microsoft.Batch/batchAccounts/teamgpu';
    const settings = deployment('main.azurebatch.parameters.json', { batchAccountId: id }).appSettings();
    expect(loadConfig(resolved(settings)).compute).toMatchObject({
      backend: 'azurebatch',
      subscriptionId: '99999999-8888-7777-6666-555555555555',
      workspaces: [{ resourceGroup: 'gpu-rg', workspace: 'teamgpu' }],
      accounts: [{ account: 'teamgpu', endpoint: 'https://teamgpu.westeurope.batch.azure.com' }],
    });
  });

  it('with slackApp, the Slack secrets are Key Vault references to the vault the template creates', () => {
    const d = deployment('main.azurebatch.parameters.json', { slackApp: true });
    const settings = d.appSettings();
    const vaultUri = (d.scope.symbols.keyVault as { outputs: { uri: string } }).outputs.uri;
    expect(settings.SLACK_SIGNING_SECRET).toBe(
      `@Microsoft.KeyVault(SecretUri=${vaultUri}secrets/slack-signing-secret/)`,
    );
    expect(settings.SLACK_BOT_TOKEN).toBe(`@Microsoft.KeyVault(SecretUri=${vaultUri}secrets/slack-bot-token/)`);
    // Until the secrets are set the references do not resolve, and the app says which setting (config.ts).
    expect(() => loadConfig(settings)).toThrow(
      /SECRETS_KEY, SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET still read @Microsoft\.KeyVault/,
    );
    const config = loadConfig(resolveKeyVaultReferences(settings, vaultUri, SECRETS));
    expect(config.slack).toMatchObject({
      signingSecret: SECRETS['slack-signing-secret'],
      botToken: SECRETS['slack-bot-token'],
      apiUrl: 'https://slack.com/api/',
    });
    // The README says to set exactly these secrets.
    const readme = readFileSync(join(INFRA, '..', 'README.md'), 'utf8');
    for (const name of Object.keys(SECRETS))
      expect(readme).toMatch(new RegExp(`az keyvault secret set[^\\n]*--name ${name}`));
  });
});

describe('Azure ML (infra/main.azureml.parameters.json)', () => {
  const workspaceId =
    `/subscriptions/${SUBSCRIPTION}/resourceGroups/ml-team` +
    '/providers/Microsoft.MachineLearningServices/workspaces/vision';

  it('without the workspace id the deployment fails before anything is created, saying what to set', () => {
    expect(() => deployment('main.azureml.parameters.json').appSettings()).toThrow(BicepFail);
    expect(() => deployment('main.azureml.parameters.json').appSettings()).toThrow(/set amlWorkspaceId/);
  });

  it("writes the backend, the workspace and ARM, which loadConfig takes; the README's table documents each", () => {
    const settings = deployment('main.azureml.parameters.json', { amlWorkspaceId: workspaceId }).appSettings();
    expect(settings).toMatchObject({
      COMPUTE_BACKEND: 'azureml',
      COMPUTE_SUBSCRIPTION_ID: SUBSCRIPTION,
      COMPUTE_WORKSPACES: 'ml-team/vision',
      COMPUTE_ARM_ENDPOINT: 'https://management.azure.com/',
    });
    expect(Object.keys(settings).some((k) => k.startsWith('AZURE_BATCH_'))).toBe(false);
    const documented = readmeSettings();
    expect(documented.size).toBeGreaterThan(20);
    expect(Object.keys(settings).filter((k) => !documented.has(k) && !PLATFORM.includes(k))).toEqual([]);
    expect(loadConfig(resolved(settings)).compute).toMatchObject({
      backend: 'azureml',
      subscriptionId: SUBSCRIPTION,
      workspaces: [{ resourceGroup: 'ml-team', workspace: 'vision' }],
    });
  });
});

it('the Azure Batch settings name only settings the README documents too', () => {
  const settings = deployment('main.azurebatch.parameters.json', { slackApp: true }).appSettings();
  expect(Object.keys(settings).filter((k) => !readmeSettings().has(k) && !PLATFORM.includes(k))).toEqual([]);
});
