// The Azure ML ARM client (Microsoft.MachineLearningServices 2025-12-01): computes, command jobs, environment
// versions, and the workspace's run-history data plane for log files and output artifacts, found through its
// `discoveryUrl` once per workspace (the discovery document once per URL: a region's workspaces share it).
// Transport: the one ARM pipeline (../batchai/pipeline.ts) with Azure ML's api-version and error backend; lists
// follow nextLink one request per page. The real service or the engine's facade: only the endpoint, the credential
// and the CA trusted differ.
import type { TokenCredential } from '@azure/core-auth';
import type { HttpClient } from '@azure/core-rest-pipeline';
import type { ClusterRef, WorkspaceRef } from '../compute/model';
import { ProtocolError } from '../errors';
import { listAll } from '../batchai/paging';
import { createArmHttp, type ArmHttp } from '../batchai/pipeline';
import { isObject, pick } from '../batchai/parse';
import type { RetryOptions } from '../http/retry';
import {
  AML_API_VERSION,
  type AmlComputeNode,
  type ArtifactContentInformation,
  type ComputeResource,
  type EnvironmentVersionResource,
  type JobResource,
  type RunDetails,
  type ScaleSettings,
  type Workspace,
} from './types';

export interface AmlClientOptions {
  /** https://management.azure.com, or the engine's Azure ML facade https://127.0.0.1:PORT. */
  endpoint: string;
  subscriptionId: string;
  credential: TokenCredential;
  /** PEM of a CA trusted besides the system's (COMPUTE_CA_FILE: the facade's own). */
  ca?: string;
  httpClient?: HttpClient;
  retry?: RetryOptions;
}

export interface AmlClient {
  readonly endpoint: string;
  readonly subscriptionId: string;
  workspacePath(ws: WorkspaceRef): string;
  getWorkspace(ws: WorkspaceRef): Promise<Workspace>;
  listComputes(ws: WorkspaceRef): AsyncIterable<ComputeResource>;
  getCompute(ref: ClusterRef): Promise<ComputeResource>;
  /** PATCH scaleSettings: accepted (202 + Azure-AsyncOperation); answers without waiting for the resize. */
  updateScale(ref: ClusterRef, scaleSettings: ScaleSettings): Promise<void>;
  listNodes(ref: ClusterRef): AsyncIterable<AmlComputeNode>;
  listJobs(ws: WorkspaceRef): AsyncIterable<JobResource>;
  getJob(ws: WorkspaceRef, name: string): Promise<JobResource>;
  putJob(ws: WorkspaceRef, name: string, body: { properties: unknown }): Promise<JobResource>;
  /** Asks to cancel; does not wait (202 with Location, or 200 with an empty body). */
  cancelJob(ws: WorkspaceRef, name: string): Promise<void>;
  putEnvironmentVersion(
    ws: WorkspaceRef,
    name: string,
    version: string,
    body: EnvironmentVersionResource,
  ): Promise<void>;
  runDetails(ws: WorkspaceRef, runId: string): Promise<RunDetails>;
  /** The run's artifacts below `path` with their content URLs, following the continuation token. */
  listArtifacts(ws: WorkspaceRef, runId: string, path: string): AsyncIterable<ArtifactContentInformation>;
}

/** Hosts a workspace's data plane may be on: Azure ML's clouds, or the ARM endpoint's own host (the facade). */
const DATA_PLANE_HOST = /\.(api\.azureml\.ms|api\.ml\.azure\.us|api\.ml\.azure\.cn)$/i;

function object<T>(body: unknown, shape: string, where: string): T {
  if (!isObject(body)) throw new ProtocolError(`${where}: expected a JSON object (${shape}), got ${typeof body}.`);
  return body as T;
}

const enc = encodeURIComponent;

export function createAmlClient(o: AmlClientOptions): AmlClient {
  const common = {
    credential: o.credential,
    httpClient: o.httpClient,
    retry: o.retry,
    ca: o.ca,
    apiVersion: AML_API_VERSION,
    backend: 'azureml' as const,
    service: 'Azure ML',
  };
  const arm = createArmHttp({ ...common, endpoint: o.endpoint });
  const armHost = new URL(arm.endpoint).hostname;
  const historyOf = new Map<string, Promise<ArmHttp>>();
  /** By discovery URL: a region's workspaces share one (https://<region>.api.azureml.ms/discovery), and its answer. */
  const historyAt = new Map<string, Promise<ArmHttp>>();

  const wsPath = (ws: WorkspaceRef): string =>
    `/subscriptions/${enc(o.subscriptionId)}/resourceGroups/${enc(ws.resourceGroup)}` +
    `/providers/Microsoft.MachineLearningServices/workspaces/${enc(ws.workspace)}`;
  const computePath = (ref: ClusterRef): string => `${wsPath(ref)}/computes/${enc(ref.cluster)}`;

  /** The data plane's origin, checked before a token is sent there. */
  function dataPlane(url: string, what: string): URL {
    const u = new URL(url);
    if (u.protocol !== 'https:' || !(u.hostname === armHost || DATA_PLANE_HOST.test(u.hostname))) {
      throw new ProtocolError(
        `The workspace's ${what} is ${u.origin}: expected https on an Azure ML host (*.api.azureml.ms) ` +
          'or on the ARM endpoint (the local facade).',
      );
    }
    return u;
  }

  async function discoverHistory(ws: WorkspaceRef): Promise<ArmHttp> {
    const w = await client.getWorkspace(ws);
    const discoveryUrl = w.properties?.discoveryUrl;
    if (!discoveryUrl) throw new ProtocolError(`Workspace ${ws.workspace}: the service sent no discoveryUrl.`);
    const d = dataPlane(discoveryUrl, 'discovery URL');
    return once(historyAt, d.href, async () => {
      const discovery = createArmHttp({ ...common, endpoint: d.origin });
      const services = (await discovery.send('GET', d.pathname + d.search)).body;
      const history = isObject(services) ? pick(services, 'history') : undefined;
      if (typeof history !== 'string')
        throw new ProtocolError(`The discovery document ${d.origin}${d.pathname} names no history service.`);
      return createArmHttp({ ...common, endpoint: dataPlane(history, 'history service').origin });
    });
  }

  /** The run-history client of a workspace, discovered once (a failed discovery is tried again next time). */
  function history(ws: WorkspaceRef): Promise<ArmHttp> {
    return once(historyOf, `${ws.resourceGroup}/${ws.workspace}`.toLowerCase(), () => discoverHistory(ws));
  }

  const client: AmlClient = {
    endpoint: arm.endpoint,
    subscriptionId: o.subscriptionId,
    workspacePath: wsPath,
    async getWorkspace(ws) {
      const p = wsPath(ws);
      return object<Workspace>((await arm.send('GET', p)).body, 'Workspace', `GET ${p}`);
    },
    listComputes: (ws) => listAll<ComputeResource>(arm, 'GET', `${wsPath(ws)}/computes`, 'ComputeResource'),
    async getCompute(ref) {
      const p = computePath(ref);
      return object<ComputeResource>((await arm.send('GET', p)).body, 'ComputeResource', `GET ${p}`);
    },
    async updateScale(ref, scaleSettings) {
      await arm.send('PATCH', computePath(ref), { body: { properties: { properties: { scaleSettings } } } });
    },
    listNodes: (ref) => listNodes(arm, `${computePath(ref)}/listNodes`),
    listJobs: (ws) => listAll<JobResource>(arm, 'GET', `${wsPath(ws)}/jobs`, 'JobBase'),
    async getJob(ws, name) {
      const p = `${wsPath(ws)}/jobs/${enc(name)}`;
      return object<JobResource>((await arm.send('GET', p)).body, 'JobBase', `GET ${p}`);
    },
    async putJob(ws, name, body) {
      const p = `${wsPath(ws)}/jobs/${enc(name)}`;
      return object<JobResource>((await arm.send('PUT', p, { body })).body, 'JobBase', `PUT ${p}`);
    },
    async cancelJob(ws, name) {
      await arm.send('POST', `${wsPath(ws)}/jobs/${enc(name)}/cancel`);
    },
    async putEnvironmentVersion(ws, name, version, body) {
      await arm.send('PUT', `${wsPath(ws)}/environments/${enc(name)}/versions/${enc(version)}`, { body });
    },
    async runDetails(ws, runId) {
      const h = await history(ws);
      const p = `/history/v1.0${wsPath(ws)}/runs/${enc(runId)}/details`;
      return object<RunDetails>((await h.send('GET', p)).body, 'RunDetails', `GET ${p}`);
    },
    async *listArtifacts(ws, runId, path) {
      const h = await history(ws);
      const base =
        `/artifact/v2.0${wsPath(ws)}/artifacts/prefix/contentinfo/ExperimentRun/dcid.${enc(runId)}/` +
        path.split('/').map(enc).join('/');
      let token: string | undefined;
      do {
        const r = await h.send('GET', base, { query: { continuationToken: token } });
        const body = object<{ value?: ArtifactContentInformation[]; continuationToken?: string | null }>(
          r.body,
          'PaginatedArtifactContentInformationList',
          `GET ${base}`,
        );
        yield* body.value ?? [];
        token = body.continuationToken ?? undefined;
      } while (token);
    },
  };
  return client;
}

/** `make`'s promise, shared by every call with the same key; one that fails is made anew by the next call. */
function once<T>(cache: Map<string, Promise<T>>, key: string, make: () => Promise<T>): Promise<T> {
  let p = cache.get(key);
  if (!p) {
    p = make();
    cache.set(key, p);
    p.catch(() => cache.delete(key));
  }
  return p;
}

interface NodesPage {
  nodes?: AmlComputeNode[] | null;
  nextLink?: string | null;
}

/** listNodes is a POST answering `{nodes, nextLink}` (not `value`); the next page is POSTed to nextLink. */
async function* listNodes(arm: ArmHttp, path: string): AsyncIterable<AmlComputeNode> {
  let target: string | undefined = path;
  while (target) {
    const body: NodesPage = object<NodesPage>(
      (await arm.send('POST', target)).body,
      'AmlComputeNodesInformation',
      `POST ${path}`,
    );
    yield* body.nodes ?? [];
    target = body.nextLink ?? undefined;
  }
}
