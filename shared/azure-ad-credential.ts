// Azure AD sign-in (DefaultAzureCredential: the app's managed identity in Azure, a developer's sign-in here).
// @azure/identity, and MSAL below it, is required when such a credential is made, not when a module that may
// make one loads: a turn on a local token or a storage connection string never pays for it (bench cold-start).
import type { TokenCredential } from '@azure/core-auth';

/** `managedIdentityClientId`: a user-assigned identity's client id (absent: system-assigned or sign-in). */
export function azureAdCredential(managedIdentityClientId?: string): TokenCredential {
  const { DefaultAzureCredential } = require('@azure/identity') as typeof import('@azure/identity');
  return new DefaultAzureCredential(managedIdentityClientId ? { managedIdentityClientId } : {});
}
