// Job templates: a job.json (JobCreateParameters, as `az batchai job create -f` took it) plus typed parameters
// substituted where `{{name}}` appears in its string values. A plain job.json is a template with none.
// Loading checks the shape once (parseTemplate); rendering (template-render.ts) checks a person's values.
import { InputError } from '../errors';
import {
  array,
  isObject,
  object,
  onlyKeys,
  optional,
  shapeError,
  string,
  type Json,
  type JsonObject,
} from '../core/json-shape';
import {
  checkParam,
  compilePattern,
  MAX_PATTERN_LENGTH,
  type ParamType,
  type TemplateParameter,
} from './template-params';
import { checkJobProperties } from './template-job-shape';
import { CODE_VARIABLES, shellSites, valueVariable } from './shell-places';
import { isArgsField, isMountField, isShellField } from './template-fields';
import {
  PLACEHOLDER,
  RESERVED_PLACEHOLDERS,
  type Template,
  type TemplateJobProperties,
  type TemplateProgress,
} from './template-types';

export type { TemplateParameter, ParamType } from './template-params';
export { renderTemplate, secretValues, type RenderOverrides } from './template-render';
export { secretParameters } from './template-secrets';
export { PLACEHOLDER, RESERVED_PLACEHOLDERS, type Template, type TemplateJobProperties } from './template-types';

const TYPES: readonly ParamType[] = ['string', 'int', 'number', 'bool', 'choice'];
const PARAM_NAME = /^[A-Za-z_]\w{0,63}$/;

function parseParameter(v: unknown, path: string): TemplateParameter {
  const o = object(v, path);
  onlyKeys(
    o,
    ['name', 'type', 'default', 'pattern', 'values', 'min', 'max', 'description', 'required', 'allowOption'],
    path,
  );
  const name = string(o.name, `${path}.name`);
  if (!PARAM_NAME.test(name)) throw shapeError(`${path}.name`, 'a letter or _ then letters, digits or _', name);
  if ((RESERVED_PLACEHOLDERS as readonly string[]).includes(name)) {
    throw shapeError(
      `${path}.name`,
      `a name other than ${RESERVED_PLACEHOLDERS.join(', ')} (filled from the submit command)`,
      name,
    );
  }
  const type = o.type === undefined ? 'string' : o.type;
  if (typeof type !== 'string' || !TYPES.includes(type as ParamType))
    throw shapeError(`${path}.type`, `one of ${TYPES.join(', ')}`, type);
  const p: TemplateParameter = { name, type: type as ParamType };
  const num = (x: unknown, at: string) => {
    if (typeof x !== 'number' || !Number.isFinite(x)) throw shapeError(at, 'a number', x);
    return x;
  };
  p.min = optional(o, 'min', path, num);
  p.max = optional(o, 'max', path, num);
  p.description = optional(o, 'description', path, string);
  p.pattern = optional(o, 'pattern', path, (x, at) => {
    const s = string(x, at);
    try {
      compilePattern(s);
    } catch (e) {
      throw shapeError(
        at,
        `a valid RE2 regular expression of at most ${MAX_PATTERN_LENGTH} characters ` +
          `(no lookaround or backreferences): ${(e as Error).message}`,
        s.slice(0, 80),
      );
    }
    return s;
  });
  p.values = optional(o, 'values', path, (x, at) => array(x, at).map((e, i) => string(e, `${at}[${i}]`)));
  if (p.type === 'choice' && !p.values?.length)
    throw shapeError(`${path}.values`, 'a non-empty list of allowed values for a choice');
  const flag = (x: unknown, at: string) => {
    if (typeof x !== 'boolean') throw shapeError(at, 'true or false', x);
    return x;
  };
  p.required = optional(o, 'required', path, flag);
  p.allowOption = optional(o, 'allowOption', path, flag);
  if (o.default !== undefined) {
    const d = o.default;
    if (typeof d !== 'string' && typeof d !== 'number' && typeof d !== 'boolean')
      throw shapeError(`${path}.default`, 'a string, number or boolean', d);
    try {
      checkParam(p, String(d));
    } catch (e) {
      // Without the value: a default may be a secret's, and this message can reach the templates card.
      throw shapeError(`${path}.default`, `a valid default: ${(e as Error).message.replace(/, got .*$/s, '')}`);
    }
    p.default = d;
  }
  for (const k of Object.keys(p) as Array<keyof TemplateParameter>) if (p[k] === undefined) delete p[k];
  return p;
}

/** Parameter types whose values cannot be code: they may go into another language's program text. */
const INERT_TYPES: readonly ParamType[] = ['int', 'number', 'bool', 'choice'];

type Types = Map<string, ParamType>;

interface Places {
  types: Types;
  /** Variables of the job whose values hold a placeholder's: a reference to one is held to a string's rules. */
  tainted: ReadonlySet<string>;
}

/** Where a placeholder may not go in a command line (shell-places.ts says why), as the load error. */
function checkShellPlaces(text: string, key: string, path: string, places: Places): void {
  for (const site of shellSites(text, isArgsField(key), places.tainted)) {
    const what = !site.variable
      ? `{{${site.name}}}`
      : site.name === '@'
        ? "$1, $@ or $* (the positional parameters hold a parameter's value)"
        : site.name
          ? `$${site.name} (it holds a parameter's value)`
          : "parameter's value";
    if (site.refuse) throw shapeError(path, `no ${what} ${site.refuse}`);
    const type = site.variable ? 'string' : (places.types.get(site.name) ?? 'string');
    if (site.program && !INERT_TYPES.includes(type)) {
      throw shapeError(
        path,
        `no string parameter ${what} ${site.program}: only int, number, bool or choice parameters go there`,
      );
    }
  }
}

/** The path of a job variable's own name (`…environmentVariables[0].name`). */
const VARIABLE_NAME = /\.(environmentVariables|secrets)\[\d+\]\.name$/;

/**
 * The variables that hold the values are reached only through the placeholders the renderer writes: the text never
 * names one (`n=P_msg; eval "${!n}"` would read a value by name where no placeholder stands), and in a template
 * with values no shell text reads a variable through a name held in another (`${!n}`), which the checks above
 * cannot follow.
 */
function checkValueNames(text: string, key: string, path: string, places: Places): void {
  const outside = text.replace(PLACEHOLDER, ' ');
  // A variable's own name is checkVariableNames' to judge (it names which P_<name> are taken).
  if (!VARIABLE_NAME.test(path) && /(?<![A-Za-z0-9_])P_/.test(outside))
    throw shapeError(path, 'no P_… name (P_<parameter> variables hold the values: use the {{placeholder}})');
  const holds = places.types.size > 0 || outside !== text;
  if (holds && isShellField(key) && outside.includes('${!'))
    throw shapeError(path, 'no ${!…} in a template with values (it reads a variable named by another, unchecked)');
}

/** The job's variables whose values hold a placeholder's, and the P_<name> variables that hold the values. */
function taintedVariables(p: TemplateJobProperties, names: string[]): Set<string> {
  const out = new Set(names.map(valueVariable));
  for (const e of [...(p.environmentVariables ?? []), ...(p.secrets ?? [])])
    if (typeof e.value === 'string' && new RegExp(PLACEHOLDER.source).test(e.value)) out.add(e.name);
  return out;
}

function placeholders(v: Json, key: string, path: string, places: Places, out: Array<{ name: string; path: string }>) {
  if (typeof v === 'string') {
    const found = [...v.matchAll(PLACEHOLDER)];
    for (const m of found) out.push({ name: m[1]!, path });
    if (found.length && (isMountField(key) || VARIABLE_NAME.test(path)))
      throw shapeError(path, 'no {{placeholder}} here (a value never names a variable or a mount command)');
    if (isShellField(key)) checkShellPlaces(v, key, path, places);
    checkValueNames(v, key, path, places);
  } else if (Array.isArray(v)) v.forEach((x, i) => placeholders(x, key, `${path}[${i}]`, places, out));
  else if (isObject(v)) for (const [k, x] of Object.entries(v)) placeholders(x, k, `${path}.${k}`, places, out);
}

/**
 * The job's own variables may not take the names that hold parameter values (P_<name>), and a variable the shell
 * or an interpreter reads as code takes no placeholder.
 */
function checkVariableNames(p: TemplateJobProperties, path: string, names: string[]): void {
  const taken = new Set(names.map(valueVariable));
  for (const list of ['environmentVariables', 'secrets'] as const) {
    for (const [i, e] of (p[list] ?? []).entries()) {
      if (taken.has(e.name))
        throw shapeError(`${path}.${list}[${i}].name`, `a name other than ${e.name} (it holds a parameter's value)`);
      if (CODE_VARIABLES.test(e.name) && typeof e.value === 'string' && new RegExp(PLACEHOLDER.source).test(e.value))
        throw shapeError(
          `${path}.${list}[${i}].value`,
          `no {{placeholder}} in ${e.name} (the shell or an interpreter reads it as code or as where to find code)`,
        );
    }
  }
}

/**
 * Checks a template file's JSON and returns the template. Accepts a job.json (`{ "$schema"?, "properties" }`),
 * optionally with `description` and `parameters` beside `properties`. Throws InputError naming the bad field.
 */
export function parseTemplate(json: unknown, name: string): Template {
  if (!/^[-\w]{1,64}$/.test(name))
    throw new InputError(
      'TemplateInvalid',
      `Template name ${JSON.stringify(name)}: expected 1-64 letters, digits, - or _.`,
    );
  const root: JsonObject = object(json, name);
  onlyKeys(root, ['$schema', 'name', 'description', 'parameters', 'properties', 'progress'], name);
  const properties = checkJobProperties(root.properties, `${name}.properties`);
  const parameters =
    root.parameters === undefined
      ? []
      : array(root.parameters, `${name}.parameters`).map((p, i) => parseParameter(p, `${name}.parameters[${i}]`));
  const seen = new Set<string>();
  for (const [i, p] of parameters.entries()) {
    if (seen.has(p.name))
      throw shapeError(`${name}.parameters[${i}].name`, 'a name not used by another parameter', p.name);
    seen.add(p.name);
  }
  const used: Array<{ name: string; path: string }> = [];
  const places: Places = {
    types: new Map(parameters.map((p) => [p.name, p.type])),
    tainted: taintedVariables(properties, [...seen, ...RESERVED_PLACEHOLDERS]),
  };
  placeholders(root.properties as Json, 'properties', `${name}.properties`, places, used);
  checkVariableNames(properties, `${name}.properties`, [...seen, ...RESERVED_PLACEHOLDERS]);
  for (const u of used) {
    if (!seen.has(u.name) && !(RESERVED_PLACEHOLDERS as readonly string[]).includes(u.name)) {
      throw shapeError(
        u.path,
        `only declared parameters in {{ }} (declare "${u.name}" under parameters)`,
        `{{${u.name}}}`,
      );
    }
  }
  const t: Template = { name, parameters, job: { properties } };
  const description = optional(root, 'description', name, string);
  if (description !== undefined) t.description = description;
  const progress = optional(root, 'progress', name, parseProgressOptions);
  if (progress) t.progress = progress;
  return t;
}

/** `"progress": { "stallMinutes": 5, "metric": "val_loss" }` beside `properties`. */
function parseProgressOptions(v: unknown, path: string): TemplateProgress {
  const o = object(v, path);
  onlyKeys(o, ['stallMinutes', 'metric'], path);
  const out: TemplateProgress = {};
  const stall = optional(o, 'stallMinutes', path, (x, at) => {
    if (typeof x !== 'number' || !Number.isInteger(x) || x < 1 || x > 10_080)
      throw shapeError(at, 'whole minutes from 1 to 10080', x);
    return x;
  });
  if (stall !== undefined) out.stallMinutes = stall;
  const metric = optional(o, 'metric', path, string);
  if (metric !== undefined) out.metric = metric;
  return out;
}
