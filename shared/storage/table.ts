// The one place that opens Table and Queue clients: a connection string or the identity-based settings (a
// managed identity, as the Functions host reads AzureWebJobsStorage__*) → client, tables and queues created if
// missing, and the same pipeline policies (e.g. a write counter in tests and the benchmark) on every client.
import type { TokenCredential } from '@azure/core-auth';
import {
  TableClient,
  type TableEntityResult,
  type TableServiceClientOptions,
  type TransactionAction,
} from '@azure/data-tables';
import { QueueClient, type StoragePipelineOptions } from '@azure/storage-queue';
import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import { azureAdCredential } from '../azure-ad-credential';

export interface StorageOptions {
  /** Extra pipeline policies added to every Table client (per call). */
  tablePolicies?: PipelinePolicy[];
}

/**
 * Identity-based access: service URLs and the user-assigned identity's client id (absent = system-assigned or
 * developer sign-in).
 */
export interface StorageIdentity {
  tableServiceUri: string;
  queueServiceUri: string;
  /** Where the app keeps blobs of its own (chart images); absent: none. */
  blobServiceUri?: string;
  clientId?: string;
}

/** The storage settings: `identity` when set, else the connection string. */
export interface StorageSettings {
  connectionString: string;
  identity?: StorageIdentity;
  /** SECRETS_KEY: what seals secret values at rest (sealed.ts). */
  secretsKey?: Buffer;
}

/** A connection string ('UseDevelopmentStorage=true', Azurite's explicit form, a real account) or the settings. */
export type StorageTarget = string | StorageSettings;

// One credential per identity: it caches its tokens, so every table and queue client shares them.
const credentials = new WeakMap<StorageIdentity, TokenCredential>();

export function resolveStorage(
  target: StorageTarget,
): { connectionString: string } | { identity: StorageIdentity; credential: TokenCredential } {
  if (typeof target === 'string') return { connectionString: target };
  const identity = target.identity;
  if (!identity) return { connectionString: target.connectionString };
  let credential = credentials.get(identity);
  if (!credential) {
    credential = azureAdCredential(identity.clientId);
    credentials.set(identity, credential);
  }
  return { identity, credential };
}

const insecure = (connectionStringOrUrl: string) =>
  /DefaultEndpointsProtocol=http;|UseDevelopmentStorage=true|Endpoint=http:\/\/|^http:\/\//i.test(
    connectionStringOrUrl,
  );

export async function openTable(target: StorageTarget, name: string, opts: StorageOptions = {}): Promise<TableClient> {
  const r = resolveStorage(target);
  const options: TableServiceClientOptions = {
    allowInsecureConnection: insecure('identity' in r ? r.identity.tableServiceUri : r.connectionString),
    additionalPolicies: (opts.tablePolicies ?? []).map((policy) => ({ policy, position: 'perCall' as const })),
  };
  const client =
    'identity' in r
      ? new TableClient(r.identity.tableServiceUri, name, r.credential, options)
      : TableClient.fromConnectionString(r.connectionString, name, options);
  await client.createTable();
  return client;
}

export async function openQueue(
  target: StorageTarget,
  name: string,
  options: StoragePipelineOptions = {},
): Promise<QueueClient> {
  const r = resolveStorage(target);
  const client =
    'identity' in r
      ? new QueueClient(`${r.identity.queueServiceUri.replace(/\/+$/, '')}/${name}`, r.credential, options)
      : new QueueClient(r.connectionString, name, options);
  await client.createIfNotExists();
  return client;
}

/** RestError status without importing its class everywhere (Azurite leaves `code` undefined on 412). */
export function statusOf(e: unknown): number | undefined {
  return typeof e === 'object' && e !== null && 'statusCode' in e && typeof e.statusCode === 'number'
    ? e.statusCode
    : undefined;
}

/** A row's value with the ETag it was read with: a conditional write passes it back. */
export interface Versioned<T> {
  value: T;
  etag: string;
}

/** The entity, or undefined when there is no such row (any other failure is thrown). */
export async function getIfExists<T extends object>(
  table: TableClient,
  partitionKey: string,
  rowKey: string,
): Promise<TableEntityResult<T> | undefined> {
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
