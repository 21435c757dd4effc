// What /api/health says about how this instance is wired: which identity each part signs in with and which
// compute backend it talks to. Identifiers and endpoints only: never a password, key or connection string.
import type { Config } from '../shared/config';

export interface SetupSummary {
  storage:
    | { auth: 'connection string' }
    | { auth: 'managed identity'; clientId?: string; tableServiceUri: string; queueServiceUri: string };
  bot: { auth: Config['bot']['appType'] | 'none (local mode)'; appId?: string; tenantId?: string };
  backend: { api: 'Microsoft.BatchAI'; endpoint: string; auth: 'DefaultAzureCredential' | 'local token' };
}

// Only the origin: an endpoint URL never carries anything else worth showing (and could carry userinfo).
const origin = (url: string) => {
  try {
    return new URL(url).origin;
  } catch {
    return 'invalid URL';
  }
};

export function setupSummary(config: Pick<Config, 'storage' | 'bot' | 'batchAi'>): SetupSummary {
  const { identity } = config.storage;
  const { appId, appTenantId, appType } = config.bot;
  return {
    storage: identity
      ? { auth: 'managed identity', clientId: identity.clientId, tableServiceUri: origin(identity.tableServiceUri), queueServiceUri: origin(identity.queueServiceUri) }
      : { auth: 'connection string' },
    bot: appId ? { auth: appType, appId, ...(appTenantId ? { tenantId: appTenantId } : {}) } : { auth: 'none (local mode)' },
    backend: { api: 'Microsoft.BatchAI', endpoint: origin(config.batchAi.endpoint), auth: config.batchAi.localToken ? 'local token' : 'DefaultAzureCredential' },
  };
}
