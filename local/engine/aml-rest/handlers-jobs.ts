// Jobs: PUT of a command job (synchronous: 201 with Location for a new job, 200 for one that exists), GET, the
// list (a page of `jobPageSize` jobs, oldest first, continued by a nextLink with `$skipToken`), POST cancel (200
// with an empty body when the job has ended, else 202 with Location). A job runs as a core job on the compute's
// cluster, in the core experiment its experimentName names (created on first use).
import { createJob, isJobDone, terminateJob } from '../core/jobs';
import { getCluster, listExperiments } from '../core/lookups';
import type { JobRec } from '../core/model';
import { putExperiment } from '../core/resources';
import { ArmHttpError } from '../rest/arm-error';
import { coreJobOf, commandJobOf } from './command';
import {
  batchAiClusterId,
  coreJobKey,
  getJobOr404,
  PROVIDER,
  storeKey,
  WS,
  wsKey,
  findJob,
  type AmlFacade,
  type AmlRequest,
  type AmlRoute,
  type FoundJob,
} from './facade';
import { jobView } from './views';

const J = `${WS}/jobs`;

function listPage(f: AmlFacade, r: AmlRequest) {
  const k = wsKey(r);
  const raw = r.query.get('$skipToken') ?? r.query.get('$skiptoken') ?? '0';
  const offset = Number(raw);
  if (!Number.isSafeInteger(offset) || offset < 0)
    throw new ArmHttpError(400, 'UserError', `$skipToken '${raw.slice(0, 40)}': expected the token of a nextLink.`);
  const all: JobRec[] = [];
  for (const e of listExperiments(f.core, k)) {
    const m = f.core.state.jobsByExperiment.get(`${k.sub}/${k.rg}/${k.ws}/${e.exp}`);
    if (m) all.push(...m.values());
  }
  // Submission order: a job added while someone pages does not shift the pages already read.
  all.sort((a, b) => a.seq - b.seq);
  const page = all.slice(offset, offset + f.jobPageSize);
  const value = page.map((rec): unknown => {
    const found: FoundJob = { rec };
    const stored = f.store.job(storeKey(k, rec.job));
    if (stored && stored.exp === rec.exp) found.stored = stored;
    return jobView(found);
  });
  const more = offset + f.jobPageSize < all.length;
  const next = `${f.baseUrl}${r.path}?api-version=${r.apiVersion}&$skipToken=${offset + f.jobPageSize}`;
  return { status: 200, body: { value, nextLink: more ? next : null } };
}

function put(f: AmlFacade, r: AmlRequest) {
  const k = wsKey(r);
  const name = r.params.id!;
  const existing = findJob(f, k, name);
  if (existing) return { status: 200, body: jobView(existing) };
  const p = commandJobOf(r.body);
  const experiment = p.experimentName ?? 'Default';
  const compute = /\/computes\/([^/]+)$/i.exec(p.computeId ?? '')![1]!.toLowerCase();
  const cluster = getCluster(f.core, { ...k, cluster: compute });
  const props = coreJobOf(p, batchAiClusterId(cluster), name);
  const jk = coreJobKey(k, experiment, name);
  if (!/^[-\w]{1,64}$/.test(jk.exp))
    throw new ArmHttpError(
      400,
      'UserError',
      `experimentName '${experiment.slice(0, 80)}': expected 1-64 letters, digits, '-' or '_'.`,
    );
  putExperiment(f.core, jk);
  const stored = {
    // As it was written (the router lower-cases parameters, as the core keeps names).
    name: decodeURIComponent(r.path.split('/').pop() ?? name),
    exp: jk.exp,
    properties: { ...p, experimentName: experiment, status: null },
    createdAt: f.core.now(),
  };
  const { rec } = createJob(f.core, jk, props);
  f.store.saveJob(storeKey(k, name), stored);
  return {
    status: 201,
    headers: { Location: `${f.baseUrl}${r.path}?api-version=${r.apiVersion}` },
    body: jobView({ rec, stored }),
  };
}

function cancel(f: AmlFacade, r: AmlRequest) {
  const k = wsKey(r);
  const found = getJobOr404(f, k, r.params.id!);
  const jk = coreJobKey(k, found.rec.exp, found.rec.job);
  if (isJobDone(f.core, jk)) return { status: 200 };
  if (found.stored) f.store.saveJob(storeKey(k, found.rec.job), { ...found.stored, cancelRequested: true });
  terminateJob(f.core, jk);
  const base = `${f.baseUrl}/subscriptions/${k.sub}/providers/${PROVIDER}/locations/${f.core.region}`;
  const url = f.ops.start(base, 'mfeOperationResults', r.apiVersion, () =>
    isJobDone(f.core, jk) ? 'Succeeded' : 'InProgress',
  );
  return { status: 202, headers: { Location: url, 'Retry-After': '1' } };
}

export const jobRoutes: AmlRoute[] = [
  { method: 'GET', template: J, handler: listPage },
  {
    method: 'GET',
    template: `${J}/{id}`,
    handler: (f, r) => ({ status: 200, body: jobView(getJobOr404(f, wsKey(r), r.params.id!)) }),
  },
  { method: 'PUT', template: `${J}/{id}`, handler: put },
  { method: 'POST', template: `${J}/{id}/cancel`, handler: cancel },
];
