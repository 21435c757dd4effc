// The Azure ML facade over the engine's core: HTTPS on 127.0.0.1 with the certificate of tls.ts. Per request:
// signed file links (no token: the signature is the credential), the discovery document (anonymous, as the live
// one), then a bearer token, for ARM paths an accepted api-version, the route (../rest/router.ts rules: names
// checked and lower-cased), the body, the handler. Every failure is an ARM error body; answers keep explicit nulls.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Core } from '../core/core';
import { ArmHttpError, toArmError } from '../rest/arm-error';
import { readJsonBody } from '../rest/http-io';
import { match } from '../rest/router';
import { AML_API_VERSIONS, type AmlFacade, type AmlRequest, type AmlRoute, type Reply } from './facade';
import { amlFiles, FILES_PREFIX } from './files';
import { computeRoutes } from './handlers-computes';
import { jobRoutes } from './handlers-jobs';
import { artifactRoute, workspaceRoutes } from './handlers-workspace';
import { AmlOperations } from './operations';
import { AmlStore } from './store';
import { facadeCertificate } from './tls';

export interface AmlServerOptions {
  core: Core;
  /** Signs file links (the engine's key, so links stay valid across restarts). */
  signingKey: string;
  port?: number;
  /** Jobs per page of a job list (default 100). */
  jobPageSize?: number;
}

export interface AmlServer {
  /** https://127.0.0.1:PORT */
  url: string;
  /** The PEM file a client trusts to reach the facade (COMPUTE_CA_FILE). */
  caFile: string;
  stop(): Promise<void>;
}

const ROUTES: AmlRoute[] = [...workspaceRoutes, ...computeRoutes, ...jobRoutes];
const ARTIFACTS = new RegExp(
  `^${artifactRoute.prefix.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, '(?<$1>[^/]+)')}/`,
  'i',
);

function sendJson(res: ServerResponse, r: Reply): void {
  const headers: Record<string, string> = { 'x-ms-request-id': randomUUID(), ...r.headers };
  if (r.body === undefined) {
    res.writeHead(r.status, { ...headers, 'Content-Length': '0' });
    res.end();
    return;
  }
  // Nulls stay: the live service sends unset properties as explicit nulls.
  const text = JSON.stringify(r.body);
  res.writeHead(r.status, {
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(text)),
  });
  res.end(text);
}

/** The path, decoded once for the handlers that read it whole (artifact paths), or a 400. */
function decodedPath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    throw new ArmHttpError(400, 'InvalidRequestUri', 'The request path is not valid percent-encoding.');
  }
}

function refuseDotSegments(rawUrl: string): void {
  if ((rawUrl.split('?')[0] ?? '').split('/').some((s) => /^(\.|%2e){1,2}$/i.test(s)))
    throw new ArmHttpError(
      400,
      'InvalidRequestUri',
      "The request path has a '.' or '..' segment: expected names only.",
    );
}

export async function startAmlServer(o: AmlServerOptions): Promise<AmlServer> {
  const tls = await facadeCertificate(join(o.core.dataDir, 'azureml', 'tls'));
  let baseUrl = '';
  const f: AmlFacade = {
    core: o.core,
    store: new AmlStore(join(o.core.dataDir, 'azureml', 'state.json')),
    files: amlFiles(o.core, o.signingKey, () => baseUrl),
    ops: new AmlOperations(o.core.now),
    jobPageSize: o.jobPageSize ?? 100,
    get baseUrl() {
      return baseUrl;
    },
  };

  async function answer(req: IncomingMessage, res: ServerResponse): Promise<Reply | undefined> {
    refuseDotSegments(req.url ?? '/');
    const url = new URL(req.url ?? '/', baseUrl);
    const method = (req.method ?? 'GET').toUpperCase();
    const path = url.pathname;
    if (path.startsWith(FILES_PREFIX) && (method === 'GET' || method === 'HEAD')) {
      const range = req.headers['x-ms-range'] ?? req.headers.range;
      f.files.serve(res, method, url, typeof range === 'string' ? range : undefined);
      return undefined;
    }
    if (path === '/discovery' && method === 'GET') {
      const s = baseUrl;
      return {
        status: 200,
        body: {
          api: s,
          catalog: s,
          experimentation: s,
          history: s,
          hyperdrive: s,
          labeling: s,
          modelmanagement: s,
          pipelines: s,
          studio: s,
        },
      };
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
    const apiVersion = url.searchParams.get('api-version') ?? '';
    if (path.toLowerCase().startsWith('/subscriptions/')) {
      if (!apiVersion)
        throw new ArmHttpError(
          400,
          'MissingApiVersionParameter',
          'The api-version query parameter (?api-version=) is required for all requests. ' +
            `The supported api-versions are '${AML_API_VERSIONS.join(', ')}'.`,
        );
      if (!(AML_API_VERSIONS as readonly string[]).includes(apiVersion))
        throw new ArmHttpError(
          400,
          'InvalidApiVersionParameter',
          `The api-version '${apiVersion.slice(0, 40)}' is invalid. ` +
            `The supported versions are '${AML_API_VERSIONS.join(', ')}'.`,
        );
    }
    const artifact = ARTIFACTS.exec(decodedPath(path));
    let handler;
    let params: Record<string, string>;
    if (artifact && method === 'GET') {
      handler = artifactRoute.handler;
      params = Object.fromEntries(Object.entries(artifact.groups ?? {}).map(([k, v]) => [k, v.toLowerCase()]));
    } else {
      const m = match(ROUTES, method, path);
      if (m === 'wrongMethod')
        throw new ArmHttpError(405, 'MethodNotAllowed', `The method '${method}' is not allowed on ${path}.`);
      if (!m)
        throw new ArmHttpError(
          404,
          'NoRegisteredProviderFound',
          `No ${'Microsoft.MachineLearningServices'} resource answers at ${path} (local engine).`,
        );
      handler = m.route.handler;
      params = m.params;
    }
    const body =
      method === 'PUT' || method === 'PATCH' || method === 'POST' ? await readJsonBody(req, path) : undefined;
    const r: AmlRequest = { method, params, query: url.searchParams, headers: req.headers, body, path, apiVersion };
    return handler(f, r);
  }

  const server = createServer({ cert: tls.cert, key: tls.key }, (req, res) => {
    answer(req, res).then(
      (r) => {
        if (r) sendJson(res, r);
      },
      (e: unknown) => {
        const err = toArmError(e);
        if (err.status === 500)
          console.error(
            `engine azureml facade: ${req.method} ${req.url?.split('?')[0]}: ` +
              `${e instanceof Error ? e.stack : String(e)}`,
          );
        if (res.headersSent) {
          res.destroy();
          return;
        }
        sendJson(res, {
          status: err.status,
          headers: err.headers,
          body: { error: { code: err.code, message: err.message, details: [], additionalInfo: [] } },
        });
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, '127.0.0.1', () => resolve());
  });
  baseUrl = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: baseUrl,
    caFile: tls.caFile,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((e) => (e ? reject(e) : resolve()));
        server.closeAllConnections();
      }),
  };
}
