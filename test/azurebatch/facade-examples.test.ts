// Every example request of the Azure Batch spec, sent (Shared Key signed) to the engine's Batch facade: it is
// accepted with the example's status, and the answer has the example's shape: the same kind of body, and
// only properties that the swagger's response schema defines (checked recursively against BatchService.json).
// Each example gets the entities its request names, created first through the facade; node ids are the
// service's to assign, so the examples' node ids are replaced by the facade's.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HttpMethods } from '@azure/core-rest-pipeline';
import { createBatchClient, type BatchClient } from '../../shared/azurebatch/client';
import { createBatchHttp, type BatchHttp } from '../../shared/azurebatch/pipeline';
import { startEngine, type Engine } from '../../local/engine';
import { FAST, removeDir, tempDir, waitFor } from '../engine/helpers';
import { batchExampleFiles, fillPath, loadBatchExample } from './support/batch-examples';

type Json = Record<string, unknown>;
const SPEC = JSON.parse(readFileSync(join(__dirname, '../fixtures/azure-batch-spec/BatchService.json'), 'utf8')) as {
  paths: Record<string, Record<string, { operationId: string; responses: Record<string, { schema?: Json }> }>>;
  definitions: Record<string, Json>;
};
// The 2024-07-01.20.0 examples carry no operationId.
const OLDER_IDS: Record<string, string> = {
  'AccountListSupportedImages.json': 'Pools_ListSupportedImages',
  'JobAdd_Basic.json': 'Jobs_CreateJob',
  'JobGetTaskCounts.json': 'Jobs_GetJobTaskCounts',
  'PoolDelete.json': 'Pools_DeletePool',
  'PoolDisableAutoScale.json': 'Pools_DisablePoolAutoScale',
  'PoolResize.json': 'Pools_ResizePool',
  'TaskAdd_Basic.json': 'Tasks_CreateTask',
  'TaskDelete.json': 'Tasks_DeleteTask',
};

function operation(file: string): { method: string; template: string; responses: Record<string, { schema?: Json }> } {
  const raw = JSON.parse(readFileSync(join(__dirname, '../fixtures/azure-batch-examples', file), 'utf8')) as {
    operationId?: string;
  };
  const id = raw.operationId ?? OLDER_IDS[file.split('/').pop()!];
  for (const [template, ops] of Object.entries(SPEC.paths)) {
    for (const [method, op] of Object.entries(ops))
      if (op.operationId === id) return { method: method.toUpperCase(), template, responses: op.responses };
  }
  throw new Error(`${file}: no operation ${id} in the spec`);
}

function resolve(schema: Json): Json {
  if (typeof schema.$ref === 'string') return resolve(SPEC.definitions[schema.$ref.replace('#/definitions/', '')]);
  if (Array.isArray(schema.allOf)) {
    const parts = (schema.allOf as Json[]).map(resolve);
    return { ...schema, properties: Object.assign({}, ...parts.map((p) => p.properties), schema.properties) };
  }
  return schema;
}

/** Where the answer breaks the schema: keys it does not define, and required keys that are missing. */
function undefinedKeys(value: unknown, schema: Json, at: string): string[] {
  const s = resolve(schema);
  if (Array.isArray(value))
    return s.items ? value.flatMap((v, i) => undefinedKeys(v, s.items as Json, `${at}[${i}]`)) : [];
  if (typeof value !== 'object' || value === null) return [];
  const props = (s.properties ?? {}) as Record<string, Json>;
  if (!s.properties && s.additionalProperties) return [];
  const missing = ((s.required ?? []) as string[])
    .filter((k) => !(k in (value as Json)))
    .map((k) => `${at}.${k} (required)`);
  return [
    ...missing,
    ...Object.entries(value as Json).flatMap(([k, v]) => {
      if (k.startsWith('odata.')) return [];
      return props[k] ? undefinedKeys(v, props[k], `${at}.${k}`) : [`${at}.${k}`];
    }),
  ];
}

test('the shape check finds a property the schema does not define, nested too, and a missing required one', () => {
  expect(
    undefinedKeys(
      { id: 'p', madeUp: 1, executionInfo: { poolId: 'p', extra: 2 } },
      { $ref: '#/definitions/BatchJob' },
      '$',
    ),
  ).toEqual(['$.poolInfo (required)', '$.madeUp', '$.executionInfo.startTime (required)', '$.executionInfo.extra']);
});

let engine: Engine;
let client: BatchClient;
let http: BatchHttp;
beforeEach(async () => {
  engine = await startEngine({
    dataDir: tempDir(),
    timing: FAST,
    batch: { workspace: { subscriptionId: 's', resourceGroup: 'rg', workspace: 'ws' } },
  });
  const auth = { accountName: engine.batch!.account, accountKey: engine.batch!.accountKey };
  client = createBatchClient({ endpoint: engine.batch!.url, auth, retry: { maxRetries: 0 } });
  http = createBatchHttp({ endpoint: engine.batch!.url, auth, retry: { maxRetries: 0 } });
});
afterEach(async () => {
  await engine.stop();
  removeDir(engine.dataDir);
});

async function pool(id: string, nodes = 1): Promise<string> {
  await client.createPool({ id, vmSize: 'standard_d2s_v3', targetDedicatedNodes: nodes });
  await waitFor(`pool ${id} steady`, async () => {
    const p = await client.getPool(id);
    return p.allocationState === 'steady' && p.currentDedicatedNodes === nodes;
  });
  const first = client.listNodes(id)[Symbol.asyncIterator]();
  return String((await first.next()).value?.id ?? '');
}

/** The entities an example's request names, so that the facade can accept it. */
async function worldFor(file: string, p: Json, method: string, template: string): Promise<Record<string, string>> {
  const creates = method === 'POST' && /Create|Add_/.test(file);
  const renamed: Record<string, string> = {};
  if (typeof p.poolId === 'string' && !creates) {
    const node = await pool(p.poolId, file.includes('RemoveNodes') ? 2 : 1);
    if (typeof p.nodeId === 'string') renamed[p.nodeId] = node;
    if (/Evaluate/.test(file))
      await client.enablePoolAutoScale(p.poolId, { autoScaleFormula: '$TargetDedicatedNodes = 1' });
  }
  if (typeof p.jobId === 'string') {
    if (!(await client.poolExists('poolId'))) await pool('poolId');
    await client.createJob({
      id: p.jobId,
      poolInfo: { poolId: 'poolId' },
      jobPreparationTask: file.includes('Preparation') ? { commandLine: 'true' } : undefined,
    });
    if (typeof p.taskId === 'string') {
      await client.createTask(p.jobId, { id: p.taskId, commandLine: 'echo 0123456789abcdef > testFile.txt' });
      await waitFor(
        `task ${p.taskId} done`,
        async () => (await client.getTask(p.jobId as string, p.taskId as string)).state === 'completed' || undefined,
      );
    }
    if (file.includes('Preparation')) {
      await client.createTask(p.jobId, { id: 'prepared', commandLine: 'true' });
      await waitFor(
        'task prepared done',
        async () => (await client.getTask(p.jobId as string, 'prepared')).state === 'completed' || undefined,
      );
    }
  }
  // A list example is answered with one item of its kind at least, so the item's shape is checked too.
  if (method === 'GET' && ['/pools', '/nodecounts', '/jobs'].includes(template) && !(await client.poolExists('listed')))
    await pool('listed');
  if (method === 'GET' && template === '/jobs')
    await client.createJob({ id: 'listed', poolInfo: { poolId: 'listed' } });
  if (method === 'GET' && template === '/jobs/{jobId}/tasks')
    await client.createTask(String(p.jobId), { id: 'listed', commandLine: 'true' });
  return renamed;
}

/**
 * Features the local account refuses (certificates, job schedules, a node's remote login: unsupported.ts):
 * their examples get the service's error body, FeatureNotSupported, or NotFound for what cannot exist.
 */
const REFUSED = /Certificates_|JobSchedules_(Create|Terminate)|RemoteLogin|NodeUser/;

test.each(batchExampleFiles().filter((f) => REFUSED.test(f)))(
  "%s is refused in the service's error shape",
  async (file) => {
    const example = loadBatchExample(file);
    const op = operation(file);
    const p = example.parameters as Json;
    const renamed = await worldFor(file, p, op.method, op.template);
    const params = Object.fromEntries(
      Object.entries(p).map(([k, v]) => [k, typeof v === 'string' ? (renamed[v] ?? v) : v]),
    );
    const r = await http.send(op.method as HttpMethods, fillPath(op.template, params), { body: example.body }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(r).toMatchObject({
      code: expect.stringMatching(/^(FeatureNotSupported|CertificateNotFound|JobScheduleNotFound)$/),
    });
    expect((r as { status: number }).status).toBeGreaterThanOrEqual(400);
  },
  30_000,
);

test.each(batchExampleFiles().filter((f) => !REFUSED.test(f)))(
  '%s',
  async (file) => {
    const example = loadBatchExample(file);
    const op = operation(file);
    const p = example.parameters as Json;
    const renamed = await worldFor(file, p, op.method, op.template);
    const params = Object.fromEntries(
      Object.entries(p).map(([k, v]) => [k, typeof v === 'string' ? (renamed[v] ?? v) : v]),
    );
    const path = fillPath(op.template, params);
    const query: Record<string, string | boolean> = {};
    if (typeof p.recursive === 'boolean') query.recursive = p.recursive;
    const expected = example.responses[0];
    const r = await http.send(op.method as HttpMethods, path, {
      body: example.body,
      query,
      binary: /GetTaskFile/.test(file),
    });
    expect(r.status).toBe(expected.status);
    const schema = op.responses[String(expected.status)]?.schema;
    if (expected.body === undefined) {
      expect(r.body).toBeUndefined();
    } else if (typeof expected.body === 'string') {
      expect(r.bytes?.toString()).toBe('0123456789abcdef\n');
    } else {
      const body = r.body as Json;
      expect(typeof body['odata.metadata']).toBe('string');
      if ('value' in (expected.body as Json)) {
        expect(Array.isArray(body.value)).toBe(true);
        // Applications, VM extensions and job schedules do not exist on this machine; every other list has an
        // item to check.
        if (!/Applications|Extensions|JobSchedules/.test(file))
          expect((body.value as unknown[]).length).toBeGreaterThan(0);
      }
      expect(undefinedKeys(body, schema!, '$')).toEqual([]);
    }
    // Headers the spec's example shows for files come back too (size, directory flag, times).
    for (const h of Object.keys(expected.headers))
      if (/^ocp-batch-file|Content-Length|Last-Modified/i.test(h)) expect(r.headers.get(h)).toBeDefined();
  },
  30_000,
);

test('node counts speak the requested version: deallocated/deallocating only from 2024-07-01.20.0 on', async () => {
  await pool('p1');
  const counts = async (version: string) => {
    const r = await http.send('GET', '/nodecounts', { query: { 'api-version': version } });
    return Object.keys(((r.body as Json).value as Json[])[0].dedicated as Json);
  };
  expect(await counts('2025-06-01.21.0')).toEqual(
    expect.arrayContaining(['deallocated', 'deallocating', 'upgradingOS']),
  );
  expect(await counts('2024-07-01.20.0')).toContain('deallocated');
  expect(await counts('2024-02-01.19.0')).not.toContain('deallocated');
  expect(await counts('2022-10-01.16.0')).toEqual(expect.arrayContaining(['idle', 'running', 'upgradingOS']));
});
