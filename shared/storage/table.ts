// The one place that opens Table and Queue clients: connection string → client, tables and queues created if
// missing, and the same pipeline policies (e.g. a write counter in tests and the benchmark) on every client.
import { TableClient, type TableServiceClientOptions } from '@azure/data-tables';
import { QueueClient, type StoragePipelineOptions } from '@azure/storage-queue';
import type { PipelinePolicy } from '@azure/core-rest-pipeline';

export interface StorageOptions {
  /** Extra pipeline policies added to every Table client (per call). */
  tablePolicies?: PipelinePolicy[];
}

export async function openTable(connectionString: string, name: string, opts: StorageOptions = {}): Promise<TableClient> {
  const options: TableServiceClientOptions = {
    allowInsecureConnection: /DefaultEndpointsProtocol=http;|UseDevelopmentStorage=true|Endpoint=http:\/\//i.test(connectionString),
    additionalPolicies: (opts.tablePolicies ?? []).map((policy) => ({ policy, position: 'perCall' as const })),
  };
  const client = TableClient.fromConnectionString(connectionString, name, options);
  await client.createTable();
  return client;
}

export async function openQueue(connectionString: string, name: string, options: StoragePipelineOptions = {}): Promise<QueueClient> {
  const client = new QueueClient(connectionString, name, options);
  await client.createIfNotExists();
  return client;
}

/** RestError status without importing its class everywhere (Azurite leaves `code` undefined on 412). */
export function statusOf(e: unknown): number | undefined {
  return typeof e === 'object' && e !== null && 'statusCode' in e && typeof e.statusCode === 'number' ? e.statusCode : undefined;
}
