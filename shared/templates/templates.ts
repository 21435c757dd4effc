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
import { placeholderContexts, UnquotablePlaceholder } from './shell-quote';
import { isShellField } from './template-fields';
import { PLACEHOLDER, RESERVED_PLACEHOLDERS, type Template, type TemplateProgress } from './template-types';

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

function placeholders(v: Json, key: string, path: string, out: Array<{ name: string; path: string }>): void {
  if (typeof v === 'string') {
    for (const m of v.matchAll(PLACEHOLDER)) out.push({ name: m[1]!, path });
    if (isShellField(key)) {
      try {
        placeholderContexts(v);
      } catch (e) {
        if (!(e instanceof UnquotablePlaceholder)) throw e;
        throw shapeError(path, `placeholders where a value can be quoted as one word, not ${e.message}`);
      }
    }
  } else if (Array.isArray(v)) v.forEach((x, i) => placeholders(x, key, `${path}[${i}]`, out));
  else if (isObject(v)) for (const [k, x] of Object.entries(v)) placeholders(x, k, `${path}.${k}`, out);
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
  placeholders(root.properties as Json, 'properties', `${name}.properties`, used);
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
