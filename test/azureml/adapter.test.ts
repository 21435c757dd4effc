// The Azure ML backend in the compute port's model, against the engine's Azure ML facade over HTTPS (trusting
// the facade's own CA through the setting, not the process): computes with node counts and scale modes, a Batch
// AI job.json submitted as a command job under a workspace-unique name (experiment label kept) that runs and
// reads back succeeded, its stdout tail in two requests, its output as a link, scale both ways, terminate as a
// cancel (→ terminated), the job list paged, and ARM errors as ComputeError with backend 'azureml'.
import { readFileSync } from 'node:fs';
import { createPipelineRequest, type HttpClient } from '@azure/core-rest-pipeline';
import { createAzureMlAdapter } from '../../shared/azureml/adapter';
import { createAmlClient } from '../../shared/azureml/client';
import type { ComputePort } from '../../shared/compute/port';
import type { ComputeJob, OutputFile } from '../../shared/compute/model';
import type { JobCreateParameters } from '../../shared/compute/job-file';
import { ComputeError } from '../../shared/errors';
import { staticTokenCredential } from '../../shared/http/credential';
import { httpClientTrusting, readCaFile } from '../../shared/http/trusted-ca';
import { startEngine, type Engine } from '../../local/engine';
import { FAST, removeDir, setupCluster, SUB, tempDir, waitFor } from '../engine/helpers';

const WS = { resourceGroup: 'demo_rg', workspace: 'demo_ws' };
const CLUSTER_ID =
  `/subscriptions/${SUB}/resourceGroups/demo_rg` + '/providers/Microsoft.BatchAI/workspaces/demo_ws/clusters/c1';
let engine: Engine;
let compute: ComputePort;
let sent: Array<{ method: string; url: string }>;
/** An adapter on the counted wire whose listings serve `ttlMs` by the clock `now`. */
let adapter: (ttlMs: number, now?: () => number) => ComputePort;

function counting(inner: HttpClient): HttpClient {
  return {
    async sendRequest(request) {
      sent.push({ method: request.method, url: request.url });
      return inner.sendRequest(request);
    },
  };
}

beforeAll(async () => {
  engine = await startEngine({ dataDir: tempDir(), timing: FAST, azureml: { jobPageSize: 2 } });
  await setupCluster(engine, 'c1', { manual: { targetNodeCount: 1 } });
  sent = [];
  const ca = readFileSync(engine.azureml!.caFile, 'utf8');
  const http = counting(httpClientTrusting(ca)!);
  const client = createAmlClient({
    endpoint: engine.azureml!.url,
    subscriptionId: SUB,
    credential: staticTokenCredential('test-token'),
    httpClient: http,
    retry: { maxRetries: 0 },
  });
  adapter = (ttlMs, now) =>
    createAzureMlAdapter({ client, fileHttpClient: http, listingTtlMs: ttlMs, ...(now ? { now } : {}) });
  compute = adapter(0);
}, 30_000);
afterAll(async () => {
  await engine?.stop();
  if (engine) removeDir(engine.dataDir);
});

function job(commandLine: string, extra: Record<string, unknown> = {}): JobCreateParameters {
  return {
    properties: {
      cluster: { id: CLUSTER_ID },
      nodeCount: 1,
      stdOutErrPathPrefix: '$AZ_BATCHAI_MOUNT_ROOT/afs',
      customToolkitSettings: { commandLine },
      ...extra,
    },
  } as JobCreateParameters;
}

async function until(ref: { experiment: string; job: string }, states: ComputeJob['state'][]): Promise<ComputeJob> {
  return waitFor(`job ${ref.job} ${states.join('/')}`, async () => {
    const j = await compute.getJob({ ...WS, ...ref });
    return states.includes(j.state) ? j : undefined;
  });
}

async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of items) out.push(x);
  return out;
}

test('computes are clusters with node counts and a scale mode', async () => {
  const [c] = await all(compute.listClusters(WS));
  expect(c).toMatchObject({ name: 'c1', vmSize: 'STANDARD_NC6', currentNodeCount: 1, allocationState: 'steady' });
  expect(c!.scale).toEqual({ mode: 'manual', targetNodeCount: 1 });
  expect(c!.idleSeconds).toBe(120);
  expect(compute.labels).toEqual({ service: 'Azure ML', workspace: 'Workspace', cluster: 'Compute' });
});

test('a job.json runs as a command job: derived name, experiment kept, tail by range, output link', async () => {
  const ref = { ...WS, experiment: 'exp1', job: 'hello' };
  const params = job(
    'echo "hi from $AZ_BATCHAI_JOB_NAME"; echo oops >&2; echo model > "$AZ_BATCHAI_OUTPUT_MODEL/model.txt"',
    { outputDirectories: [{ id: 'MODEL', pathPrefix: '$AZ_BATCHAI_MOUNT_ROOT/afs' }] },
  );
  const described = compute.describeSubmit(ref, params);
  expect(described.requests).toHaveLength(1);
  expect(described.requests[0]!.path).toMatch(/\/workspaces\/demo_ws\/jobs\/exp1--hello\?api-version=2025-12-01$/);
  const submitted = await compute.submitJob(ref, params);
  expect(submitted).toMatchObject({ name: 'hello', experiment: 'exp1', cluster: 'c1' });
  expect(['queued', 'running']).toContain(submitted.state);
  const done = await until(ref, ['succeeded', 'failed']);
  expect(done).toMatchObject({ state: 'succeeded', outputDirectoryIds: ['MODEL'] });
  expect(done.id).toMatch(/\/jobs\/exp1--hello$/);
  expect(await all(compute.listExperiments(WS))).toContain('exp1');
  expect((await all(compute.listJobs({ ...WS, experiment: 'exp1' }))).map((j) => j.name)).toEqual(['hello']);

  const logs = await all(compute.listOutputFiles(ref, { outputDirectoryId: 'stdouterr' }));
  expect(logs.map((f) => [f.name, f.size])).toEqual([['stdout.txt', 'hi from hello\noops\n'.length]]);
  sent.length = 0;
  const tail = await compute.readTail(ref, logs[0]!, { maxBytes: 4096, maxLines: 10 });
  // stdout and stderr in one log, as Azure ML's std_log.txt.
  expect(tail.lines).toEqual(['hi from hello', 'oops']);
  // The listing sized the file (one HEAD): the tail is one ranged GET; without a size, HEAD + GET.
  expect(sent.map((s) => s.method)).toEqual(['GET']);
  sent.length = 0;
  await compute.readTail(ref, { ...logs[0]!, size: undefined }, { maxBytes: 4096, maxLines: 10 });
  expect(sent.map((s) => s.method)).toEqual(['HEAD', 'GET']);

  const outputs: OutputFile[] = await all(compute.listOutputFiles(ref, { outputDirectoryId: 'MODEL' }));
  expect(outputs.map((f) => f.name)).toEqual(['model.txt']);
  const res = await httpClientTrusting(readFileSync(engine.azureml!.caFile, 'utf8'))!.sendRequest(
    createPipelineRequest({ url: outputs[0]!.url!, method: 'GET' }),
  );
  expect(res.bodyAsText).toBe('model\n');
});

/** The last reads were one job read from ARM: the job resource, then its run history. */
function expectReadFromArm(): void {
  expect(sent.map((s) => new URL(s.url).pathname)).toEqual([
    expect.stringMatching(/\/jobs\/exp1--hello$/),
    expect.stringMatching(/\/runs\/exp1--hello\/details$/),
  ]);
}

test('an ended job read right after a listing is taken from it, only run history read; later, ARM too', async () => {
  const ref = { ...WS, experiment: 'exp1', job: 'hello' };
  let now = 0;
  const polled = adapter(1000, () => now);
  await all(polled.listExperiments(WS));
  sent.length = 0;
  const listed = await polled.getJob(ref);
  expect(sent.map((s) => new URL(s.url).pathname)).toEqual([expect.stringMatching(/\/runs\/exp1--hello\/details$/)]);
  expect(listed).toEqual(await compute.getJob(ref));
  expect(listed).toMatchObject({ state: 'succeeded', exitCode: 0 });
  now = 1000;
  sent.length = 0;
  await polled.getJob(ref);
  expectReadFromArm();
});

test('a released listing serves no more: an ended job is read from ARM again', async () => {
  const ref = { ...WS, experiment: 'exp1', job: 'hello' };
  const polled = adapter(60_000);
  await all(polled.listExperiments(WS));
  polled.releaseListing!(WS);
  sent.length = 0;
  await polled.getJob(ref);
  expectReadFromArm();
});

test("run history is found once per workspace, and a region's discovery document once for all of them", async () => {
  // Workspaces of their own: demo_ws's job list is counted by a later test.
  const [one, other] = ['one_ws', 'other_ws'].map((workspace) => ({ resourceGroup: 'demo_rg', workspace }));
  for (const ws of [one!, other!])
    await engine.seedFinishedJobs({ ...ws, subscriptionId: SUB, experiment: 'seeded' }, 1, { cluster: 'c1' });
  const fresh = createAzureMlAdapter({
    client: createAmlClient({
      endpoint: engine.azureml!.url,
      subscriptionId: SUB,
      credential: staticTokenCredential('test-token'),
      httpClient: counting(httpClientTrusting(readFileSync(engine.azureml!.caFile, 'utf8'))!),
      retry: { maxRetries: 0 },
    }),
  });
  sent.length = 0;
  for (const ws of [one!, other!, one!, other!]) {
    const [seeded] = await all(fresh.listJobs({ ...ws, experiment: 'seeded' }));
    expect(await fresh.getJob({ ...ws, experiment: 'seeded', job: seeded!.name })).toMatchObject({ exitCode: 0 });
  }
  const paths = sent.map((s) => new URL(s.url).pathname);
  expect(paths.filter((p) => /\/workspaces\/[^/]+$/.test(p))).toEqual([
    expect.stringMatching(/\/one_ws$/),
    expect.stringMatching(/\/other_ws$/),
  ]);
  expect(paths.filter((p) => p.endsWith('/discovery'))).toHaveLength(1);
});

test('a tail reads only the end of a big log', async () => {
  const ref = { ...WS, experiment: 'exp1', job: 'big' };
  await compute.submitJob(ref, job('head -c 3000000 /dev/zero | tr "\\0" "x"; echo; echo last line'));
  await until(ref, ['succeeded']);
  const [log] = await all(compute.listOutputFiles(ref, { outputDirectoryId: 'stdouterr' }));
  const tail = await compute.readTail(ref, log!, { maxBytes: 1024, maxLines: 1 });
  expect(tail).toEqual({ lines: ['last line'], truncated: true });
});

test('scale: min = max is a resize, a range is auto-scale', async () => {
  const ref = { ...WS, cluster: 'c1' };
  const auto = await compute.scaleCluster(ref, { mode: 'auto', min: 0, max: 3 });
  expect(auto.scale).toEqual({ mode: 'auto', min: 0, max: 3 });
  const manual = await compute.scaleCluster(ref, { mode: 'manual', targetNodeCount: 2 });
  expect(manual.scale).toEqual({ mode: 'manual', targetNodeCount: 2 });
  await waitFor('2 nodes', async () => (await compute.getCluster(ref)).currentNodeCount === 2);
});

test('terminate cancels: the job ends terminated; cancelling it again is no error', async () => {
  const ref = { ...WS, experiment: 'exp2', job: 'sleeper' };
  await compute.submitJob(ref, job('sleep 30'));
  await until(ref, ['running']);
  await compute.terminateJob(ref);
  await until(ref, ['terminated']);
  await expect(compute.terminateJob(ref)).resolves.toBeUndefined();
});

test('the job list pages (nextLink), one request a page', async () => {
  const ref = { ...WS, experiment: 'exp3', job: '' };
  for (const name of ['a', 'b', 'c']) await compute.submitJob({ ...ref, job: name }, job('true'));
  sent.length = 0;
  const jobs = await all(compute.listExperiments(WS));
  const pages = sent.filter((s) => /\/jobs\?/.test(s.url));
  // 2 in exp1, 1 in exp2, 3 in exp3: 6 jobs at 2 a page.
  expect(pages).toHaveLength(3);
  expect(jobs).toEqual(expect.arrayContaining(['exp1', 'exp2', 'exp3']));
});

test('what cannot map is refused before anything is sent', async () => {
  sent.length = 0;
  const mounted = job('true', {
    mountVolumes: {
      azureFileShares: [{ accountName: 'a', azureFileUrl: 'u', relativeMountPath: 'x', credentials: {} }],
    },
  });
  await expect(compute.submitJob({ ...WS, experiment: 'e', job: 'm' }, mounted)).rejects.toThrow(/datastore/);
  expect(sent).toEqual([]);
});

test('a job beyond the node or variable limits is refused before its environment version is made', async () => {
  sent.length = 0;
  const image = { containerSettings: { imageSourceRegistry: { image: 'pytorch/pytorch:2.4.0' } } };
  const wide = job('true', image);
  wide.properties!.nodeCount = 120;
  await expect(compute.submitJob({ ...WS, experiment: 'e', job: 'wide' }, wide)).rejects.toThrow(
    /nodeCount=120: expected a whole number from 1 to 100/,
  );
  const env = Array.from({ length: 1001 }, (_, i) => ({ name: `V${i}`, value: 'x' }));
  await expect(
    compute.submitJob({ ...WS, experiment: 'e', job: 'vars' }, job('true', { ...image, environmentVariables: env })),
  ).rejects.toThrow(/1001 in all, expected at most 1000/);
  expect(sent).toEqual([]);
});

test('a container image becomes an environment version PUT before the job', () => {
  const d = compute.describeSubmit(
    { ...WS, experiment: 'e', job: 'img' },
    job('nvidia-smi', { containerSettings: { imageSourceRegistry: { image: 'pytorch/pytorch:2.4.0' } } }),
  );
  expect(d.requests.map((r) => r.method)).toEqual(['PUT', 'PUT']);
  expect(d.requests[0]!.path).toMatch(/\/environments\/chatops-[0-9a-f]{16}\/versions\/1\?/);
  expect(d.requests[0]!.body).toMatchObject({ properties: { image: 'pytorch/pytorch:2.4.0' } });
});

test('ARM errors are ComputeErrors of backend azureml', async () => {
  const e = await compute.getCluster({ ...WS, cluster: 'nope' }).catch((x: unknown) => x);
  expect(e).toBeInstanceOf(ComputeError);
  expect(e).toMatchObject({ backend: 'azureml', status: 404 });
});

test('COMPUTE_CA_FILE that is missing or not a certificate fails the build of the client, naming the setting', () => {
  expect(() => readCaFile('/nonexistent/ca.pem')).toThrow(/COMPUTE_CA_FILE \/nonexistent\/ca\.pem: ENOENT/);
  expect(() => readCaFile(__filename)).toThrow(/expected a PEM certificate/);
  expect(readCaFile(engine.azureml!.caFile)).toMatch(/BEGIN CERTIFICATE/);
});

test('without trusting the facade CA, the client refuses its certificate', async () => {
  const untrusting = createAmlClient({
    endpoint: engine.azureml!.url,
    subscriptionId: SUB,
    credential: staticTokenCredential('test-token'),
    retry: { maxRetries: 0 },
  });
  await expect(untrusting.getCompute({ ...WS, cluster: 'c1' })).rejects.toThrow(/certificate|self-signed|SELF_SIGNED/i);
});
