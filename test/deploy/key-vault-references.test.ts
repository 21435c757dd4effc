// A Key Vault reference the platform could not resolve leaves its own text in the setting; the app refuses to
// start on it, naming the settings and never taking the reference for the secret.
import { loadConfig } from '../../shared/config';

const base = {
  COMPUTE_WORKSPACES: 'rg/ws',
  COMPUTE_SUBSCRIPTION_ID: 'sub',
  AzureWebJobsStorage: 'UseDevelopmentStorage=true',
};
const ref = (name: string) => `@Microsoft.KeyVault(SecretUri=https://kv-x.vault.azure.net/secrets/${name}/)`;

test('an unresolved reference is refused, and every such setting is named', () => {
  expect(() =>
    loadConfig({ ...base, SLACK_SIGNING_SECRET: ref('slack-signing-secret'), SLACK_BOT_TOKEN: 'xoxb-1' }),
  ).toThrow(/^SLACK_SIGNING_SECRET still reads @Microsoft\.KeyVault\(…\): expected the secret itself\./);
  expect(() =>
    loadConfig({
      ...base,
      SLACK_SIGNING_SECRET: ref('slack-signing-secret'),
      SLACK_BOT_TOKEN: ` ${ref('slack-bot-token').replace('Microsoft.KeyVault', 'microsoft.keyvault')}`,
    }),
  ).toThrow(/^SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET still read @Microsoft\.KeyVault\(…\).*az keyvault secret set/);
});

test('a resolved reference (the secret in its place) loads; text that only mentions Key Vault is no reference', () => {
  const c = loadConfig({
    ...base,
    SLACK_SIGNING_SECRET: 'resolved',
    SLACK_BOT_TOKEN: 'xoxb-1',
    NOTE: 'see @Microsoft.KeyVault(',
  });
  expect(c.slack?.signingSecret).toBe('resolved');
});
