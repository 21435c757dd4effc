// Template + a person's values → the JobCreateParameters body to PUT. Every value is checked before anything
// is built, and a value that lands in a command line must be shell-inert: it can fill a slot, never add a
// command, a redirection, a substitution or an option.
import type { JobCreateParameters, ResourceId } from '../batchai/types';
import { InputError } from '../errors';
import { isObject, type Json } from './json-shape';
import { WHOLE_PLACEHOLDER } from './template-job-shape';
import { resolveParam, type ParamValue } from './template-params';
import { PLACEHOLDER, type Template } from './templates';

export interface RenderOverrides {
  /** The cluster's ARM id (or ResourceId); fills `properties.cluster` and `{{cluster}}`. */
  cluster?: string | ResourceId;
  /** Fills `{{experiment}}`. */
  experiment?: string;
  /** The job name; fills `{{job}}`. */
  name?: string;
}

/** Fields whose text a shell or an argv reads: a value placed there is held to SHELL_SAFE. */
const SHELL_FIELD = /(commandLine|CommandLineArgs|FilePath|InterpreterPath|^mountCommand|^mountOptions)$/;
const SHELL_SAFE = /^[\w.,:/=+@%-]*$/;

function unsafe(name: string, value: string, path: string, why: string): InputError {
  return new InputError('TemplateUnsafeValue', `Parameter ${name}: ${JSON.stringify(value)} cannot go into ${path}: ${why}.`);
}

type Resolved = Map<string, ParamValue & { fromPerson: boolean }>;

function fill(v: Json, key: string, path: string, values: Resolved, typedNames: Set<string>): Json {
  if (Array.isArray(v)) return v.map((x, i) => fill(x, key, `${path}[${i}]`, values, typedNames));
  if (isObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fill(x, k, `${path}.${k}`, values, typedNames)]));
  if (typeof v !== 'string') return v;
  const whole = WHOLE_PLACEHOLDER.exec(v);
  if (whole && typedNames.has(whole[1])) return values.get(whole[1])?.typed ?? v;
  const shell = SHELL_FIELD.test(key);
  return v.replace(PLACEHOLDER, (_, name: string) => {
    const value = values.get(name);
    if (!value) {
      const flag = { cluster: '--cluster', experiment: '--experiment', job: '--name' }[name] ?? name;
      throw new InputError('TemplateMissingParameter', `${path} uses {{${name}}}, which has no value: expected ${flag} when submitting.`);
    }
    if (shell && value.fromPerson) {
      if (!SHELL_SAFE.test(value.text)) throw unsafe(name, value.text, path, 'expected letters, digits and . , : / = + - _ @ % only (no spaces or shell characters)');
      if (value.text.startsWith('-') && typeof value.typed === 'string') throw unsafe(name, value.text, path, 'expected a value not starting with - (it would read as an option)');
    }
    return value.text;
  });
}

function reserved(overrides: RenderOverrides): Resolved {
  const m: Resolved = new Map();
  const cluster = typeof overrides.cluster === 'string' ? overrides.cluster : overrides.cluster?.id;
  // ARM ids and chat names were validated where they came from; they still pass the shell check below.
  if (cluster) m.set('cluster', { text: cluster, typed: cluster, fromPerson: true });
  if (overrides.experiment) m.set('experiment', { text: overrides.experiment, typed: overrides.experiment, fromPerson: true });
  if (overrides.name) m.set('job', { text: overrides.name, typed: overrides.name, fromPerson: true });
  return m;
}

/**
 * Checks `values` against the template's parameters (unknown keys, missing required, type, bounds, pattern,
 * allowed values, shell safety) and returns the request body. Throws InputError before building anything.
 */
export function renderTemplate(t: Template, values: Record<string, string>, overrides: RenderOverrides = {}): JobCreateParameters {
  const declared = new Set(t.parameters.map((p) => p.name));
  const unknown = Object.keys(values).filter((k) => !declared.has(k));
  if (unknown.length > 0) {
    const expected = declared.size ? `one of ${[...declared].join(', ')}` : 'no parameters';
    throw new InputError('TemplateUnknownParameter', `Template ${t.name} has no parameter ${unknown.join(', ')}: expected ${expected}.`);
  }
  const resolved = reserved(overrides);
  const typedNames = new Set<string>();
  for (const p of t.parameters) {
    const v = resolveParam(p, values[p.name]);
    if (!v) {
      throw new InputError('TemplateMissingParameter', `Template ${t.name} needs ${p.name}${p.description ? ` (${p.description})` : ''}: give ${p.name}=<${p.type}>.`);
    }
    // A template author's own default is trusted like the rest of the template text; a person's value is not.
    resolved.set(p.name, { ...v, fromPerson: values[p.name] !== undefined });
    if (p.type !== 'string' && p.type !== 'choice') typedNames.add(p.name);
  }
  const properties = fill(t.job.properties as unknown as Json, 'properties', 'properties', resolved, typedNames) as Record<string, Json>;
  const cluster = resolved.get('cluster')?.text;
  if (cluster) properties.cluster = { id: cluster };
  if (!isObject(properties.cluster) || typeof properties.cluster.id !== 'string') {
    throw new InputError('TemplateNoCluster', `Template ${t.name} names no cluster: expected --cluster <name> (or a default cluster).`);
  }
  properties.nodeCount ??= 1;
  const n = properties.nodeCount;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) {
    throw new InputError('TemplateBadValue', `properties.nodeCount: expected a whole number ≥ 1, got ${JSON.stringify(n)}.`);
  }
  return { properties: properties as unknown as JobCreateParameters['properties'] };
}
