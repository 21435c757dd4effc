// A file service over a fresh temp root with one account/share, plus a request log, for the files tests.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { request } from 'node:http';
import { startFileService, type FileService } from '../../local/files';

export const ACCOUNT = 'devaccount';
export const SHARE = 'logs';

export interface Fixture {
  service: FileService;
  root: string;
  log: string[];
  /** Writes `<root>/<account>/<share>/<rel>`. */
  put(rel: string, content: string | Buffer): Promise<void>;
  /** signUrl for `<account>/<share>/<rel>`, valid for an hour unless told. */
  url(rel: string, permissions?: 'r' | 'rl', expiresAt?: Date): string;
  close(): Promise<void>;
}

export async function startFixture(signingKey = 'test-key'): Promise<Fixture> {
  const root = await mkdtemp(join(tmpdir(), 'files-test-'));
  await mkdir(join(root, ACCOUNT, SHARE), { recursive: true });
  const log: string[] = [];
  const service = await startFileService({ root, signingKey, log: (l) => log.push(l) });
  return {
    service,
    root,
    log,
    async put(rel, content) {
      const p = join(root, ACCOUNT, SHARE, rel);
      await mkdir(dirname(p), { recursive: true });
      await writeFile(p, content);
    },
    url(rel, permissions = 'r', expiresAt = new Date(Date.now() + 3600_000)) {
      return service.signUrl(`${ACCOUNT}/${SHARE}${rel ? '/' + rel : ''}`, expiresAt, permissions);
    },
    async close() {
      await service.stop();
      await rm(root, { recursive: true, force: true });
    },
  };
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * A request whose path goes on the wire exactly as given: fetch and the SDK normalise `..` and `%2e%2e`
 * away on the client, so traversal attempts need this.
 */
export function rawRequest(
  baseUrl: string,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<RawResponse> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The path and query of a signed URL, for rawRequest. */
export function pathOf(url: string): string {
  const u = new URL(url);
  return u.pathname + u.search;
}
