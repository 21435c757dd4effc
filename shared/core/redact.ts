// Secrets never reach a card: a dry run or a template view shows the request body with every secret value
// replaced (job `secrets`, keys, passwords, tokens, and the `sig` of a SAS URL).

export const REDACTED = '***';
/** Keys whose string value is a secret wherever they appear in a Batch AI request (keys, passwords, tokens). */
const SECRET_KEY = /^(password|accountKey|instrumentationKey|adminUserPassword|sasToken|key)$/i;

function redact(v: unknown, key: string, inSecrets: boolean): unknown {
  if (Array.isArray(v)) return v.map((x) => redact(x, key, inSecrets));
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, redact(x, k, inSecrets || k === 'secrets')]));
  }
  // Inside `secrets: [{ name, value }]` the value is the secret; the name is what the job reads it as.
  if (typeof v === 'string' && (SECRET_KEY.test(key) || (inSecrets && key === 'value'))) return REDACTED;
  // A SAS signature in a URL is a credential too.
  return typeof v === 'string' ? v.replace(/([?&]sig=)[^&]+/gi, `$1${REDACTED}`) : v;
}

/** A job request body (or a template's job) as it may be shown. */
export function redactJobRequest<T>(body: T): T {
  return redact(body, '', false) as T;
}

/**
 * Text that may reach a log line or an error message, with what must not: bearer tokens, SAS signatures,
 * account keys, passwords and secrets in `k=v` / JSON form, and passwords in URLs. The one scrubber for both
 * what a server echoes back (shared/batchai) and what the bot logs.
 */
export function redactText(text: string): string {
  return text
    .replace(/(bearer\s+)[-\w.~+/=]+/gi, `$1${REDACTED}`)
    .replace(/\b(sig|accountkey|password|secret)(["']?\s*[=:]\s*["']?)[^&"'\s,;}]+/gi, `$1$2${REDACTED}`)
    .replace(/(\/\/[^/\s:@]+:)[^@\s/]+@/g, `$1${REDACTED}@`);
}
