// Secrets never reach a card: a dry run shows the request body with every secret value replaced.
import type { JobCreateParameters } from '../batchai/types';

export const REDACTED = '***';
/** Fields that hold a secret wherever they appear in a Batch AI request (storage keys, registry passwords). */
const SECRET_FIELDS = new Set(['accountKey', 'password', 'adminUserPassword', 'instrumentationKey']);

function redact(v: unknown, key: string, inSecrets: boolean): unknown {
  if (Array.isArray(v)) return v.map((x) => redact(x, key, inSecrets));
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, redact(x, k, inSecrets || k === 'secrets')]));
  }
  if (typeof v === 'string' && (SECRET_FIELDS.has(key) || (inSecrets && key === 'value'))) return REDACTED;
  // A SAS signature in a URL is a credential too.
  return typeof v === 'string' ? v.replace(/([?&]sig=)[^&]+/gi, `$1${REDACTED}`) : v;
}

export function redactJobRequest(body: JobCreateParameters): JobCreateParameters {
  return redact(body, '', false) as JobCreateParameters;
}
