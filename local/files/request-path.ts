// Turns a request's raw path into checked segments and then into a real path on disk that is proven to lie
// inside its share's folder. Segments are decoded one by one, so `%2e%2e` and `%2F` are caught like `..`
// and `/`; the real path (after symlinks) is checked too, because a job can write a symlink to anywhere.
import { realpath, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { join, sep } from 'node:path';
import { FilesError } from './files-error';

const badUri = (why: string): FilesError => new FilesError(400, 'InvalidUri', { Detail: why });

/** `<account>/<share>/<path...>` from a raw (still percent-encoded) URL path; one trailing slash is allowed. */
export function parsePath(rawPath: string): string[] {
  const parts = rawPath.split('/');
  if (parts[0] !== '') throw badUri('The path must start with /.');
  parts.shift();
  if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  return parts.map((raw) => {
    let s: string;
    try {
      s = decodeURIComponent(raw);
    } catch {
      throw badUri(`Path segment "${raw}" is not valid percent-encoded UTF-8.`);
    }
    if (s === '' || s === '.' || s === '..' || /[/\\\0]/.test(s)) {
      throw badUri('Path segments must be names: no empty segment, ".", "..", "/", "\\" or NUL (encoded or not).');
    }
    return s;
  });
}

/** Splits "a/s/x" (as given to signUrl) into segments with the same rules as a request path. */
export function parseRelPath(relPath: string): string[] {
  return parsePath('/' + relPath.replace(/^\/+/, '').split('/').map(encodeURIComponent).join('/'));
}

export interface Resolved {
  real: string;
  stats: Stats;
}

function isInside(child: string, parent: string): boolean {
  return child === parent || child.startsWith(parent.endsWith(sep) ? parent : parent + sep);
}

async function exists(p: string): Promise<boolean> {
  return stat(p).then(
    () => true,
    () => false,
  );
}

/**
 * The file or directory for `segments` under `root`, or a 404 coded as Azure codes it (ShareNotFound,
 * ParentNotFound, ResourceNotFound), or 403 when symlinks lead out of the share's folder.
 */
export async function resolveInShare(root: string, segments: readonly string[]): Promise<Resolved> {
  const shareDir = join(root, segments[0]!, segments[1]!);
  const shareReal = await realpath(shareDir).catch(() => {
    throw new FilesError(404, 'ShareNotFound');
  });
  // The share folder itself must be a real folder under the root: a link a job made beside the shares
  // (`<account>/evil -> /`) is not a share.
  if (shareReal !== join(await realpath(root), segments[0]!, segments[1]!)) throw new FilesError(404, 'ShareNotFound');
  const target = join(shareDir, ...segments.slice(2));
  let real: string;
  try {
    real = await realpath(target);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    const parentExists = segments.length <= 3 || (await exists(join(shareDir, ...segments.slice(2, -1))));
    throw new FilesError(404, parentExists ? 'ResourceNotFound' : 'ParentNotFound');
  }
  if (!isInside(real, shareReal)) {
    throw new FilesError(403, 'AuthorizationFailure', {
      Detail: 'The path leads outside its share (through a symbolic link).',
    });
  }
  return { real, stats: await stat(real) };
}
