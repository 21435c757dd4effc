// Secret values the engine never needs to keep or show: admin passwords, storage account keys, registry
// passwords, instrumentation keys. Job `secrets` values are needed to run the job, so only answers drop them.
const SECRET_KEYS = new Set(['adminUserPassword', 'accountKey', 'password', 'instrumentationKey']);

/**
 * A deep copy without secret values; with `dropSecretValues`, `secrets` entries keep name and Key Vault reference only.
 */
export function scrub<T>(v: T, dropSecretValues = true): T {
  if (Array.isArray(v)) return v.map((x: unknown) => scrub(x, dropSecretValues)) as T;
  if (typeof v !== 'object' || v === null) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if (SECRET_KEYS.has(k)) continue;
    if (k === 'secrets' && Array.isArray(x) && dropSecretValues) {
      out[k] = x.map((s: { name: string; valueSecretReference?: unknown }) => ({
        name: s.name,
        ...(s.valueSecretReference ? { valueSecretReference: s.valueSecretReference } : {}),
      }));
      continue;
    }
    out[k] = scrub(x, dropSecretValues);
  }
  return out as T;
}
