// The blob-like links of the facade: a job's log and output files as expiring URLs signed with the engine's key
// (what run history's logFiles and the artifact service's contentUri are on the live service: SAS links), served
// with HEAD and ranged GET (`x-ms-range` or `Range` → 206 + Content-Range). A link names a core job and one of its
// directories; a path never leaves that directory, not even through a link the job left.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createReadStream, realpathSync, statSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { resolve, sep } from 'node:path';
import type { Core } from '../core/core';
import type { JobKey } from '../core/model';
import { ArmHttpError } from '../rest/arm-error';

export const FILES_PREFIX = '/_files/';

export interface AmlFiles {
  /** A link to `rel` (slash-separated) below the job's directory `dir` ('stdouterr' or an output id). */
  sign(k: JobKey, dir: string, rel: string, expiresAt: number): string;
  /** Answers a HEAD or GET of a signed link (the path below FILES_PREFIX and its query). */
  serve(res: ServerResponse, method: string, url: URL, range: string | undefined): void;
}

function segments(k: JobKey, dir: string, rel: string): string[] {
  return [k.sub, k.rg, k.ws, k.exp, k.job, dir, ...rel.split('/').filter(Boolean)];
}

export function amlFiles(core: Core, key: string, baseUrl: () => string): AmlFiles {
  const mac = (path: string, se: string): string => createHmac('sha256', key).update(`${path}\n${se}`).digest('hex');
  const denied = () => new ArmHttpError(403, 'AuthenticationFailed', 'The link is not valid or has expired.');
  const notFound = () => new ArmHttpError(404, 'BlobNotFound', 'The specified blob does not exist.');

  function fileOf(url: URL): string {
    const path = url.pathname;
    const se = url.searchParams.get('se') ?? '';
    const sig = url.searchParams.get('sig') ?? '';
    const want = Buffer.from(mac(path, se));
    if (sig.length !== want.length || !timingSafeEqual(Buffer.from(sig), want)) throw denied();
    if (!(Number(se) > core.now())) throw denied();
    let parts: string[];
    try {
      parts = path.slice(FILES_PREFIX.length).split('/').map(decodeURIComponent);
    } catch {
      throw notFound(); // not percent-encoding this facade wrote
    }
    const [sub, rg, ws, exp, job, dir, ...rest] = parts;
    const j = core.state.job({ sub: sub!, rg: rg!, ws: ws!, exp: exp!, job: job! });
    if (!j?.paths || rest.length === 0) throw notFound();
    const out = Object.entries(j.paths.outputs).find(([id]) => id.toLowerCase() === dir!.toLowerCase())?.[1];
    const root = dir === 'stdouterr' ? j.paths.stdOutErr : out;
    if (!root) throw notFound();
    try {
      const base = realpathSync(root);
      const real = realpathSync(resolve(base, ...rest));
      if (!real.startsWith(base + sep) || !statSync(real).isFile()) throw notFound();
      return real;
    } catch (e) {
      if (e instanceof ArmHttpError) throw e;
      throw notFound();
    }
  }

  return {
    sign(k, dir, rel, expiresAt) {
      const path = FILES_PREFIX + segments(k, dir, rel).map(encodeURIComponent).join('/');
      const se = String(expiresAt);
      return `${baseUrl()}${path}?se=${se}&sig=${mac(path, se)}`;
    },
    serve(res, method, url, range) {
      const file = fileOf(url);
      const size = statSync(file).size;
      const headers: Record<string, string> = {
        'x-ms-blob-type': 'BlockBlob',
        'Accept-Ranges': 'bytes',
        'Content-Type': 'application/octet-stream',
      };
      const m = range ? /^bytes=(\d+)-(\d*)$/.exec(range.trim()) : null;
      if (range && (!m || Number(m[1]) >= size)) {
        res.writeHead(416, { ...headers, 'Content-Range': `bytes */${size}` });
        res.end();
        return;
      }
      const start = m ? Number(m[1]) : 0;
      const end = m?.[2] ? Math.min(Number(m[2]), size - 1) : size - 1;
      const length = size === 0 ? 0 : end - start + 1;
      if (m) headers['Content-Range'] = `bytes ${start}-${end}/${size}`;
      res.writeHead(m ? 206 : 200, { ...headers, 'Content-Length': String(length) });
      if (method === 'HEAD' || length === 0) {
        res.end();
        return;
      }
      createReadStream(file, { start, end }).pipe(res);
    },
  };
}
