// Signed, expiring, read-only URLs, shaped like Azure SAS query parameters (sv, se, sp, sr, sig) so the SDK
// carries them unchanged. The signature is HMAC-SHA256 (key: the UTF-8 bytes of the signing key) over
// `sp \n se \n canonical path \n sr \n sv [\n sdd]`: sr and sdd are signed too, or widening a file SAS to a
// directory one would need no key. The canonical path is `/<account>/<share>/<path>`, decoded.
//
// sr=f signs one file (the request path itself). sr=d signs a directory `sdd` levels below the share (as
// Azure's blob directory SAS does): it covers everything beneath that directory, so an SDK client made with
// `getFileClient(name)` from a listed directory can read its files with the directory's signature.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { FilesError } from './files-error';

export type SasPermissions = 'r' | 'rl';
export const SAS_VERSION = '2026-10-06';

export interface SasGrant {
  permissions: string;
  resource: 'f' | 'd';
}

function sign(key: string, fields: string[]): string {
  return createHmac('sha256', Buffer.from(key, 'utf8')).update(fields.join('\n'), 'utf8').digest('base64');
}

function canonicalPath(segments: readonly string[]): string {
  return '/' + segments.join('/');
}

/** The SAS query for `segments` (account, share, path...). A directory SAS gets sr=d, a file SAS sr=f. */
export function sasQuery(
  key: string,
  segments: readonly string[],
  expiresAt: Date,
  permissions: SasPermissions,
): URLSearchParams {
  const se = expiresAt.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const sr = permissions === 'rl' ? 'd' : 'f';
  const fields = [permissions, se, canonicalPath(segments), sr, SAS_VERSION];
  const q = new URLSearchParams({ sv: SAS_VERSION, se, sp: permissions, sr });
  if (sr === 'd') {
    const sdd = String(segments.length - 2);
    q.set('sdd', sdd);
    fields.push(sdd);
  }
  q.set('sig', sign(key, fields));
  return q;
}

const denied = (why: string): FilesError =>
  new FilesError(403, 'AuthenticationFailed', { AuthenticationErrorDetail: why });

/** Checks the SAS of a request for `segments`; throws 403 AuthenticationFailed saying what is wrong. */
export function verifySas(key: string, segments: readonly string[], query: URLSearchParams, now: Date): SasGrant {
  const [sv, se, sp, sr, sig] = ['sv', 'se', 'sp', 'sr', 'sig'].map((k) => query.get(k));
  if (!sv || !se || !sp || !sr || !sig) {
    throw denied(
      'A shared access signature (sv, se, sp, sr, sig query parameters) is required: ' +
        'this endpoint serves signed URLs only.',
    );
  }
  if (sr !== 'f' && sr !== 'd') throw denied(`sr must be f (file) or d (directory), not ${sr}.`);
  let signedSegments = segments;
  const fields = [sp, se, '', sr, sv];
  if (sr === 'd') {
    const sdd = query.get('sdd') ?? '';
    const depth = /^\d{1,3}$/.test(sdd) ? Number(sdd) : NaN;
    if (!(depth + 2 <= segments.length))
      throw denied(`sdd must be the signed directory's depth below the share (at most ${segments.length - 2} here).`);
    signedSegments = segments.slice(0, depth + 2);
    fields.push(sdd);
  }
  fields[2] = canonicalPath(signedSegments);
  // Compared as text: base64 decoding ignores the spare bits of the last character, so two sig strings can
  // decode to the same bytes.
  const expected = Buffer.from(sign(key, fields), 'utf8');
  const given = Buffer.from(sig, 'utf8');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw denied('Signature did not match: the URL was changed after it was signed, or signed with another key.');
  }
  const expiry = Date.parse(se);
  if (Number.isNaN(expiry) || now.getTime() >= expiry) {
    throw denied(`Signature not valid in the specified time frame: Expiry [${se}] - Current [${now.toISOString()}].`);
  }
  return { permissions: sp, resource: sr };
}
