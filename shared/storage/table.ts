// The one place that opens Table and Queue clients: connection string → client, tables and queues created if
// missing, and the same pipeline policies (e.g. a write counter in tests and the benchmark) on every client.
import { TableClient, type TableEntityResult, type TableServiceClientOptions, type TransactionAction } from '@azure/data-tables';
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

/** A row's value with the ETag it was read with: a conditional write passes it back. */
export interface Versioned<T> { value: T; etag: string }

/** The entity, or undefined when there is no such row (any other failure is thrown). */
export async function getIfExists<T extends object>(table: TableClient, partitionKey: string, rowKey: string): Promise<TableEntityResult<T> | undefined> {
  try {
    return await table.getEntity<T>(partitionKey, rowKey);
  } catch (e) {
    if (statusOf(e) === 404) return undefined;
    throw e;
  }
}

/** A Table transaction holds at most 100 actions, all of one partition, and at most 4 MiB. */
export const MAX_TRANSACTION_ACTIONS = 100;
// Below the 4 MiB limit, for the multipart framing around each action.
const MAX_TRANSACTION_BYTES = 3 * 1024 * 1024;

/** Actions of one partition → transactions within the count and size limits, in order. */
export function transactionGroups(actions: TransactionAction[]): TransactionAction[][] {
  const out: TransactionAction[][] = [];
  let current: TransactionAction[] = [];
  let bytes = 0;
  for (const a of actions) {
    const n = Buffer.byteLength(JSON.stringify(a[1])) + 512; // + the multipart part's headers
    if (current.length > 0 && (current.length === MAX_TRANSACTION_ACTIONS || bytes + n > MAX_TRANSACTION_BYTES)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(a);
    bytes += n;
  }
  if (current.length > 0) out.push(current);
  return out;
}
