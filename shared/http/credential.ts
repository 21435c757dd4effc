// Credentials for ARM and the compute services: Azure AD (DefaultAzureCredential) for the real service, a
// fixed token for the local engine, which accepts any bearer token. The choice is made once, from config, at
// composition roots.
import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { azureAdCredential } from '../azure-ad-credential';
import { InputError } from '../errors';
import type { Config } from '../config';

export const ARM_SCOPE = 'https://management.azure.com/.default';

export function staticTokenCredential(token: string): TokenCredential {
  if (!token.trim())
    throw new InputError('ConfigInvalid', 'static token is empty: expected any non-empty bearer token.');
  return {
    async getToken(): Promise<AccessToken> {
      return { token, expiresOnTimestamp: Date.now() + 60 * 60 * 1000 };
    },
  };
}

export function credentialFor(compute: Pick<Config['compute'], 'localToken'>): TokenCredential {
  return compute.localToken ? staticTokenCredential(compute.localToken) : azureAdCredential();
}
