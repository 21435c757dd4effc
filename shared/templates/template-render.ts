// Template + a person's values → the JobCreateParameters body to PUT. Every value is checked before anything
// is built. A value never becomes shell text: a placeholder in a command line becomes a reference to the job's
// environment variable P_<name>, which holds the value (among the job's secrets when the parameter fills one),
// so it fills a slot as one word and never adds a command, a redirection or a substitution; it may read as an
// option only where the template allows it. A value that lands in a path stays under the template's directory.
import type { JobCreateParameters, ResourceId } from '../compute/job-file';
import { InputError } from '../errors';
import { isObject, type Json } from '../core/json-shape';
import { WHOLE_PLACEHOLDER } from './template-job-shape';
import { shellSites, valueReference, valueVariable } from './shell-places';
import { isArgsField, isPathField, isScriptPathField, isShellField } from './template-fields';
import { resolveParam, type ParamValue } from './template-params';
import { maskValues } from '../core/redact';
import { secretParameters } from './template-secrets';
import { PLACEHOLDER, type Template } from './template-types';

export interface RenderOverrides {
  /** The cluster's ARM id (or ResourceId); fills `properties.cluster` and `{{cluster}}`. */
  cluster?: string | ResourceId;
  /** Fills `{{experiment}}`. */
  experiment?: string;
  /** The job name; fills `{{job}}`. */
  name?: string;
}

/** A path piece: letters, digits, `.`, `-`, `_` and `/`; relative, never climbing out with `..`. */
const PATH_SAFE = /^[\w./-]*$/;

function unsafe(name: string, value: string, path: string, why: string): InputError {
  return new InputError(
    'TemplateUnsafeValue',
    `Parameter ${name}: ${JSON.stringify(value.slice(0, 80))} cannot go into ${path}: ${why}.`,
  );
}

type Resolved = Map<string, ParamValue & { allowOption?: boolean }>;

function checkPlaced(name: string, value: ParamValue & { allowOption?: boolean }, key: string, path: string): void {
  const text = value.text;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: it refuses control characters on purpose
  if (/[\x00-\x1f\x7f]/.test(text) && (isShellField(key) || isPathField(key)))
    throw unsafe(name, text, path, 'expected printable text (no control characters)');
  if (key === 'id' && !/^\w+$/.test(text))
    throw unsafe(
      name,
      text,
      path,
      'expected letters, digits and _ (an id names $AZ_BATCHAI_INPUT_<id> or _OUTPUT_<id>)',
    );
  if (isShellField(key) && text.startsWith('-') && !value.allowOption) {
    throw unsafe(
      name,
      text,
      path,
      'expected a value not starting with - (it would read as an option; ' +
        'the template can allow it with "allowOption": true)',
    );
  }
  if (
    (isPathField(key) || isScriptPathField(key)) &&
    (!PATH_SAFE.test(text) || text.startsWith('/') || text.includes('..'))
  ) {
    throw unsafe(name, text, path, "expected a relative path of letters, digits, . - _ and / (no '..', no leading /)");
  }
}

/**
 * A value in a redirection's target (`> out/{{name}}.txt`) or after a `/` of a word (`data/{{file}}`) continues a
 * path: the path rule holds there too, whatever the parameter's pattern allows.
 */
function checkPathPiece(name: string, text: string, path: string, where: 'start' | 'inside'): void {
  const what = where === 'start' ? 'a redirection target' : 'a path';
  if (/(^|\/)\.\.(\/|$)/.test(text))
    throw unsafe(name, text, path, `expected no '..' segment in ${what} (it would climb out of the job's directory)`);
  if (where === 'start' && text.startsWith('/'))
    throw unsafe(name, text, path, `expected a relative path in ${what}, not one starting with /`);
}

interface Filling {
  values: Resolved;
  typedNames: Set<string>;
  /** Parameters referenced from a command line: each becomes the environment variable P_<name>. */
  referenced: Set<string>;
}

function fill(v: Json, key: string, path: string, f: Filling): Json {
  if (Array.isArray(v)) return v.map((x, i) => fill(x, key, `${path}[${i}]`, f));
  if (isObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fill(x, k, `${path}.${k}`, f)]));
  if (typeof v !== 'string') return v;
  const whole = WHOLE_PLACEHOLDER.exec(v);
  if (whole && f.typedNames.has(whole[1]!)) return f.values.get(whole[1]!)?.typed ?? v;
  // Checked when the template was loaded: every placeholder here may take a reference.
  const sites = isShellField(key) ? shellSites(v, isArgsField(key)).filter((x) => !x.variable) : [];
  let n = 0;
  return v.replace(PLACEHOLDER, (_, name: string) => {
    const value = f.values.get(name);
    const site = sites[n++];
    if (!value) {
      const flag = { cluster: '--cluster', experiment: '--experiment', job: '--name' }[name] ?? name;
      throw new InputError(
        'TemplateMissingParameter',
        `${path} uses {{${name}}}, which has no value: expected ${flag} when submitting.`,
      );
    }
    checkPlaced(name, value, key, path);
    if (!site) return value.text;
    if (site.path) checkPathPiece(name, value.text, path, site.path);
    f.referenced.add(name);
    return valueReference(name, site.quote);
  });
}

/** The environment variables that hold the referenced values: secrets where the parameter fills a secret. */
function holdValues(properties: Record<string, Json>, f: Filling, secret: Set<string>): void {
  const add = (list: 'environmentVariables' | 'secrets', name: string, value: string): void => {
    const items = (Array.isArray(properties[list]) ? properties[list] : []) as Json[];
    properties[list] = [...items, { name: valueVariable(name), value }];
  };
  for (const name of f.referenced) {
    const text = f.values.get(name)!.text;
    add(secret.has(name) ? 'secrets' : 'environmentVariables', name, text);
  }
}

function reserved(overrides: RenderOverrides): Resolved {
  const m: Resolved = new Map();
  const cluster = typeof overrides.cluster === 'string' ? overrides.cluster : overrides.cluster?.id;
  // ARM ids and chat names were validated where they came from; they are quoted and checked like any value.
  if (cluster) m.set('cluster', { text: cluster, typed: cluster });
  if (overrides.experiment) m.set('experiment', { text: overrides.experiment, typed: overrides.experiment });
  if (overrides.name) m.set('job', { text: overrides.name, typed: overrides.name });
  return m;
}

/**
 * Checks `values` against the template's parameters (unknown keys, missing required, type, bounds, pattern,
 * allowed values, shell safety) and returns the request body. Throws InputError before building anything.
 */
export function renderTemplate(
  t: Template,
  values: Record<string, string>,
  overrides: RenderOverrides = {},
): JobCreateParameters {
  try {
    return render(t, values, overrides);
  } catch (e) {
    // A refused value that fills a secret is not echoed back into the conversation.
    if (!(e instanceof InputError)) throw e;
    const secrets = secretValues(t, values);
    throw secrets.length ? new InputError(e.code, maskValues(e.message, secrets)) : e;
  }
}

/** The texts of the parameters that fill a secret (the person's value or the default): masked wherever shown. */
export function secretValues(t: Template, values: Record<string, string>): string[] {
  const names = secretParameters(t);
  return t.parameters
    .filter((p) => names.has(p.name))
    .flatMap((p) => {
      const v = values[p.name] ?? (p.default === undefined ? undefined : String(p.default));
      return v === undefined ? [] : [v];
    });
}

function render(t: Template, values: Record<string, string>, overrides: RenderOverrides): JobCreateParameters {
  const declared = new Set(t.parameters.map((p) => p.name));
  const unknown = Object.keys(values).filter((k) => !declared.has(k));
  if (unknown.length > 0) {
    const expected = declared.size ? `one of ${[...declared].join(', ')}` : 'no parameters';
    throw new InputError(
      'TemplateUnknownParameter',
      `Template ${t.name} has no parameter ${unknown.join(', ')}: expected ${expected}.`,
    );
  }
  const resolved = reserved(overrides);
  const typedNames = new Set<string>();
  for (const p of t.parameters) {
    const v = resolveParam(p, values[p.name]);
    if (!v) {
      throw new InputError(
        'TemplateMissingParameter',
        `Template ${t.name} needs ${p.name}${p.description ? ` (${p.description})` : ''}: give ${p.name}=<${p.type}>.`,
      );
    }
    // A default is quoted like a person's value: a word is a word, whoever chose it.
    resolved.set(p.name, p.allowOption ? { ...v, allowOption: true } : v);
    if (p.type !== 'string' && p.type !== 'choice') typedNames.add(p.name);
  }
  const filling: Filling = { values: resolved, typedNames, referenced: new Set() };
  const properties = fill(t.job.properties as unknown as Json, 'properties', 'properties', filling) as Record<
    string,
    Json
  >;
  holdValues(properties, filling, secretParameters(t));
  const cluster = resolved.get('cluster')?.text;
  if (cluster) properties.cluster = { id: cluster };
  if (!isObject(properties.cluster) || typeof properties.cluster.id !== 'string') {
    throw new InputError(
      'TemplateNoCluster',
      `Template ${t.name} names no cluster: expected --cluster <name> (or a default cluster).`,
    );
  }
  properties.nodeCount ??= 1;
  const n = properties.nodeCount;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) {
    throw new InputError(
      'TemplateBadValue',
      `properties.nodeCount: expected a whole number ≥ 1, got ${JSON.stringify(n)}.`,
    );
  }
  return { properties: properties as unknown as JobCreateParameters['properties'] };
}
