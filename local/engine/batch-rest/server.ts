// The Azure Batch data-plane facade over the engine's core: node:http on 127.0.0.1. Per request: reconcile
// (finished processes → uploads → completed tasks), authentication (the account's Shared Key, checked as the
// service checks it, or any bearer token), api-version, route, body, handler; every failure is an OData error
// body with the service's code.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { verifySharedKey } from '../../../shared/azurebatch/shared-key';
import type { Core } from '../core/core';
import type { WorkspaceKey } from '../core/model';
import { putWorkspace } from '../core/resources';
import { BatchHttpError, toBatchError } from './batch-http-error';
import type { BatchFacade, BatchRequest, Handler } from './facade';
import { accountRoutes } from './handlers-account';
import { fileRoutes } from './handlers-files';
import { jobStateRoutes } from './handlers-job-state';
import { jobRoutes } from './handlers-jobs';
import { notHereRoutes } from './handlers-not-here';
import { poolUpdateRoutes } from './handlers-pool-update';
import { poolRoutes } from './handlers-pools';
import { taskCollectionRoutes } from './handlers-task-collection';
import { errorReply, parseJson, readRawBody, send, type Reply } from './http-io';
import { BATCH_API_VERSIONS } from './local-account';
import { dropBatchExperiment, endSeededBatchJobs, seedBatchJobs } from './seed';
import { BatchStore } from './store';
import { resumeTasks } from './resume-tasks';
import { reconcile } from './task-runs';

export interface BatchServerOptions {
  core: Core;
  account: string;
  /** The account key (base64) Shared Key requests must be signed with. */
  accountKey: string;
  /** The core workspace whose clusters are this account's pools. */
  workspace: WorkspaceKey;
  port?: number;
}

export interface BatchServer {
  url: string;
  /** Resolves once the uploads of tasks that have ended are done (tests; shutdown). */
  settle(): Promise<void>;
  /** For benchmarks: jobs seeded finished, or running until ended (batch-rest/seed.ts); their ids. */
  seedFinishedJobs(
    count: number,
    pools: readonly string[],
    experiment?: string,
    opts?: { running?: boolean },
  ): string[];
  /** Ends the experiment's seeded running jobs now, succeeded; how many. */
  endSeededJobs(experiment: string): number;
  /** Deletes the experiment's jobs at once. */
  dropExperiment(experiment: string): void;
  stop(): Promise<void>;
}

interface Route {
  method: string;
  pattern: RegExp;
  names: string[];
  handler: Handler;
}

function compile([method, template, handler]: [string, string, Handler]): Route {
  const names: string[] = [];
  const source = template.replace(
    /\{(\w+)(\*?)\}|([^{]+)/g,
    (_, name: string | undefined, star: string, text: string | undefined) => {
      if (text !== undefined) return text.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
      names.push(name!);
      return star ? '(.+)' : '([^/]+?)';
    },
  );
  return { method, pattern: new RegExp(`^${source}/?$`, 'i'), names, handler };
}

const ROUTES = [
  ...poolRoutes,
  ...poolUpdateRoutes,
  ...jobRoutes,
  ...jobStateRoutes,
  ...taskCollectionRoutes,
  ...fileRoutes,
  ...accountRoutes,
  ...notHereRoutes,
].map(compile);

function decodePart(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new BatchHttpError(
      400,
      'InvalidUri',
      `The requested URI is not valid: expected %-encoding of UTF-8 bytes, got ${JSON.stringify(part.slice(0, 80))}.`,
    );
  }
}

function route(method: string, path: string): { handler: Handler; params: Record<string, string> } {
  let pathMatched = false;
  for (const r of ROUTES) {
    const m = r.pattern.exec(path);
    if (!m) continue;
    pathMatched = true;
    if (r.method !== method) continue;
    return { handler: r.handler, params: Object.fromEntries(r.names.map((n, i) => [n, decodePart(m[i + 1]!)])) };
  }
  if (pathMatched)
    throw new BatchHttpError(
      405,
      'UnsupportedHttpVerb',
      `The resource doesn't support the specified HTTP verb ${method}.`,
    );
  throw new BatchHttpError(
    404,
    'InvalidUri',
    `The requested URI does not represent any resource on the server: ${path}.`,
  );
}

function authenticate(o: BatchServerOptions, req: IncomingMessage, url: string): void {
  const auth = req.headers.authorization;
  if (!auth)
    throw new BatchHttpError(
      401,
      'AuthenticationFailed',
      'Server failed to authenticate the request: the Authorization header is missing (Shared Key or a bearer token).',
    );
  if (/^bearer\s+\S+/i.test(auth)) return;
  const headers = Object.entries(req.headers)
    .filter(([k]) => k !== 'authorization')
    .map(([k, v]): [string, string] => [k, Array.isArray(v) ? v.join(',') : String(v)]);
  if (!verifySharedKey(o.account, o.accountKey, { method: req.method ?? 'GET', url, headers }, auth)) {
    throw new BatchHttpError(
      403,
      'AuthenticationFailed',
      'Server failed to authenticate the request. ' +
        'Make sure the value of Authorization header is formed correctly including the signature.',
      [
        {
          key: 'AuthenticationErrorDetail',
          value: 'The MAC signature found in the HTTP request is not the same as any computed signature.',
        },
      ],
    );
  }
}

function apiVersionOf(url: URL): string {
  const v = url.searchParams.get('api-version');
  if (!v) {
    throw new BatchHttpError(
      400,
      'MissingRequiredQueryParameter',
      "A query parameter that's mandatory for this request is not specified: api-version.",
      [{ key: 'QueryParameterName', value: 'api-version' }],
    );
  }
  if (!(BATCH_API_VERSIONS as readonly string[]).includes(v)) {
    throw new BatchHttpError(
      400,
      'InvalidQueryParameterValue',
      'Value for one of the query parameters specified in the request URI is invalid: ' +
        `api-version ${v}; supported: ${BATCH_API_VERSIONS.join(', ')}.`,
      [
        { key: 'QueryParameterName', value: 'api-version' },
        { key: 'QueryParameterValue', value: v },
        { key: 'Reason', value: 'The specified api version string is invalid' },
      ],
    );
  }
  return v;
}

export async function startBatchServer(o: BatchServerOptions): Promise<BatchServer> {
  putWorkspace(o.core, o.workspace, o.core.region);
  const f: BatchFacade = {
    core: o.core,
    store: new BatchStore(join(o.core.dataDir, 'batch', `${o.account}.json`)),
    account: o.account,
    ws: o.workspace,
    baseUrl: '',
    pending: new Map<string, Promise<void>>(),
    stopping: new AbortController(),
  };
  const uploads = f.pending;
  const step = (): void => {
    try {
      reconcile(f, uploads);
    } catch (e) {
      console.error(`engine batch facade: ${e instanceof Error ? e.message : String(e)}`);
    }
  };

  async function answer(req: IncomingMessage): Promise<Reply> {
    const url = new URL(req.url ?? '/', f.baseUrl);
    const method = (req.method ?? 'GET').toUpperCase();
    authenticate(o, req, url.href);
    const apiVersion = apiVersionOf(url);
    const { handler, params } = route(method, url.pathname);
    const raw = await readRawBody(req);
    step();
    const r: BatchRequest = { method, url, params, headers: req.headers, body: parseJson(raw), apiVersion };
    return handler(f, r);
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const requestId = randomUUID();
    // The service sends DataServiceVersion and request-id on every answer, errors included.
    const echo: Record<string, string> = { DataServiceVersion: '3.0' };
    const clientId = req.headers['client-request-id'];
    if (req.headers['return-client-request-id'] === 'true' && typeof clientId === 'string')
      echo['client-request-id'] = clientId;
    answer(req).then(
      (r) => send(res, { ...r, headers: { ...r.headers, ...echo, 'request-id': requestId } }, req.method === 'HEAD'),
      (e: unknown) => {
        const err = toBatchError(e);
        if (err.status === 500)
          console.error(
            `engine batch facade: ${req.method} ${req.url?.split('?')[0]}: ${e instanceof Error ? e.stack : String(e)}`,
          );
        const reply = errorReply(err, f.baseUrl, requestId);
        send(res, { ...reply, headers: { ...reply.headers, ...echo } }, req.method === 'HEAD');
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, '127.0.0.1', () => resolve());
  });
  f.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  resumeTasks(f);
  const timer = setInterval(step, o.core.timing.schedulerIntervalMs);
  const settle = async (): Promise<void> => {
    step();
    while (uploads.size) await Promise.allSettled([...uploads.values()]);
  };
  return {
    url: f.baseUrl,
    settle,
    seedFinishedJobs: (count, pools, experiment, opts) => seedBatchJobs(f, count, pools, experiment, opts),
    endSeededJobs: (experiment) => endSeededBatchJobs(f, experiment),
    dropExperiment: (experiment) => dropBatchExperiment(f, experiment),
    async stop() {
      clearInterval(timer);
      // Fetches of resource files end now; their tasks start again from the fetch at the next start.
      f.stopping.abort();
      await new Promise<void>((resolve, reject) => {
        server.close((e) => (e ? reject(e) : resolve()));
        server.closeAllConnections();
      });
      await Promise.allSettled([...uploads.values()]);
    },
  };
}
