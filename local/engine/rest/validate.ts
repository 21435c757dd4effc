// Checks a request body against the swagger's request schema and says which property broke it and what was
// expected, as the service's InvalidRequestContent answers did. Unknown properties are ignored (ARM did too).
import { definitions, type SchemaNode } from './request-schema';
import { ArmHttpError } from './arm-error';
import { ARRAY_LIMITS, INTEGER_LIMITS } from './limits';

function resolve(node: SchemaNode): Exclude<SchemaNode, string> {
  if (typeof node !== 'string') return node;
  const def = definitions[node];
  if (def === undefined) throw new Error(`request schema has no definition ${node}`);
  return resolve(def);
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

function bad(path: string, message: string): ArmHttpError {
  return new ArmHttpError(
    400,
    'InvalidRequestContent',
    `The request content was invalid: property '${path || '(request body)'}' ${message}.`,
  );
}

function check(value: unknown, node: SchemaNode, path: string): void {
  const s = resolve(node);
  switch (s.t) {
    case 'string':
      if (typeof value !== 'string') throw bad(path, `must be a string, got ${typeName(value)}`);
      if (s.enum && !s.enum.some((e) => e.toLowerCase() === value.toLowerCase())) {
        throw bad(path, `must be one of ${s.enum.join(', ')}, got '${value}'`);
      }
      return;
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value))
        throw bad(path, `must be an integer, got ${typeName(value)}`);
      {
        const limit = INTEGER_LIMITS[path.slice(path.lastIndexOf('.') + 1)];
        const min = s.min ?? limit?.min;
        const max = s.max ?? limit?.max ?? 2147483647;
        if (min !== undefined && value < min) throw bad(path, `must be at least ${min}, got ${value}`);
        if (value > max)
          throw bad(path, `must be at most ${max}, got ${value}${limit ? " (the local engine's limit)" : ''}`);
      }
      return;
    case 'number':
      if (typeof value !== 'number') throw bad(path, `must be a number, got ${typeName(value)}`);
      return;
    case 'boolean':
      if (typeof value !== 'boolean') throw bad(path, `must be a boolean, got ${typeName(value)}`);
      return;
    case 'array':
      if (!Array.isArray(value)) throw bad(path, `must be an array, got ${typeName(value)}`);
      {
        const max = ARRAY_LIMITS[path.slice(path.lastIndexOf('.') + 1)];
        if (max !== undefined && value.length > max)
          throw bad(path, `must have at most ${max} items, got ${value.length} (the local engine's limit)`);
      }
      value.forEach((item, i) => check(item, s.items ?? { t: 'string' }, `${path}[${i}]`));
      return;
    case 'map':
      if (typeName(value) !== 'object') throw bad(path, `must be an object, got ${typeName(value)}`);
      for (const [k, v] of Object.entries(value as Record<string, unknown>))
        check(v, s.items ?? { t: 'string' }, `${path}.${k}`);
      return;
    case 'object': {
      if (typeName(value) !== 'object') throw bad(path, `must be an object, got ${typeName(value)}`);
      const obj = value as Record<string, unknown>;
      for (const r of s.req ?? []) {
        if (obj[r] === undefined || obj[r] === null) throw bad(path ? `${path}.${r}` : r, 'is required');
      }
      for (const [k, sub] of Object.entries(s.props ?? {})) {
        // A null optional property means "absent" to ARM clients that serialise every field.
        if (obj[k] !== undefined && obj[k] !== null) check(obj[k], sub, path ? `${path}.${k}` : k);
      }
      return;
    }
  }
}

/** Validates `body` against a named request definition (e.g. 'JobCreateParameters'); returns it typed. */
export function validateBody<T>(body: unknown, definition: string): T {
  if (body === undefined)
    throw new ArmHttpError(
      400,
      'InvalidRequestContent',
      `The request content was invalid: a JSON body (${definition}) is required.`,
    );
  check(body, definition, '');
  return body as T;
}
