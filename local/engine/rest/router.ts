// A table of (method, path template) → handler. Literal segments match case-insensitively, as ARM's did;
// `{name}` segments are captured, checked against the swagger's name patterns and lower-cased.
import type { Core } from '../core/core';
import { ArmHttpError } from './arm-error';
import type { Reply } from './http-io';
import type { Operations } from './operations';

export interface RequestCtx {
  core: Core;
  ops: Operations;
  /** Path parameters, lower-cased. */
  params: Record<string, string>;
  /** Query parameters with lower-cased names. */
  query: Map<string, string>;
  body: unknown;
  /** http://127.0.0.1:PORT */
  baseUrl: string;
  path: string;
}

export type Handler = (ctx: RequestCtx) => Reply | Promise<Reply>;

export interface Route {
  method: string;
  template: string;
  handler: Handler;
}

const NAME = /^[-\w_]{1,64}$/;
/** Subscription ids, locations and operation ids: no separators, no dots, nothing to decode into a path. */
const TOKEN = /^[-\w]{1,128}$/;
const RESOURCE_GROUP = /^[-\w._()]{1,90}$/;
const NAME_PARAMS: Record<string, string> = {
  workspaceName: 'workspace',
  experimentName: 'experiment',
  jobName: 'job',
  clusterName: 'cluster',
  fileServerName: 'file server',
};

/** A refused segment as it may be echoed: short, printable. */
function shown(value: string): string {
  return JSON.stringify(value.slice(0, 100)).slice(1, -1);
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new ArmHttpError(
      400,
      'InvalidRequestUri',
      `The path segment '${shown(segment)}' is not valid percent-encoding.`,
    );
  }
}

function checkParam(name: string, value: string): string {
  if (name === 'resourceGroupName' && (!RESOURCE_GROUP.test(value) || value.endsWith('.'))) {
    throw new ArmHttpError(
      400,
      'InvalidResourceGroupName',
      `The resource group name '${shown(value)}' is invalid: ` +
        "expected 1-90 letters, digits, '-', '_', '.', '(' or ')', not ending in '.'.",
    );
  }
  const kind = NAME_PARAMS[name];
  if (kind && !NAME.test(value)) {
    throw new ArmHttpError(
      400,
      'InvalidResourceName',
      `The ${kind} name '${shown(value)}' is invalid: ` +
        "expected 1-64 characters, letters, digits, '-' or '_' (pattern ^[-\\w_]+$).",
    );
  }
  if (!kind && name !== 'resourceGroupName' && !TOKEN.test(value)) {
    const code = name === 'subscriptionId' ? 'InvalidSubscriptionId' : 'InvalidRequestUri';
    throw new ArmHttpError(
      400,
      code,
      `The ${name} '${shown(value)}' is invalid: expected 1-128 letters, digits, '-' or '_'.`,
    );
  }
  return value.toLowerCase();
}

export interface Match<R = Route> {
  route: R;
  params: Record<string, string>;
}

/**
 * The route for a path; 405 when the path exists with another method, undefined when no path matches. Any table of
 * (method, template) serves: the Azure ML facade (../aml-rest/) matches its own handlers with the same rules.
 */
export function match<R extends Pick<Route, 'method' | 'template'> = Route>(
  routes: R[],
  method: string,
  path: string,
): Match<R> | 'wrongMethod' | undefined {
  const segs = path.split('/').filter(Boolean);
  let pathMatched = false;
  for (const route of routes) {
    const tpl = route.template.split('/').filter(Boolean);
    if (tpl.length !== segs.length) continue;
    const raw: Record<string, string> = {};
    let ok = true;
    for (let i = 0; i < tpl.length && ok; i++) {
      const t = tpl[i]!;
      const s = segs[i]!;
      if (t.startsWith('{')) raw[t.slice(1, -1)] = decode(s);
      else ok = t.toLowerCase() === s.toLowerCase();
    }
    if (!ok) continue;
    pathMatched = true;
    if (route.method !== method) continue;
    const params: Record<string, string> = {};
    for (const [k, v] of Object.entries(raw)) params[k] = checkParam(k, v);
    return { route, params };
  }
  return pathMatched ? 'wrongMethod' : undefined;
}
