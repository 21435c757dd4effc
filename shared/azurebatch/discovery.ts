// Finding a subscription's Batch accounts (and Batch AI workspaces) through ARM's generic resource list,
// filtered by resource type, with @azure/arm-resources. A Batch account's data-plane endpoint is
// `https://<name>.<location>.batch.azure.com`; an account that is not Azure's (the local engine) names its URL
// in the tag BATCH_ENDPOINT_TAG instead.
import { collect } from '../core/collect';
import { ResourceManagementClient } from '@azure/arm-resources';
import type { TokenCredential } from '@azure/core-auth';
import type { WorkspaceRef } from '../compute/model';
import { ARM_SCOPE } from '../http/credential';
import { ComputeError, ProtocolError } from '../errors';
import { bearerPolicy, parseEndpoint } from '../http/endpoint';

export const BATCH_ENDPOINT_TAG = 'chatops-batch-endpoint';

export interface DiscoveryOptions {
  credential: TokenCredential;
  subscriptionId: string;
  /** ARM endpoint: https://management.azure.com (default), or the local engine's http://127.0.0.1:PORT. */
  armEndpoint?: string;
}

export interface DiscoveredAccount {
  name: string;
  resourceGroup: string;
  location: string;
  endpoint: string;
}

interface Listed {
  id?: string;
  name?: string;
  location?: string;
  tags?: Record<string, string>;
}

async function listByType(o: DiscoveryOptions, type: string): Promise<Listed[]> {
  const url = parseEndpoint(o.armEndpoint ?? 'https://management.azure.com', 'ARM', 'https://management.azure.com');
  const client = new ResourceManagementClient(o.credential, o.subscriptionId, {
    endpoint: url.origin,
    allowInsecureConnection: url.protocol === 'http:',
  });
  if (url.protocol === 'http:') {
    // The SDK's bearer policy refuses http; the local engine on loopback gets the shared loopback one.
    client.pipeline.removePolicy({ name: 'bearerTokenAuthenticationPolicy' });
    const noToken = () =>
      new ComputeError('AuthenticationFailed', 'The credential returned no token for the ARM scope.', 401, {
        backend: 'azurebatch',
      });
    client.pipeline.addPolicy(bearerPolicy(url, o.credential, ARM_SCOPE, noToken), { phase: 'Sign' });
  }
  return collect(client.resources.list({ filter: `resourceType eq '${type}'` }));
}

function resourceGroupOf(id: string | undefined): string {
  const rg = /\/resourceGroups\/([^/]+)\//i.exec(id ?? '')?.[1];
  if (!rg)
    throw new ProtocolError(
      `ARM listed a resource without a resource group in its id (${JSON.stringify(id)}): ` +
        'expected /subscriptions/…/resourceGroups/<rg>/providers/….',
    );
  return rg;
}

/** A listed Batch account as the client needs it. */
export function accountOf(r: Listed): DiscoveredAccount {
  const name = r.name ?? '';
  const location = (r.location ?? '').replace(/\s+/g, '').toLowerCase();
  return {
    name,
    resourceGroup: resourceGroupOf(r.id),
    location,
    endpoint: r.tags?.[BATCH_ENDPOINT_TAG] ?? `https://${name}.${location}.batch.azure.com`,
  };
}

export async function discoverBatchAccounts(o: DiscoveryOptions): Promise<DiscoveredAccount[]> {
  return (await listByType(o, 'Microsoft.Batch/batchAccounts')).map(accountOf);
}

export async function discoverBatchAiWorkspaces(o: DiscoveryOptions): Promise<WorkspaceRef[]> {
  return (await listByType(o, 'Microsoft.BatchAI/workspaces')).map((r) => ({
    resourceGroup: resourceGroupOf(r.id),
    workspace: r.name ?? '',
  }));
}
