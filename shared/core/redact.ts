// Secrets never reach a card, a log line or an error text. Two redactors, by key and by value: a shown request
// body (dry run, template view) loses every secret-keyed value and every secret inside any other string; text
// (logs, error messages, what a server echoes) loses what looks like a credential wherever it stands.

export const REDACTED = '***';
/** Keys whose string value is a secret wherever they appear in a Batch AI request (keys, passwords, tokens). */
const SECRET_KEY = /^(password|accountKey|instrumentationKey|adminUserPassword|sasToken|key|connectionString)$/i;

/** True when a string at `key` (inside a `secrets` list or not) is a secret by its key alone. */
export function isSecretField(key: string, inSecrets: boolean): boolean {
  // Inside `secrets: [{ name, value }]` the value is the secret; the name is what the job reads it as.
  return SECRET_KEY.test(key) || (inSecrets && key === 'value');
}

/**
 * An environment variable named like a credential (API_TOKEN, DB_PASSWORD, DBPASS, AWS_SECRET_ACCESS_KEY, SAS_URL,
 * GITHUB_PAT, PASSPHRASE, CREDS, COOKIE, PRIVATE_KEY, TLS_CERT). PAT only as a whole part (not PATH or COMPAT).
 */
const SECRET_VARIABLE =
  /(token|secret|pass|pwd|cred|key|conn\w*string|sas|auth|phrase|cookie|private|cert|(^|_)pat(_|$))/i;

/** True when `o`, an entry of `environmentVariables`, is named like a credential: its `value` is a secret. */
export const isSecretVariable = (key: string, o: Record<string, unknown>): boolean =>
  key === 'environmentVariables' && typeof o.name === 'string' && SECRET_VARIABLE.test(o.name);

/**
 * The values of a body's secret fields (`secrets[].value`, keys, passwords, environment variables named like a
 * credential): what its job might print, to be masked wherever the product shows its output.
 */
export function secretFieldValues(v: unknown, key = '', inSecrets = false): string[] {
  if (Array.isArray(v)) return v.flatMap((x) => secretFieldValues(x, key, inSecrets));
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const named = isSecretVariable(key, o);
    return Object.entries(o).flatMap(([k, x]) =>
      named && k === 'value' && typeof x === 'string' ? [x] : secretFieldValues(x, k, inSecrets || k === 'secrets'),
    );
  }
  return typeof v === 'string' && isSecretField(key, inSecrets) ? [v] : [];
}

/** `text` with every occurrence of the given secret values masked (values under 3 characters are left alone). */
export function maskValues(text: string, values: readonly string[]): string {
  let out = text;
  for (const v of values) if (v.length >= 3) out = out.split(v).join(REDACTED);
  return out;
}

function redact(v: unknown, key: string, inSecrets: boolean, values: readonly string[]): unknown {
  if (Array.isArray(v)) return v.map((x) => redact(x, key, inSecrets, values));
  if (v && typeof v === 'object') {
    const named = isSecretVariable(key, v as Record<string, unknown>);
    return Object.fromEntries(
      Object.entries(v).map(([k, x]) => [
        k,
        named && k === 'value' ? REDACTED : redact(x, k, inSecrets || k === 'secrets', values),
      ]),
    );
  }
  if (typeof v !== 'string') return v;
  return isSecretField(key, inSecrets) ? REDACTED : redactText(maskValues(v, values));
}

/**
 * A job request body (or a template's job) as it may be shown. `values` are secrets known by value (what a
 * template parameter that fills a secret was given): masked wherever else they were placed too.
 */
export function redactJobRequest<T>(body: T, values: readonly string[] = []): T {
  return redact(body, '', false, values) as T;
}

/** The names a credential goes by in `k=v`, connection-string and JSON form (a regex alternation). */
const CREDENTIAL_NAMES =
  'sig|accountkey|account_key|password|passwd|pwd|secret|sharedaccesskey|access_token|client_secret|token|' +
  'dbpass|passphrase|creds|credentials|cookie|private_key|github_pat';

/**
 * Text that may reach a log line or an error message, with what must not: bearer and basic credentials, SAS
 * signatures (also URL-encoded), account keys and passwords in connection strings, `k=v`, `--k v` and JSON
 * form, and passwords in URLs. The one scrubber for what a server echoes back (shared/batchai), what the bot
 * logs and what a card shows of a failure.
 */
export function redactText(text: string): string {
  return (
    text
      .replace(/\b(bearer|basic)(\s+)[-\w.~+/=]+/gi, `$1$2${REDACTED}`)
      .replace(new RegExp(`\\b(${CREDENTIAL_NAMES})(["']?\\s*[=:]\\s*["']?)[^&"'\\s,;}]+`, 'gi'), `$1$2${REDACTED}`)
      // URL-encoded inside another URL's query: `%26sig%3D…` (a digit may precede the name).
      .replace(/(?<![a-z])(sig|accountkey|password|token)(%3D)(?:(?!%26)[^&\s"',;}])+/gi, `$1$2${REDACTED}`)
      .replace(/(--?(?:password|passwd|secret|token|account-key|sas-token)[\s=]+)(?!-)\S+/gi, `$1${REDACTED}`)
      .replace(/(\/\/[^/\s:@]+:)[^@\s/]+@/g, `$1${REDACTED}@`)
  );
}
