// Mount volumes become folders under the data directory, named after account and share, and each cluster or
// job sees them through a symlink tree at its mount root (relativeMountPath → folder), as a node saw its mounts.
import { lstatSync, mkdirSync, readlinkSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import type { MountVolumes } from '../../../shared/batchai/types';
import { invalidContent } from './errors';

/** Where a file share's folder lives: `{dataDir}/files/{account}/{share}` (the Files endpoint serves `files/`). */
function fileShareDir(dataDir: string, accountName: string, azureFileUrl: string): string {
  let account = accountName;
  let share: string | undefined;
  try {
    const u = new URL(azureFileUrl);
    account = u.hostname.split('.')[0] || accountName;
    share = decodeURIComponent(u.pathname.split('/').filter(Boolean)[0] ?? '');
  } catch {
    share = azureFileUrl.split('/').filter(Boolean).pop();
  }
  if (!share)
    throw invalidContent(
      `azureFileUrl '${azureFileUrl}' names no share: expected https://<account>.file.core.windows.net/<share>.`,
    );
  return join(dataDir, 'files', safeSegment(account), safeSegment(share));
}

function safeSegment(s: string): string {
  if (!s || s === '.' || s === '..' || /[\\/]/.test(s))
    throw invalidContent(`'${s}' is not a valid account, share or container name.`);
  return s;
}

function mountTargets(dataDir: string, mv: MountVolumes | undefined): Array<{ rel: string; target: string }> {
  if (!mv) return [];
  return [
    ...(mv.azureFileShares ?? []).map((m) => ({
      rel: m.relativeMountPath,
      target: fileShareDir(dataDir, m.accountName, m.azureFileUrl),
    })),
    ...(mv.azureBlobFileSystems ?? []).map((m) => ({
      rel: m.relativeMountPath,
      target: join(dataDir, 'blobs', safeSegment(m.accountName), safeSegment(m.containerName)),
    })),
    ...(mv.fileServers ?? []).map((m) => {
      const name = m.fileServer.id.split('/').filter(Boolean).pop() ?? 'fileserver';
      return {
        rel: m.relativeMountPath,
        target: join(
          dataDir,
          'fileservers',
          safeSegment(name.toLowerCase()),
          ...(m.sourceDirectory ?? '').split('/').filter((p) => p && p !== '..'),
        ),
      };
    }),
    // The mount command is not run (it would mount a real NFS/GlusterFS); the folder stands in for the file system.
    ...(mv.unmanagedFileSystems ?? []).map((m) => ({
      rel: m.relativeMountPath,
      target: join(dataDir, 'unmanaged', safeSegment(m.relativeMountPath)),
    })),
  ];
}

/** Checks relativeMountPaths before anything is created, so a bad one is a 400 rather than a failed job. */
export function checkMountVolumes(dataDir: string, mv: MountVolumes | undefined, where: string): void {
  for (const { rel } of mountTargets(dataDir, mv)) {
    const root = resolve('/root-check');
    const p = resolve(root, rel);
    if (!rel || p === root || !p.startsWith(root + sep)) {
      throw invalidContent(`${where}: relativeMountPath '${rel}' must be a relative path inside the mount root.`);
    }
  }
}

/** (Re)creates the symlink tree of `mv` under `root`. */
export function materializeMounts(dataDir: string, root: string, mv: MountVolumes | undefined): void {
  mkdirSync(root, { recursive: true });
  for (const { rel, target } of mountTargets(dataDir, mv)) {
    mkdirSync(target, { recursive: true });
    const link = join(root, rel);
    mkdirSync(dirname(link), { recursive: true });
    // Jobs of one cluster share its tree: keep a correct link (a running job may be using it), fix a wrong one.
    try {
      if (lstatSync(link).isSymbolicLink() && readlinkSync(link) === target) continue;
      rmSync(link, { recursive: true, force: true });
    } catch {
      // Absent: created below.
    }
    symlinkSync(target, link, 'dir');
  }
}
