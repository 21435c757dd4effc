// Every operation of the data-plane spec (BatchService.json 2025-06-01.21.0) reaches a handler of the engine's
// Batch facade: none answers InvalidUri or UnsupportedHttpVerb (what an unrouted path or verb gets). Names that
// do not exist give the service's NotFound codes; what cannot run here (node reboots, a node's files, job
// schedules, certificates, remote login) is refused with FeatureNotSupported in the service's error body.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HttpMethods } from '@azure/core-rest-pipeline';
import { createBatchClient } from '../../shared/azurebatch/client';
import { createBatchHttp, type BatchHttp } from '../../shared/azurebatch/pipeline';
import { startEngine, type Engine } from '../../local/engine';
import { FAST, removeDir, tempDir, waitFor } from '../engine/helpers';
import { fillPath } from './support/batch-examples';

const SPEC = JSON.parse(readFileSync(join(__dirname, '../fixtures/azure-batch-spec/BatchService.json'), 'utf8')) as {
  paths: Record<string, Record<string, { operationId: string }>>;
};
const OPERATIONS = Object.entries(SPEC.paths).flatMap(([path, ops]) =>
  Object.entries(ops).map(([method, op]): [string, string, string] => [op.operationId, method.toUpperCase(), path]),
);

let engine: Engine;
let http: BatchHttp;
beforeAll(async () => {
  engine = await startEngine({
    dataDir: tempDir(),
    timing: FAST,
    batch: { workspace: { subscriptionId: 's', resourceGroup: 'rg', workspace: 'ws' } },
  });
  const auth = { accountName: engine.batch!.account, accountKey: engine.batch!.accountKey };
  const client = createBatchClient({ endpoint: engine.batch!.url, auth, retry: { maxRetries: 0 } });
  http = createBatchHttp({ endpoint: engine.batch!.url, auth, retry: { maxRetries: 0 } });
  await client.createPool({ id: 'p', vmSize: 'standard_d2s_v3', targetDedicatedNodes: 1 });
  await waitFor('pool p has a node', async () => (await client.getPool('p')).currentDedicatedNodes === 1);
}, 30_000);
afterAll(async () => {
  await engine?.stop();
  if (engine) removeDir(engine.dataDir);
});

const PARAMS: Record<string, string> = {
  poolId: 'p',
  nodeId: 'tvm-local_0',
  jobId: 'no-such-job',
  taskId: 't',
  filePath: 'stdout.txt',
  jobScheduleId: 'no-such-schedule',
  applicationId: 'no-such-app',
  thumbprintAlgorithm: 'sha1',
  thumbprint: 'abc',
  extensionName: 'ext',
  userName: 'u',
};

test('the spec has the operations this test expects', () => {
  expect(OPERATIONS.length).toBeGreaterThan(70);
});

// Before the sweep below, which deletes the pool.
test.each([
  ['POST', '/pools/p/nodes/tvm-local_0/reboot'],
  ['GET', '/pools/p/nodes/tvm-local_0/files'],
  ['GET', '/pools/p/nodes/tvm-local_0/remoteloginsettings'],
  ['POST', '/certificates'],
  ['POST', '/jobschedules'],
])('%s %s is refused: FeatureNotSupported', async (method, path) => {
  const e = await http.send(method as HttpMethods, path, { body: method === 'GET' ? undefined : { id: 'x' } }).then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toMatchObject({ status: 400, code: 'FeatureNotSupported' });
});

test.each(OPERATIONS)('%s (%s %s) reaches a handler', async (_id, method, template) => {
  const outcome = await http
    .send(method as HttpMethods, fillPath(template, PARAMS), { body: method === 'GET' ? undefined : {} })
    .then(
      (r) => `${r.status}`,
      (e: { status?: number; code?: string }) => `${e.status} ${e.code}`,
    );
  expect(outcome).not.toMatch(/InvalidUri|UnsupportedHttpVerb|InternalServerError/);
});
