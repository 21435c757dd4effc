// The compute port a Config asks for (COMPUTE_BACKEND): the Batch AI ARM client, the Azure Batch accounts
// that the workspaces name (listed in AZURE_BATCH_ACCOUNTS, or found through ARM with `*`), their outputs in
// a blob container, or the Azure ML workspaces over ARM (trusting COMPUTE_CA_FILE when set). The one place the
// composition roots build compute from, and so the one module outside the backend folders that imports them.
// Only the chosen backend is required, when it is built (and ARM discovery only when asked for): a cold start
// loads neither the other backends nor their SDKs (@azure/storage-blob, @azure/arm-resources).
import type { TokenCredential } from '@azure/core-auth';
import type { ComputePort } from './compute/port';
import type { AzureBatchAccountSetting, Config } from './config';
import { InputError } from './errors';
import { credentialFor } from './http/credential';
import type { OutputStorage } from './storage/output-blobs';

export type ComputeConfig = Pick<Config, 'compute' | 'storage'>;

export interface ComputeOptions {
  /** How often a long-running Batch AI call is polled (the local engine answers fast). */
  pollIntervalMs?: number;
}

export async function createCompute(config: ComputeConfig, o: ComputeOptions = {}): Promise<ComputePort> {
  const { compute, storage } = config;
  const credential = credentialFor(compute);
  const { endpoint, subscriptionId } = compute;
  if (compute.backend === 'batchai') {
    const { createBatchAiClient } = require('./batchai/client') as typeof import('./batchai/client');
    const { batchAiCompute } = require('./batchai/compute') as typeof import('./batchai/compute');
    return batchAiCompute(
      createBatchAiClient({ endpoint, subscriptionId, credential, pollIntervalMs: o.pollIntervalMs }),
    );
  }
  if (compute.backend === 'azureml') {
    const { createAzureMlAdapter } = require('./azureml/adapter') as typeof import('./azureml/adapter');
    const { createAmlClient } = require('./azureml/client') as typeof import('./azureml/client');
    const { httpClientTrusting, readCaFile } = require('./http/trusted-ca') as typeof import('./http/trusted-ca');
    // Read when the client is built, so a facade's certificate made after this process started is trusted.
    const ca = compute.caFile ? readCaFile(compute.caFile) : undefined;
    return createAzureMlAdapter({
      client: createAmlClient({ endpoint, subscriptionId, credential, ca }),
      fileHttpClient: httpClientTrusting(ca),
    });
  }
  return azureBatchCompute(compute, storage, credential);
}

async function azureBatchCompute(
  compute: Extract<Config['compute'], { backend: 'azurebatch' }>,
  storage: Config['storage'],
  credential: TokenCredential,
): Promise<ComputePort> {
  const { endpoint, subscriptionId } = compute;
  const { createAzureBatchAdapter } = require('./azurebatch/adapter') as typeof import('./azurebatch/adapter');
  const { createBatchClient } = require('./azurebatch/client') as typeof import('./azurebatch/client');
  const { createOutputBlobs } = require('./storage/output-blobs') as typeof import('./storage/output-blobs');
  const discover = () =>
    (require('./azurebatch/discovery') as typeof import('./azurebatch/discovery')).discoverBatchAccounts;
  const listed: Array<AzureBatchAccountSetting & { resourceGroup?: string }> =
    compute.accounts === 'discover'
      ? (await discover()({ credential, subscriptionId, armEndpoint: endpoint })).map((a) => ({
          account: a.name.toLowerCase(),
          endpoint: a.endpoint,
          resourceGroup: a.resourceGroup,
        }))
      : compute.accounts;
  const accounts = compute.workspaces.map((w) => {
    const a = listed.find(
      (x) =>
        x.account === w.workspace.toLowerCase() &&
        (!x.resourceGroup || x.resourceGroup.toLowerCase() === w.resourceGroup.toLowerCase()),
    );
    if (!a) {
      const found = listed.map((x) => x.account).join(', ') || 'none';
      throw new InputError(
        'ConfigInvalid',
        `Workspace ${w.resourceGroup}/${w.workspace}: no Batch account of that name ` +
          `in subscription ${subscriptionId} (found: ${found}).`,
      );
    }
    const auth = compute.accountKey ? { accountName: a.account, accountKey: compute.accountKey } : { credential };
    return {
      subscriptionId,
      resourceGroup: w.resourceGroup,
      account: w.workspace,
      client: createBatchClient({ endpoint: a.endpoint, auth }),
    };
  });
  let output: OutputStorage;
  if (compute.output) output = { ...compute.output, credential };
  else if (storage.connectionString)
    output = { connectionString: storage.connectionString, container: 'batch-outputs' };
  else {
    throw new InputError(
      'ConfigMissing',
      'COMPUTE_BACKEND=azurebatch with identity-based storage: ' +
        'expected AZURE_BATCH_OUTPUT_CONTAINER_URL and AZURE_BATCH_OUTPUT_IDENTITY ' +
        '(where the pools upload job outputs).',
    );
  }
  return createAzureBatchAdapter({ subscriptionId, accounts, outputs: createOutputBlobs(output) });
}
