// The ARM REST facade over the core: node:http on 127.0.0.1. Order per request: injected faults (in process only),
// authentication (any bearer token), api-version, route, body, handler; every failure is an ARM error body.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { API_VERSION } from '../../../shared/core/batchai-paths';
import type { Core } from '../core/core';
import { ArmHttpError, toArmError } from './arm-error';
import { errorReply, readJsonBody, send, type Reply } from './http-io';
import { clusterRoutes } from './handlers-clusters';
import { jobRoutes } from './handlers-jobs';
import { workspaceRoutes } from './handlers-workspaces';
import { Faults } from './faults';
import { Operations } from './operations';
import { match, type RequestCtx, type Route } from './router';
import { GENERIC_RESOURCES_PATH, listGenericResources, type GenericResource } from './generic-resources';

export interface ArmServer {
  url: string;
  faults: Faults;
  stop(): Promise<void>;
}

function operationRoutes(): Route[] {
  const base = '/subscriptions/{subscriptionId}/providers/Microsoft.BatchAI/locations/{location}';
  return [
    {
      method: 'GET',
      template: `${base}/operationresults/{operationId}`,
      handler: (ctx) => ctx.ops.result(ctx.params.operationId!),
    },
    {
      method: 'GET',
      template: `${base}/operationstatuses/{operationId}`,
      handler: (ctx) => ctx.ops.location(ctx.params.operationId!),
    },
  ];
}

const ROUTES: Route[] = [...operationRoutes(), ...workspaceRoutes, ...clusterRoutes, ...jobRoutes];

/**
 * URL parsing folds `.` and `..` segments (also `%2e%2e`) into their parent, so `.../jobs/%2e%2e` would
 * address the experiment: a path with such a segment is refused as written, before it is parsed.
 */
function refuseDotSegments(rawUrl: string): void {
  const path = rawUrl.split('?')[0]!;
  if (path.split('/').some((s) => /^(\.|%2e){1,2}$/i.test(s))) {
    throw new ArmHttpError(
      400,
      'InvalidRequestUri',
      "The request path has a '.' or '..' segment (encoded or not): expected resource names only.",
    );
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** `resources`: what else the subscription holds for the generic resource list (the engine's Batch account). */
export async function startArmServer(
  core: Core,
  port = 0,
  resources: () => GenericResource[] = () => [],
): Promise<ArmServer> {
  const faults = new Faults();
  const ops = new Operations(core.now);
  let baseUrl = '';

  async function answer(req: IncomingMessage): Promise<Reply> {
    refuseDotSegments(req.url ?? '/');
    const url = new URL(req.url ?? '/', 'http://local');
    const path = url.pathname;
    const method = (req.method ?? 'GET').toUpperCase();
    const fault = faults.take(method, path);
    if (fault) {
      if (fault.held) await fault.held;
      if (fault.delayMs) await sleep(fault.delayMs);
      if (fault.reply) return fault.reply;
    }
    const auth = req.headers.authorization;
    if (!auth || !/^bearer\s+\S+/i.test(auth)) {
      throw new ArmHttpError(
        401,
        'AuthenticationFailed',
        "Authentication failed. The 'Authorization' header is missing or is not a bearer token.",
        {
          'WWW-Authenticate':
            'Bearer authorization_uri="https://login.microsoftonline.com/common", error="invalid_token"',
        },
      );
    }
    const generic = GENERIC_RESOURCES_PATH.exec(path);
    if (generic && method === 'GET') return listGenericResources(core, generic[1]!, url.searchParams, resources());
    const query = new Map<string, string>();
    for (const [k, v] of url.searchParams) query.set(k.toLowerCase(), v);
    const apiVersion = query.get('api-version');
    if (!apiVersion)
      throw new ArmHttpError(
        400,
        'MissingApiVersionParameter',
        'The api-version query parameter (?api-version=) is required for all requests. ' +
          `The supported api-version is '${API_VERSION}'.`,
      );
    if (apiVersion !== API_VERSION) {
      throw new ArmHttpError(
        400,
        'InvalidApiVersionParameter',
        `The api-version '${apiVersion}' is invalid. The supported versions are '${API_VERSION}'.`,
      );
    }
    const m = match(ROUTES, method, path);
    if (m === 'wrongMethod')
      throw new ArmHttpError(405, 'MethodNotAllowed', `The method '${method}' is not allowed on ${path}.`);
    if (!m)
      throw new ArmHttpError(
        404,
        'InvalidResourceType',
        `No Microsoft.BatchAI ${API_VERSION} resource answers at ${path}.`,
      );
    const body =
      method === 'PUT' || method === 'PATCH' || method === 'POST' ? await readJsonBody(req, path) : undefined;
    const ctx: RequestCtx = { core, ops, params: m.params, query, body, baseUrl, path };
    return m.route.handler(ctx);
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    answer(req).then(
      (r) => send(res, r),
      (e: unknown) => {
        const err = toArmError(e);
        if (err.status === 500)
          console.error(`engine: ${req.method} ${req.url?.split('?')[0]}: ${e instanceof Error ? e.stack : String(e)}`);
        send(res, errorReply(err));
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: baseUrl,
    faults,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((e) => (e ? reject(e) : resolve()));
        server.closeAllConnections();
      }),
  };
}
