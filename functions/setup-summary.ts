// What /api/health says about how this instance is wired: which identity each part signs in with and which
// compute backend it talks to, and the workspaces (Batch accounts, Azure ML workspaces) it polls. Identifiers and
// endpoints only: never a password, key or connection string.
import type { Config } from '../shared/config';
import { workspaceLabel } from '../shared/core/arm-names';

export interface SetupSummary {
  storage:
    | { auth: 'connection string' }
    | { auth: 'managed identity'; clientId?: string; tableServiceUri: string; queueServiceUri: string };
  bot: { auth: Config['bot']['appType'] | 'none (local mode)'; appId?: string; tenantId?: string };
  backend:
    | { api: 'Microsoft.BatchAI'; endpoint: string; auth: 'DefaultAzureCredential' | 'local token' }
    | {
        api: 'Microsoft.MachineLearningServices';
        endpoint: string;
        auth: 'DefaultAzureCredential' | 'local token';
        /** Which setting adds a trusted CA (a local stand-in's), when one does. */
        trustedCa?: 'COMPUTE_CA_FILE';
      }
    | {
        api: 'Azure Batch';
        accounts: string[] | 'discovered through ARM';
        auth: 'DefaultAzureCredential' | 'local token' | 'shared key';
      };
  /** What COMPUTE_WORKSPACES names, as resourceGroup/workspace: what the poller reaches (or says it cannot). */
  workspaces: string[];
  /** Old setting names this instance was given, each with the name to use instead (they still work). */
  deprecatedSettings?: string[];
}

// Only the origin: an endpoint URL never carries anything else worth showing (and could carry userinfo).
const origin = (url: string) => {
  try {
    return new URL(url).origin;
  } catch {
    return 'invalid URL';
  }
};

function backendSummary(config: Pick<Config, 'compute'>): SetupSummary['backend'] {
  const tokenAuth = config.compute.localToken ? 'local token' : 'DefaultAzureCredential';
  const c = config.compute;
  if (c.backend === 'batchai')
    return { api: 'Microsoft.BatchAI', endpoint: origin(config.compute.endpoint), auth: tokenAuth };
  if (c.backend === 'azureml') {
    return {
      api: 'Microsoft.MachineLearningServices',
      endpoint: origin(config.compute.endpoint),
      auth: tokenAuth,
      ...(c.caFile ? { trustedCa: 'COMPUTE_CA_FILE' } : {}),
    };
  }
  return {
    api: 'Azure Batch',
    accounts:
      c.accounts === 'discover'
        ? 'discovered through ARM'
        : c.accounts.map((a) => `${a.account} ${origin(a.endpoint)}`),
    auth: c.accountKey ? 'shared key' : tokenAuth,
  };
}

export function setupSummary(config: Pick<Config, 'storage' | 'bot' | 'compute' | 'deprecatedSettings'>): SetupSummary {
  const { identity } = config.storage;
  const { appId, appTenantId, appType } = config.bot;
  return {
    storage: identity
      ? {
          auth: 'managed identity',
          clientId: identity.clientId,
          tableServiceUri: origin(identity.tableServiceUri),
          queueServiceUri: origin(identity.queueServiceUri),
        }
      : { auth: 'connection string' },
    bot: appId
      ? { auth: appType, appId, ...(appTenantId ? { tenantId: appTenantId } : {}) }
      : { auth: 'none (local mode)' },
    backend: backendSummary(config),
    workspaces: config.compute.workspaces.map(workspaceLabel),
    ...(config.deprecatedSettings.length
      ? { deprecatedSettings: config.deprecatedSettings.map((d) => `${d.name}: use ${d.use}`) }
      : {}),
  };
}
