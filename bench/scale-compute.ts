// The compute port of one backend for the scale bench, on a given transport: the engine's facade when recording,
// the recorded pages when measuring. Always the product's own adapter and SDK clients.
import type { HttpClient } from '@azure/core-rest-pipeline';
import { createAzureBatchAdapter } from '../shared/azurebatch/adapter';
import { createBatchClient } from '../shared/azurebatch/client';
import { createAzureMlAdapter } from '../shared/azureml/adapter';
import { createAmlClient } from '../shared/azureml/client';
import { createBatchAiClient } from '../shared/batchai/client';
import { batchAiCompute } from '../shared/batchai/compute';
import type { ComputeBackend, WorkspaceRef } from '../shared/compute/model';
import type { ComputePort } from '../shared/compute/port';
import { staticTokenCredential } from '../shared/http/credential';
import { createOutputBlobs } from '../shared/storage/output-blobs';

export const SCALE_SUB = '00000000-0000-0000-0000-00000000a100';

export interface ScaleTarget {
  backend: ComputeBackend;
  /** The ARM (Batch AI), Azure ML or Batch endpoint; for Batch a function of the account (one host each). */
  endpoint: string | ((account: string) => string);
  workspaces: WorkspaceRef[];
  httpClient: HttpClient;
  /** Azurite: Azure Batch's output container (never read by a tick). */
  connectionString: string;
  batchKey?: string;
}

export function scaleCompute(t: ScaleTarget): ComputePort {
  const endpointOf = (account: string) => (typeof t.endpoint === 'string' ? t.endpoint : t.endpoint(account));
  const credential = staticTokenCredential('bench');
  const { httpClient } = t;
  if (t.backend === 'batchai') {
    return batchAiCompute(
      createBatchAiClient({ endpoint: endpointOf(''), subscriptionId: SCALE_SUB, credential, httpClient }),
    );
  }
  if (t.backend === 'azureml') {
    const client = createAmlClient({ endpoint: endpointOf(''), subscriptionId: SCALE_SUB, credential, httpClient });
    return createAzureMlAdapter({ client, fileHttpClient: httpClient });
  }
  return createAzureBatchAdapter({
    subscriptionId: SCALE_SUB,
    accounts: t.workspaces.map((ws) => ({
      subscriptionId: SCALE_SUB,
      resourceGroup: ws.resourceGroup,
      account: ws.workspace,
      client: createBatchClient({
        endpoint: endpointOf(ws.workspace),
        auth: { accountName: ws.workspace, accountKey: t.batchKey ?? '' },
        httpClient,
      }),
    })),
    outputs: createOutputBlobs({ connectionString: t.connectionString, container: 'batch-outputs' }),
  });
}
