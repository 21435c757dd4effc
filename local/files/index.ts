// The Azure Files-compatible endpoint of the local engine: a read-only node:http server on 127.0.0.1 over a
// root folder, path-style URLs `/<account>/<share>/<path>` ↔ `<root>/<account>/<share>/<path>`, answering
// only requests that carry a valid signature from signUrl. The production code reads it with the real
// @azure/storage-file-share client, exactly as it reads a real share.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { realpath, stat } from 'node:fs/promises';
import { InputError } from '../../shared/errors';
import { parseRelPath } from './request-path';
import { handleRequest } from './router';
import { sasQuery, type SasPermissions } from './sas';

export interface FileServiceOptions {
  root: string;
  /** default 0: any free port */
  port?: number;
  signingKey: string;
  /** One line per request (method, path, query with `sig` redacted, status, error code), written before the
   *  body is sent; one more if a body stops early. Default: silent. */
  log?: (line: string) => void;
}

export interface FileService {
  /** http://127.0.0.1:PORT */
  url: string;
  /**
   * A SAS-style URL for `${url}/<account>/<share>/<path>` (relPath = `<account>/<share>/<path>`): read-only
   * (sp=r for a file, sp=rl for a directory, which also covers everything beneath it), expiring at expiresAt.
   * Tampered or expired → 403 AuthenticationFailed.
   */
  signUrl(relPath: string, expiresAt: Date, permissions?: SasPermissions): string;
  stop(): Promise<void>;
}

export async function startFileService(opts: FileServiceOptions): Promise<FileService> {
  if (!opts.signingKey) throw new InputError('MissingSigningKey', 'startFileService needs a non-empty signingKey.');
  const rootReal = await realpath(opts.root).catch(() => {
    throw new InputError('InvalidFilesRoot', `The files root ${opts.root} does not exist.`);
  });
  if (!(await stat(rootReal)).isDirectory())
    throw new InputError('InvalidFilesRoot', `The files root ${opts.root} is not a directory.`);

  const ctx = { rootReal, signingKey: opts.signingKey, baseUrl: '', log: opts.log, now: () => new Date() };
  const server = createServer((req, res) => void handleRequest(ctx, req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  ctx.baseUrl = url;

  return {
    url,
    signUrl(relPath, expiresAt, permissions = 'r') {
      let segments: string[];
      try {
        segments = parseRelPath(relPath);
      } catch {
        throw new InputError(
          'InvalidPath',
          `Expected "<account>/<share>/<path>" made of plain names (no "..", "." or empty parts), got "${relPath}".`,
        );
      }
      if (segments.length < (permissions === 'rl' ? 2 : 3)) {
        throw new InputError(
          'InvalidPath',
          `Expected "<account>/<share>${permissions === 'rl' ? '[/<dir>]' : '/<file>'}", got "${relPath}".`,
        );
      }
      if (Number.isNaN(expiresAt.getTime())) throw new InputError('InvalidExpiry', 'expiresAt must be a valid Date.');
      const path = segments.map(encodeURIComponent).join('/');
      return `${url}/${path}?${sasQuery(opts.signingKey, segments, expiresAt, permissions).toString()}`;
    },
    stop() {
      return new Promise<void>((resolve, reject) => {
        server.close((e) => (e ? reject(e) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}
