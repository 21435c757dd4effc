// A request body as it may be shown (dry run, template view): every secret value replaced by "***". Job
// `secrets`, registry passwords, storage account keys and instrumentation keys never reach a card.

const MASK = '***';
/** Keys whose value is a secret wherever they appear in a JobCreateParameters body. */
const SECRET_KEY = /^(password|accountKey|instrumentationKey|adminUserPassword|sasToken|key)$/i;

function mask(v: unknown, inSecrets: boolean): unknown {
  if (Array.isArray(v)) return v.map((x) => mask(x, inSecrets));
  if (!v || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    // Inside `secrets: [{ name, value }]` the value is the secret; the name is what the job reads it as.
    if ((inSecrets && k === 'value') || (SECRET_KEY.test(k) && typeof x === 'string')) out[k] = MASK;
    else out[k] = mask(x, k === 'secrets');
  }
  return out;
}

export function maskSecrets<T>(body: T): T {
  return mask(body, false) as T;
}

/** Every secret string in a body, to check that none reached a reply (tests) or a log. */
export function secretValues(body: unknown): string[] {
  const found: string[] = [];
  const walk = (v: unknown, inSecrets: boolean): void => {
    if (Array.isArray(v)) return v.forEach((x) => walk(x, inSecrets));
    if (!v || typeof v !== 'object') return;
    for (const [k, x] of Object.entries(v)) {
      if (((inSecrets && k === 'value') || SECRET_KEY.test(k)) && typeof x === 'string' && x) found.push(x);
      else walk(x, k === 'secrets');
    }
  };
  walk(body, false);
  return found;
}
