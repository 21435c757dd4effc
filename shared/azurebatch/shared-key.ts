// The Batch service's Shared Key scheme ("Authenticate requests to the Azure Batch service"): an HMAC-SHA256,
// keyed with the base64-decoded account key, over the verb, eleven standard headers, the `ocp-*` headers and
// the canonical resource (/account + path + sorted, lower-cased query names with decoded values). The same
// functions sign (the client's policy) and check (the local engine's facade), so both read one definition.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import { InputError } from '../errors';

const STANDARD_HEADERS = [
  'content-encoding',
  'content-language',
  'content-length',
  'content-md5',
  'content-type',
  'date',
  'if-modified-since',
  'if-match',
  'if-none-match',
  'if-unmodified-since',
  'range',
];

export interface SignableRequest {
  method: string;
  /** Absolute URL as sent (path percent-encoded, query included). */
  url: string;
  /** Header names in any case. */
  headers: Iterable<[string, string]>;
}

/**
 * `zeroLengthAsEmpty`: a Content-Length of 0 signs as the empty string (the storage services' rule since
 * 2015); older Batch SDKs sign the literal "0". The client signs the first way; the facade accepts both.
 */
export function batchStringToSign(account: string, req: SignableRequest, zeroLengthAsEmpty = true): string {
  const headers = new Map<string, string>();
  for (const [k, v] of req.headers) headers.set(k.toLowerCase(), String(v).trim());
  const standard = STANDARD_HEADERS.map((h) => {
    const v = headers.get(h) ?? '';
    return h === 'content-length' && v === '0' && zeroLengthAsEmpty ? '' : v;
  });
  const ocp = [...headers.keys()]
    .filter((k) => k.startsWith('ocp-'))
    .sort()
    .map((k) => `${k}:${headers.get(k)}\n`)
    .join('');
  const url = new URL(req.url);
  const params = new Map<string, string[]>();
  for (const [k, v] of url.searchParams) {
    const key = k.toLowerCase();
    params.set(key, [...(params.get(key) ?? []), v]);
  }
  const query = [...params.keys()]
    .sort()
    .map((k) => `\n${k}:${params.get(k)!.join(',')}`)
    .join('');
  return `${req.method.toUpperCase()}\n${standard.join('\n')}\n${ocp}/${account}${url.pathname}${query}`;
}

function keyBytes(accountKey: string): Buffer {
  const bytes = Buffer.from(accountKey, 'base64');
  if (!accountKey.trim() || bytes.length === 0) {
    throw new InputError(
      'ConfigInvalid',
      'Batch account key is empty or not base64: expected the key shown under the account\'s "Keys".',
    );
  }
  return bytes;
}

export function batchSignature(accountKey: string, stringToSign: string): string {
  return createHmac('sha256', keyBytes(accountKey)).update(stringToSign, 'utf8').digest('base64');
}

/** The facade's check: `authorization` is the header as received. */
export function verifySharedKey(
  account: string,
  accountKey: string,
  req: SignableRequest,
  authorization: string,
): boolean {
  const m = /^SharedKey ([^:\s]+):(\S+)$/.exec(authorization.trim());
  if (!m || m[1] !== account) return false;
  const given = Buffer.from(m[2], 'base64');
  return [true, false].some((zeroAsEmpty) => {
    const expected = Buffer.from(batchSignature(accountKey, batchStringToSign(account, req, zeroAsEmpty)), 'base64');
    return expected.length === given.length && timingSafeEqual(expected, given);
  });
}

/** Signs every request; sets `ocp-date` (the signed date) and the body's Content-Length first. */
export function sharedKeyPolicy(
  account: string,
  accountKey: string,
  now: () => Date = () => new Date(),
): PipelinePolicy {
  keyBytes(accountKey);
  return {
    name: 'batchSharedKeyPolicy',
    async sendRequest(request, next) {
      request.headers.set('ocp-date', now().toUTCString());
      if (typeof request.body === 'string')
        request.headers.set('Content-Length', String(Buffer.byteLength(request.body)));
      const signed = batchStringToSign(account, { method: request.method, url: request.url, headers: request.headers });
      request.headers.set('Authorization', `SharedKey ${account}:${batchSignature(accountKey, signed)}`);
      return next(request);
    },
  };
}
