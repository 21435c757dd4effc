// The engine's Azure ML facade on the wire, as the live service answers: a bearer token required (401), the
// api-versions it serves (400 naming them), explicit nulls, ARM error bodies; hostile paths and links get a clear
// 4xx, never a 500 or a file outside a job's directory.
import { readFileSync } from 'node:fs';
import { createHttpHeaders, createPipelineRequest, type HttpClient } from '@azure/core-rest-pipeline';
import { httpClientTrusting } from '../../shared/http/trusted-ca';
import { startEngine, type Engine } from '../../local/engine';
import { FAST, removeDir, setupCluster, SUB, tempDir } from '../engine/helpers';

let engine: Engine;
let http: HttpClient;
const WS =
  `/subscriptions/${SUB}/resourceGroups/demo_rg` + '/providers/Microsoft.MachineLearningServices/workspaces/demo_ws';

beforeAll(async () => {
  engine = await startEngine({ dataDir: tempDir(), timing: FAST, azureml: {} });
  await setupCluster(engine, 'c1', { manual: { targetNodeCount: 1 } });
  http = httpClientTrusting(readFileSync(engine.azureml!.caFile, 'utf8'))!;
}, 30_000);
afterAll(async () => {
  await engine?.stop();
  if (engine) removeDir(engine.dataDir);
});

/** A job PUT with the given body text: what the facade answers, and whether it kept the job. */
async function putJob(name: string, body: string) {
  const url = `${engine.azureml!.url}${WS}/jobs/${name}?api-version=2025-12-01`;
  const headers = createHttpHeaders({ authorization: 'Bearer t', 'content-type': 'application/json' });
  const r = await http.sendRequest(createPipelineRequest({ url, method: 'PUT', headers, body }));
  const kept = (await call('GET', `${WS}/jobs/${name}?api-version=2025-12-01`)).status === 200;
  return { status: r.status, error: r.bodyAsText ? JSON.parse(r.bodyAsText).error : undefined, kept };
}

/** `token` '' sends no Authorization header. */
async function call(method: 'GET' | 'POST', path: string, token = 't') {
  const headers = createHttpHeaders(token ? { authorization: `Bearer ${token}` } : {});
  const r = await http.sendRequest(createPipelineRequest({ url: `${engine.azureml!.url}${path}`, method, headers }));
  return { status: r.status, body: r.bodyAsText ? JSON.parse(r.bodyAsText) : undefined };
}

test('a compute reads as the live service: explicit nulls, AmlCompute, its Batch AI resource id', async () => {
  const r = await call('GET', `${WS}/computes/c1?api-version=2025-12-01`);
  expect(r.status).toBe(200);
  expect(r.body.properties).toMatchObject({
    computeType: 'AmlCompute',
    description: null,
    resourceId: expect.stringMatching(/\/providers\/Microsoft\.BatchAI\/workspaces\/demo_ws\/clusters\/c1$/),
  });
  expect(r.body.properties.properties).toMatchObject({ virtualMachineImage: null, errors: null, currentNodeCount: 1 });
});

test('no token: 401; an api-version it does not serve: 400 naming those it does', async () => {
  expect((await call('GET', `${WS}/computes?api-version=2025-12-01`, '')).status).toBe(401);
  const bad = await call('GET', `${WS}/computes?api-version=2018-05-01`);
  expect(bad.status).toBe(400);
  expect(bad.body.error.code).toBe('InvalidApiVersionParameter');
  expect(bad.body.error.message).toMatch(/2025-12-01, 2022-10-01/);
  expect((await call('GET', `${WS}/computes`)).body.error.code).toBe('MissingApiVersionParameter');
});

test.each([
  // A name that decodes to a path is refused by the name rules.
  [`${WS}/jobs/..%2F..%2Fx?api-version=2025-12-01`, 400],
  [`${WS}/jobs/%E0%A4%A?api-version=2025-12-01`, 400],
  // The client folds `..` before sending: it reaches no resource.
  [`${WS}/computes/../../x?api-version=2025-12-01`, 404],
  ['/_files/a/b/c/d/e/stdouterr/stdout.txt?se=9999999999999&sig=00', 403],
  ['/_files/%E0%A4%A/x?se=1&sig=1', 403],
  [`/artifact/v2.0${WS}/artifacts/prefix/contentinfo/ExperimentRun/%E0%A4%A`, 400],
  [`${WS}/jobs/nope?api-version=2025-12-01`, 404],
])('%s → %i with an ARM error body', async (path, status) => {
  const r = await call('GET', path);
  expect(r.status).toBe(status);
  if (r.body) expect(r.body.error).toMatchObject({ code: expect.any(String), message: expect.any(String) });
});

test('a job PUT beyond the local quota (variables, body size, instances) is refused and nothing is kept', async () => {
  const props = (extra: Record<string, unknown>) =>
    JSON.stringify({
      properties: {
        jobType: 'Command',
        command: 'true',
        environmentId: 'azureml://registries/azureml/environments/sklearn-1.5/labels/latest',
        computeId: `${WS}/computes/c1`,
        ...extra,
      },
    });
  const vars = Object.fromEntries(Array.from({ length: 1001 }, (_, i) => [`V${i}`, 'x']));
  const many = await putJob('many-vars', props({ environmentVariables: vars }));
  expect(many).toMatchObject({ status: 400, error: { code: 'UserError' }, kept: false });
  expect(many.error.message).toMatch(/1001 variables, expected at most 1000/);
  const big = await putJob('big-body', props({ description: 'x'.repeat(1024 * 1024) }));
  expect(big).toMatchObject({ status: 413, error: { code: 'RequestEntityTooLarge' }, kept: false });
  const wide = await putJob('wide', props({ resources: { instanceCount: 101 } }));
  expect(wide).toMatchObject({ status: 400, kept: false });
});
