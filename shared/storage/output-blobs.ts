// The blob container Azure Batch tasks upload their outputs and stdout/stderr to (outputFiles), and the
// expiring read links a card shows for them; the same kind of container holds chart images that Azure Bot
// Service's Slack channel shows by link (bot/chart-links.ts). Locally (a connection string with the account
// key, Azurite): SAS signed with the key, and the tasks upload through a write SAS. In Azure (an identity): the
// pools upload with their user-assigned identity, and links are user delegation SAS signed with the Function
// App's identity (it needs Storage Blob Data Contributor, or Reader plus "generate user delegation key", on the
// account).
import type { TokenCredential } from '@azure/core-auth';
import {
  BlobSASPermissions,
  BlobServiceClient,
  ContainerClient,
  ContainerSASPermissions,
  generateBlobSASQueryParameters,
  type UserDelegationKey,
} from '@azure/storage-blob';
import { resolveStorage, type StorageSettings } from './table';

export type OutputStorage =
  | { connectionString: string; container: string }
  | {
      containerUrl: string;
      credential: TokenCredential;
      /** Resource id of the pools' user-assigned identity (Azure Batch outputs only). */
      identity?: string;
    };

export interface OutputBlob {
  /** Path below the prefix listed. */
  name: string;
  size: number;
  url: string;
}

export interface OutputBlobs {
  /** The container's URL without any signature: what a dry run may show. */
  readonly containerUrl: string;
  /** Where a new job's task uploads to (the `outputFiles` container). */
  uploadTarget(): Promise<{ url: string; identity?: string }>;
  /** Blobs below `prefix/`, each with a read link that expires after `expiryMinutes`. */
  list(prefix: string, o: { expiryMinutes: number; max: number }): AsyncIterable<OutputBlob>;
  /** A read link to one blob (it may not be uploaded yet). */
  link(blobName: string, expiryMinutes: number): Promise<string>;
}

/** The container as the app writes to it too (chart images). */
export interface WritableBlobs extends OutputBlobs {
  /** Writes one blob (replacing it), creating the container first where the app may (a connection string). */
  put(blobName: string, bytes: Uint8Array, contentType: string): Promise<void>;
}

/**
 * A container of the app's own storage account (AzureWebJobsStorage): by its connection string (Azurite locally),
 * or by the app's identity where the settings name a blob service; undefined when they name none.
 */
export function createAppBlobs(target: StorageSettings, container: string): WritableBlobs | undefined {
  const r = resolveStorage(target);
  if ('connectionString' in r) return r.connectionString ? createOutputBlobs({ ...r, container }) : undefined;
  const service = r.identity.blobServiceUri;
  return service ? createOutputBlobs({ containerUrl: `${service}/${container}`, credential: r.credential }) : undefined;
}

/** A task's upload SAS outlives any job we run: Batch AI's longest wall clock was 7 days. */
const UPLOAD_SAS_MS = 7 * 24 * 3_600_000;
/** A user delegation key is reused while it has this long left (they are valid up to 7 days). */
const KEY_MS = 24 * 3_600_000;

export function createOutputBlobs(s: OutputStorage, now: () => number = Date.now): WritableBlobs {
  const local = 'connectionString' in s;
  const container = local
    ? BlobServiceClient.fromConnectionString(s.connectionString).getContainerClient(s.container)
    : new ContainerClient(s.containerUrl, s.credential);
  let created: Promise<unknown> | undefined;
  let key: { value: Promise<UserDelegationKey>; until: number } | undefined;

  function delegationKey(): Promise<UserDelegationKey> {
    if (key && key.until - now() > KEY_MS / 2) return key.value;
    const start = new Date(now() - 5 * 60_000);
    const until = now() + KEY_MS;
    const service = new BlobServiceClient(
      new URL(container.url).origin,
      (s as { credential: TokenCredential }).credential,
    );
    const value = service.getUserDelegationKey(start, new Date(until)).then((r) => r as UserDelegationKey);
    key = { value, until };
    value.catch(() => {
      key = undefined;
    });
    return value;
  }

  async function link(blobName: string, expiryMinutes: number): Promise<string> {
    const expiresOn = new Date(now() + expiryMinutes * 60_000);
    const blob = container.getBlobClient(blobName);
    if (local) return blob.generateSasUrl({ permissions: BlobSASPermissions.parse('r'), expiresOn });
    const sas = generateBlobSASQueryParameters(
      { containerName: container.containerName, blobName, permissions: BlobSASPermissions.parse('r'), expiresOn },
      await delegationKey(),
      container.accountName,
    );
    return `${blob.url}?${sas.toString()}`;
  }

  const ensureContainer = () =>
    (created ??= container.createIfNotExists().catch((e: unknown) => {
      created = undefined;
      throw e;
    }));

  return {
    containerUrl: container.url,
    async put(blobName, bytes, contentType) {
      await ensureContainer();
      await container
        .getBlockBlobClient(blobName)
        .uploadData(bytes, { blobHTTPHeaders: { blobContentType: contentType } });
    },
    async uploadTarget() {
      if (!local) return { url: container.url, identity: s.identity };
      await ensureContainer();
      const url = await container.generateSasUrl({
        permissions: ContainerSASPermissions.parse('racwl'),
        expiresOn: new Date(now() + UPLOAD_SAS_MS),
      });
      return { url };
    },
    async *list(prefix, o) {
      const dir = prefix.endsWith('/') ? prefix : `${prefix}/`;
      let n = 0;
      for await (const b of container.listBlobsFlat({ prefix: dir })) {
        if (n++ === o.max) return;
        yield {
          name: b.name.slice(dir.length),
          size: b.properties.contentLength ?? 0,
          url: await link(b.name, o.expiryMinutes),
        };
      }
    },
    link,
  };
}
