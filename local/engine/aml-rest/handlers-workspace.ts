// The workspace and its data planes: GET of the workspace (its `discoveryUrl`), the discovery document (every
// service on this facade's origin), run history's run details (`logFiles`: the run's user_logs as expiring
// links), the artifact service's content information of a run's outputs, environment versions, and the status of
// the facade's long-running operations.
import { getWorkspace } from '../core/lookups';
import { listOutputFiles } from '../core/outputs';
import type { JobKey } from '../core/model';
import { EngineError } from '../core/errors';
import { ArmHttpError } from '../rest/arm-error';
import { iso } from '../rest/views';
import { outputNames } from './command';
import {
  coreJobKey,
  getJobOr404,
  PROVIDER,
  storeKey,
  WS,
  workspaceId,
  wsKey,
  type AmlFacade,
  type AmlRequest,
  type AmlRoute,
  type Reply,
} from './facade';
import { jobStatusOf } from './views';

const LINK_MINUTES = 60;
const MAX_ARTIFACTS = 1000;

function workspaceView(f: AmlFacade, r: AmlRequest): unknown {
  const k = wsKey(r);
  const w = getWorkspace(f.core, k);
  return {
    id: workspaceId(k),
    name: k.ws,
    type: `${PROVIDER}/workspaces`,
    location: w.location,
    tags: w.tags ?? {},
    identity: { type: 'SystemAssigned', principalId: null, tenantId: null },
    sku: { name: 'Basic', tier: 'Basic' },
    kind: 'Default',
    systemData: { createdAt: iso(w.creationTime), createdBy: 'local', createdByType: 'User' },
    properties: {
      friendlyName: k.ws,
      description: null,
      provisioningState: 'Succeeded',
      discoveryUrl: `${f.baseUrl}/discovery`,
      workspaceId: null,
      mlFlowTrackingUri: null,
      storageAccount: null,
      keyVault: null,
      applicationInsights: null,
      containerRegistry: null,
      publicNetworkAccess: 'Enabled',
    },
  };
}

/** The files of a core job's directory, walked (bounded), with links. */
async function filesBelow(
  f: AmlFacade,
  k: JobKey,
  dir: string,
  sub: string,
): Promise<Array<{ path: string; url: string }>> {
  const out: Array<{ path: string; url: string }> = [];
  const walk = async (rel: string): Promise<void> => {
    if (out.length >= MAX_ARTIFACTS) return;
    const { entries } = await listOutputFiles(f.core, k, {
      outputDirectoryId: dir,
      directory: rel || undefined,
      linkExpiryInMinutes: LINK_MINUTES,
      offset: 0,
      maxResults: MAX_ARTIFACTS,
    });
    for (const e of entries) {
      const path = rel ? `${rel}/${e.name}` : e.name;
      if (e.fileType === 'directory') await walk(path);
      else if (out.length < MAX_ARTIFACTS)
        out.push({ path, url: f.files.sign(k, dir, path, f.core.now() + LINK_MINUTES * 60_000) });
    }
  };
  try {
    await walk(sub);
  } catch (e) {
    // Not started yet, or no such directory: nothing to show, as the service shows an empty listing.
    if (!(e instanceof EngineError)) throw e;
  }
  return out;
}

async function runDetails(f: AmlFacade, r: AmlRequest): Promise<unknown> {
  const k = wsKey(r);
  const found = getJobOr404(f, k, r.params.runId!);
  const jk = coreJobKey(k, found.rec.exp, found.rec.job);
  const logFiles: Record<string, string> = {};
  for (const file of await filesBelow(f, jk, 'stdouterr', '')) {
    if (file.path === 'stdout.txt') logFiles['user_logs/std_log.txt'] = file.url;
    const worker = /^stdout-worker-(\d+)\.txt$/.exec(file.path);
    if (worker) logFiles[`user_logs/std_log_process_${worker[1]}.txt`] = file.url;
  }
  const j = found.rec;
  return {
    runId: found.stored?.name ?? j.job,
    runUuid: j.uuid,
    target: j.cluster.cluster,
    status: jobStatusOf(j, !!found.stored?.cancelRequested),
    startTimeUtc: j.startTime === undefined ? null : iso(j.startTime),
    endTimeUtc: j.endTime === undefined ? null : iso(j.endTime),
    // Worded as the live service words a failed command: the adapter reads the exit code from it.
    error:
      j.executionState === 'failed' && !found.stored?.cancelRequested
        ? {
            error: {
              code: 'UserError',
              message:
                `Execution failed. User process '/bin/bash' exited with status code ${j.exitCode ?? 1}. ` +
                "Please check log file 'user_logs/std_log.txt' for error details.",
            },
          }
        : null,
    warnings: null,
    tags: {},
    properties: {},
    logFiles,
  };
}

/** `…/prefix/contentinfo/ExperimentRun/dcid.<run>/outputs/<name>[/<path>]`: the output's files with links. */
async function artifacts(f: AmlFacade, r: AmlRequest): Promise<Reply> {
  const k = wsKey(r);
  // The server decoded the path once (it checked it then).
  const rest = decodeURIComponent(r.path).split('/contentinfo/ExperimentRun/')[1] ?? '';
  const [container, top, name, ...sub] = rest.split('/').filter(Boolean);
  const run = /^dcid\.(.+)$/i.exec(container ?? '')?.[1];
  if (!run) throw new ArmHttpError(400, 'UserError', 'Expected …/contentinfo/ExperimentRun/dcid.<run id>/<path>.');
  const found = getJobOr404(f, k, run);
  const p = found.stored?.properties;
  const output = p ? outputNames(p).find((o) => o.toLowerCase() === name?.toLowerCase()) : undefined;
  if (top !== 'outputs' || !output) return { status: 200, body: { value: [], continuationToken: null } };
  const jk = coreJobKey(k, found.rec.exp, found.rec.job);
  const value = (await filesBelow(f, jk, output, sub.join('/'))).map((file) => ({
    contentUri: file.url,
    origin: 'ExperimentRun',
    container,
    path: `outputs/${output}/${sub.length ? `${sub.join('/')}/` : ''}${file.path}`,
    tags: {},
  }));
  return { status: 200, body: { value, continuationToken: null } };
}

const HISTORY = `/history/v1.0${WS}/runs/{runId}/details`;
const ARTIFACTS = `/artifact/v2.0${WS}/artifacts/prefix/contentinfo/ExperimentRun`;
const OPS = '/subscriptions/{subscriptionId}/providers/Microsoft.MachineLearningServices/locations/{location}';

export const workspaceRoutes: AmlRoute[] = [
  { method: 'GET', template: WS, handler: (f, r) => ({ status: 200, body: workspaceView(f, r) }) },
  { method: 'GET', template: HISTORY, handler: async (f, r) => ({ status: 200, body: await runDetails(f, r) }) },
  {
    method: 'PUT',
    template: `${WS}/environments/{environmentName}/versions/{version}`,
    handler: (f, r) => {
      const image = (r.body as { properties?: { image?: unknown } } | undefined)?.properties?.image;
      if (typeof image !== 'string' || !image.trim())
        throw new ArmHttpError(400, 'UserError', 'Expected {"properties": {"image": "<registry>/<image>:<tag>"}}.');
      const k = wsKey(r);
      const key = storeKey(k, `${r.params.environmentName}/${r.params.version}`);
      const existed = f.store.environment(key) !== undefined;
      f.store.saveEnvironment(key, (r.body as { properties: unknown }).properties);
      const body = {
        id: `${workspaceId(k)}/environments/${r.params.environmentName}/versions/${r.params.version}`,
        name: r.params.version,
        type: `${PROVIDER}/workspaces/environments/versions`,
        properties: {
          ...(r.body as { properties: object }).properties,
          isAnonymous: false,
          provisioningState: 'Succeeded',
        },
      };
      return { status: existed ? 200 : 201, body };
    },
  },
  {
    method: 'GET',
    template: `${OPS}/computeOperationsStatus/{operationId}`,
    handler: (f, r) => f.ops.asyncStatus(r.params.operationId!),
  },
  {
    method: 'GET',
    template: `${OPS}/mfeOperationResults/{operationId}`,
    handler: (f, r) => f.ops.location(r.params.operationId!),
  },
];

/** Artifact paths are of any depth: the route matches their fixed part, the handler reads the rest. */
export const artifactRoute = { prefix: ARTIFACTS, handler: artifacts };
