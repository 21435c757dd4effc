// A task's resourceFiles, as a node agent fetches them before the command runs: an httpUrl to `filePath`, or
// every blob of a storageContainerUrl (with its SAS) under `blobPrefix` to `filePath/<blob name>`, each file
// with `fileMode` (0770 when not given, as on a Linux node). Checked when the task is added (a 400 for what
// cannot work here: auto-storage, managed identities, a path that leaves the working directory, plain http
// off this machine); fetched into a staging folder under the data dir that the task's script copies into its
// working directory. A fetch that fails gives the failureInfo the service reports (BlobNotFound,
// BlobAccessDenied, ...); nothing of a URL's query (its SAS) reaches that text.
import { createWriteStream, chmodSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, posix, resolve, sep } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ContainerClient } from '@azure/storage-blob';
import { invalidProperty, missingProperty } from './batch-http-error';
import type { TaskOutcome } from './store';

export interface ResourceFile {
  httpUrl?: string;
  storageContainerUrl?: string;
  autoStorageContainerName?: string;
  blobPrefix?: string;
  filePath?: string;
  fileMode?: string;
  identityReference?: unknown;
}

export type TaskFailure = NonNullable<TaskOutcome['failure']>;

/** What one task may fetch in all: a local cap, so that a wrong URL cannot fill the disk. */
export const MAX_RESOURCE_BYTES = 1024 * 1024 * 1024;
const FETCH_TIMEOUT_MS = 5 * 60_000;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** The failure codes of a fetch (the task's exit conditions treat them as preProcessingError). */
export function isResourceFileFailure(code: string): boolean {
  return /^(Blob|ResourceContainer)/.test(code);
}

function checkUrl(value: unknown, name: string): URL {
  let u: URL;
  try {
    u = new URL(String(value));
  } catch {
    throw invalidProperty(name, 'expected an absolute http(s) URL');
  }
  const local = LOOPBACK.has(u.hostname);
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && local))
    throw invalidProperty(name, 'expected https, or plain http to this machine (127.0.0.1, localhost)');
  return u;
}

function checkRelative(value: unknown, name: string): void {
  if (value === undefined) return;
  const text = String(value).replace(/\\/g, '/');
  const inside = posix.resolve('/wd', text);
  if (typeof value !== 'string' || text.startsWith('/') || (inside !== '/wd' && !inside.startsWith('/wd/')))
    throw invalidProperty(name, "expected a path relative to the task's working directory that stays inside it");
}

/** Throws the service's 400 for the first resource file that cannot be fetched here. */
export function checkResourceFiles(files: unknown, at: string): ResourceFile[] {
  if (files === undefined) return [];
  if (!Array.isArray(files)) throw invalidProperty(at, 'expected an array of resource files');
  return files.map((x: unknown, i) => {
    const f = (x && typeof x === 'object' ? x : {}) as ResourceFile;
    const name = `${at}[${i}]`;
    const sources = [f.httpUrl, f.storageContainerUrl, f.autoStorageContainerName].filter((s) => s !== undefined);
    if (sources.length !== 1)
      throw invalidProperty(name, 'expected exactly one of httpUrl, storageContainerUrl and autoStorageContainerName');
    if (f.autoStorageContainerName !== undefined)
      throw invalidProperty(`${name}.autoStorageContainerName`, 'the local account has no auto-storage account');
    if (f.identityReference !== undefined)
      throw invalidProperty(`${name}.identityReference`, 'no managed identity here: give a URL with a SAS');
    checkUrl(f.httpUrl ?? f.storageContainerUrl, `${name}.${f.httpUrl ? 'httpUrl' : 'storageContainerUrl'}`);
    if (f.httpUrl !== undefined && !f.filePath) throw missingProperty(`${name}.filePath`);
    checkRelative(f.filePath, `${name}.filePath`);
    if (f.fileMode !== undefined && !/^0?[0-7]{3}$/.test(String(f.fileMode)))
      throw invalidProperty(`${name}.fileMode`, "expected an octal mode such as '0755'");
    return f;
  });
}

function failure(code: string, message: string, filePath: string, url: string, reason: string): TaskFailure {
  const where = new URL(url);
  return {
    category: 'usererror',
    code,
    message,
    details: [
      { name: 'FilePath', value: filePath },
      { name: 'ResourceUrl', value: `${where.origin}${where.pathname}` },
      { name: 'Reason', value: reason },
    ],
  } as TaskFailure;
}

class FetchFailure extends Error {
  constructor(readonly failure: TaskFailure) {
    super(failure.message);
  }
}

function statusFailure(status: number, filePath: string, url: string): TaskFailure {
  if (status === 404)
    return failure('BlobNotFound', 'The specified blob does not exist.', filePath, url, `HTTP ${status}`);
  if (status === 401 || status === 403)
    return failure(
      'BlobAccessDenied',
      'Access for one of the specified Azure Blob(s) is denied.',
      filePath,
      url,
      `HTTP ${status}`,
    );
  return failure(
    'BlobDownloadMiscError',
    'Miscellaneous error encountered while downloading one of the specified Azure Blob(s).',
    filePath,
    url,
    `HTTP ${status}`,
  );
}

async function download(
  url: string,
  target: string,
  rel: string,
  budget: { left: number },
  stop: AbortSignal,
): Promise<void> {
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.any([AbortSignal.timeout(FETCH_TIMEOUT_MS), stop]) });
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    throw new FetchFailure(
      failure(
        'BlobDownloadMiscError',
        'Miscellaneous error encountered while downloading one of the specified Azure Blob(s).',
        rel,
        url,
        reason,
      ),
    );
  }
  if (!res.ok || !res.body) throw new FetchFailure(statusFailure(res.status, rel, url));
  const tooBig = (): FetchFailure =>
    new FetchFailure(
      failure(
        'BlobDownloadMiscError',
        `The task's resource files are larger than the local engine's cap of ${MAX_RESOURCE_BYTES} bytes.`,
        rel,
        url,
        'size cap',
      ),
    );
  if (Number(res.headers.get('content-length') ?? 0) > budget.left) throw tooBig();
  mkdirSync(dirname(target), { recursive: true });
  const count = new Transform({
    transform(chunk: Buffer, _enc, done) {
      budget.left -= chunk.length;
      done(budget.left < 0 ? tooBig() : null, chunk);
    },
  });
  await pipeline(Readable.fromWeb(res.body as never), count, createWriteStream(target));
}

function inside(dir: string, rel: string): string {
  const target = resolve(dir, rel.replace(/\\/g, '/'));
  if (!target.startsWith(dir + sep)) throw new Error(`${rel} leaves the working directory`);
  return target;
}

/** The blobs of a container under a prefix, each as [blob name, URL with the container's SAS]. */
async function blobsOf(f: ResourceFile, stop: AbortSignal): Promise<[string, string][]> {
  const url = f.storageContainerUrl!;
  const out: [string, string][] = [];
  try {
    const container = new ContainerClient(url);
    for await (const b of container.listBlobsFlat({ prefix: f.blobPrefix, abortSignal: stop }))
      out.push([b.name, container.getBlobClient(b.name).url]);
  } catch (e) {
    const status = (e as { statusCode?: number }).statusCode ?? 0;
    const denied = status === 401 || status === 403;
    throw new FetchFailure(
      failure(
        denied ? 'ResourceContainerAccessDenied' : 'ResourceContainerListMiscError',
        denied
          ? 'Access for one of the specified Azure Blob container(s) is denied.'
          : 'Miscellaneous error encountered while listing one of the specified Azure Blob container(s).',
        f.filePath ?? '',
        url,
        status ? `HTTP ${status}` : 'the container could not be listed',
      ),
    );
  }
  return out;
}

/**
 * Fetches every resource file into `dir` (created fresh). Resolves with the failure the task ends with, or
 * undefined when all arrived.
 */
export async function fetchResourceFiles(
  dir: string,
  files: ResourceFile[],
  stop: AbortSignal,
): Promise<TaskFailure | undefined> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const budget = { left: MAX_RESOURCE_BYTES };
  try {
    for (const f of files) {
      const mode = Number.parseInt(f.fileMode ?? '0770', 8);
      const items: [string, string][] = f.httpUrl
        ? [[f.filePath!, f.httpUrl]]
        : (await blobsOf(f, stop)).map(([name, url]) => [posix.join(f.filePath ?? '', name), url]);
      for (const [rel, url] of items) {
        const target = inside(dir, rel);
        await download(url, target, rel, budget, stop);
        chmodSync(target, mode);
      }
    }
    return undefined;
  } catch (e) {
    if (e instanceof FetchFailure) return e.failure;
    const reason = e instanceof Error ? e.message : String(e);
    return {
      category: 'usererror',
      code: 'BlobDownloadMiscError',
      message: `Miscellaneous error encountered while downloading one of the specified Azure Blob(s): ${reason}`,
    };
  }
}
