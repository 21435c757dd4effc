// Which template parameters fill a secret, below templates.ts (loading) and template-render.ts (which masks
// their values), so that neither imports the other for it.
import { isObject } from '../core/json-shape';
import { isSecretField, isSecretVariable } from '../core/redact';
import { PLACEHOLDER, type Template } from './template-types';

/**
 * Parameters placed in a secret (a `secrets[].value`, a key, a password, the value of an environment variable
 * named like a credential): their values are never shown.
 */
export function secretParameters(t: Template): Set<string> {
  const out = new Set<string>();
  const walk = (v: unknown, key: string, inSecrets: boolean): void => {
    if (typeof v === 'string') {
      if (isSecretField(key, inSecrets)) for (const m of v.matchAll(PLACEHOLDER)) out.add(m[1]!);
    } else if (Array.isArray(v)) v.forEach((x) => walk(x, key, inSecrets));
    else if (isObject(v)) {
      const named = isSecretVariable(key, v);
      for (const [k, x] of Object.entries(v))
        walk(x, named && k === 'value' ? 'password' : k, inSecrets || k === 'secrets');
    }
  };
  walk(t.job.properties, 'properties', false);
  return out;
}
