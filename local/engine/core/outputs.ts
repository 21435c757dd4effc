// listOutputFiles: the entries of a job's output directory (or 'stdouterr'), with expiring download URLs on the
// Files endpoint for files that live on a mounted file share. Files elsewhere (blob containers, file servers,
// the job's temp dir) are listed without a downloadUrl: the service could not hand out a share URL for them.
// A page is read with an async, paged readdir (opendir) and stops one entry past its end: a directory of
// 700,000 files never sits in memory nor blocks the event loop (readdirSync of it held it 2.5 s). Pages follow
// the directory's own order (sorted within a page): a sort over all names would need them all.
import { realpathSync, statSync } from 'node:fs';
import { opendir } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import type { Core } from './core';
import { EngineError } from './errors';
import type { JobKey } from './model';
import { getJob } from './lookups';

export interface OutputEntry {
  name: string;
  fileType: 'file' | 'directory';
  downloadUrl?: string;
  contentLength?: number;
  lastModified?: number;
}

export interface OutputListOptions {
  outputDirectoryId: string;
  directory?: string;
  linkExpiryInMinutes: number;
  /** Index of the first entry (the page token). */
  offset: number;
  maxResults: number;
}

function outputRoot(core: Core, k: JobKey, id: string): string {
  const j = getJob(core, k);
  if (!j.paths) {
    throw new EngineError(
      'invalid',
      'OutputDirectoryNotAvailable',
      `The job '${k.job}' has not started yet: its output directories do not exist.`,
    );
  }
  if (id.toLowerCase() === 'stdouterr') return j.paths.stdOutErr;
  const key = Object.keys(j.paths.outputs).find((o) => o.toLowerCase() === id.toLowerCase());
  if (key === undefined) {
    const known = ['stdouterr', ...Object.keys(j.paths.outputs)].join(', ');
    throw new EngineError(
      'invalid',
      'OutputDirectoryNotFound',
      `The job has no output directory '${id}': expected one of ${known}.`,
    );
  }
  return j.paths.outputs[key]!;
}

const within = (p: string, base: string): boolean => p === base || p.startsWith(base + sep);

/** The directory to list, proven inside the output directory both as text and after links are followed. */
function inside(base: string, sub: string | undefined): { dir: string; baseReal: string } {
  const target = resolve(base, sub && sub !== '.' ? sub : '.');
  const refuse = () =>
    new EngineError('invalid', 'InvalidDirectory', `directory '${sub}' must be a path inside the output directory.`);
  if (!within(target, base)) throw refuse();
  let baseReal: string;
  let real: string;
  try {
    baseReal = realpathSync(base);
    real = realpathSync(target);
  } catch {
    throw new EngineError(
      'notFound',
      'DirectoryNotFound',
      `The directory '${sub ?? '.'}' does not exist in the output directory.`,
    );
  }
  // A job can leave a link to another share or outside the data directory: it is not part of its output.
  if (!within(real, baseReal)) throw refuse();
  return { dir: real, baseReal };
}

/** The share-relative path (`<account>/<share>/<path>`) of a file, if it lives on a mounted file share. */
function sharePath(core: Core, file: string): string | undefined {
  let real: string;
  let root: string;
  try {
    real = realpathSync(file);
    root = realpathSync(core.filesRoot);
  } catch {
    return undefined;
  }
  if (!real.startsWith(root + sep)) return undefined;
  const rel = relative(root, real).split(sep);
  return rel.length >= 3 ? rel.join('/') : undefined;
}

/** The names from `offset` on, at most `max`, and whether more follow; the directory is read in batches. */
async function namesPage(dir: string, offset: number, max: number): Promise<{ page: string[]; more: boolean }> {
  const page: string[] = [];
  let seen = 0;
  // A for-await over the Dir closes it when the loop ends or breaks.
  for await (const e of await opendir(dir, { bufferSize: 256 })) {
    if (seen++ < offset) continue;
    if (page.length === max) return { page: page.sort(), more: true };
    page.push(e.name);
  }
  return { page: page.sort(), more: false };
}

export async function listOutputFiles(
  core: Core,
  k: JobKey,
  o: OutputListOptions,
): Promise<{ entries: OutputEntry[]; nextOffset?: number }> {
  const { dir, baseReal } = inside(outputRoot(core, k, o.outputDirectoryId), o.directory);
  let listed: { page: string[]; more: boolean };
  try {
    listed = await namesPage(dir, o.offset, o.maxResults);
  } catch {
    throw new EngineError(
      'notFound',
      'DirectoryNotFound',
      `The directory '${o.directory ?? '.'}' does not exist in output directory '${o.outputDirectoryId}'.`,
    );
  }
  const { page, more } = listed;
  const expiresAt = new Date(core.now() + o.linkExpiryInMinutes * 60_000);
  const entries: OutputEntry[] = [];
  for (const name of page) {
    let full: string;
    let st;
    try {
      full = realpathSync(join(dir, name));
      st = statSync(full);
    } catch {
      continue; // removed between listing and stat (a job still writing), or a dangling link
    }
    if (!within(full, baseReal)) continue; // a link out of the output directory is not listed, let alone signed
    if (st.isDirectory()) {
      entries.push({ name, fileType: 'directory' });
      continue;
    }
    const rel = core.signer ? sharePath(core, full) : undefined;
    entries.push({
      name,
      fileType: 'file',
      ...(rel && core.signer ? { downloadUrl: core.signer(rel, expiresAt, 'r') } : {}),
      contentLength: st.size,
      lastModified: st.mtimeMs,
    });
  }
  return { entries, ...(more ? { nextOffset: o.offset + o.maxResults } : {}) };
}
