// The ARM habits of the service: long-running operations (202 + Azure-AsyncOperation/Location/Retry-After,
// InProgress → Succeeded, Location 202 → 204), immediate 200s, error bodies and codes, no nulls, lower-cased
// names, secrets never echoed.
import { AFS, arm, EXP, jobBody, runJob, setupCluster, SUB, useFastEngine, waitFor, WS } from './helpers';

const engine = useFastEngine();

function hasNull(v: unknown): boolean {
  if (v === null) return true;
  if (typeof v === 'object') return Object.values(v as object).some(hasNull);
  return false;
}

test('workspace and experiment PUT answer 200 with the resource at once; names and ids are lower-cased', async () => {
  const ws = await arm(
    engine,
    'PUT',
    `/subscriptions/${SUB}/resourceGroups/Demo_RG/providers/microsoft.batchai/Workspaces/Demo_WS`,
    { location: 'EastUS' },
  );
  expect(ws.status).toBe(200);
  expect(ws.body).toMatchObject({
    id: WS,
    name: 'demo_ws',
    location: 'eastus',
    properties: { provisioningState: 'succeeded' },
  });
  expect(ws.body.properties.creationTime).toMatch(/Z$/);
  const exp = await arm(engine, 'PUT', `${WS}/experiments/EXP1`);
  expect(exp.status).toBe(200);
  expect(exp.body).toMatchObject({ id: EXP, name: 'exp1' });
});

test('cluster PUT is long-running: 202, operation result InProgress → Succeeded, Location 202 → 204', async () => {
  const creation = engine.hold('create');
  const put = await arm(engine, 'PUT', `${WS}/clusters/lro`, {
    properties: {
      vmSize: 'STANDARD_NC6',
      scaleSettings: { manual: { targetNodeCount: 1 } },
      userAccountSettings: { adminUserName: 'me', adminUserPassword: 'P@ssw0rd!' },
      nodeSetup: { mountVolumes: AFS },
    },
  });
  expect(put.status).toBe(202);
  expect(put.text).toBe('');
  const asyncOp = put.headers.get('azure-asyncoperation')!;
  const location = put.headers.get('location')!;
  expect(asyncOp).toMatch(
    new RegExp(
      `^${engine.url}/subscriptions/${SUB}/providers/Microsoft.BatchAI/locations/eastus` +
        '/operationresults/[0-9a-f-]{36}\\?api-version=2018-05-01$',
    ),
  );
  expect(location).toMatch(/\/operationstatuses\/[0-9a-f-]{36}\?api-version=2018-05-01$/);
  expect(Number(put.headers.get('retry-after'))).toBeGreaterThan(0);

  const first = await arm(engine, 'GET', asyncOp);
  expect(first.status).toBe(200);
  expect(first.body.status).toBe('InProgress');
  expect(first.body.startTime).toMatch(/Z$/);
  expect((await arm(engine, 'GET', location)).status).toBe(202);
  expect((await arm(engine, 'GET', `${WS}/clusters/lro`)).body.properties.provisioningState).toBe('creating');

  creation.release();
  const done = await waitFor('operation done', async () => {
    const r = await arm(engine, 'GET', asyncOp);
    return r.body.status !== 'InProgress' ? r.body : undefined;
  });
  expect(done).toMatchObject({ status: 'Succeeded' });
  expect(done.endTime).toMatch(/Z$/);
  const loc = await arm(engine, 'GET', location);
  expect(loc.status).toBe(204);

  const cluster = await arm(engine, 'GET', `${WS}/clusters/LRO`);
  expect(cluster.body.name).toBe('lro');
  expect(cluster.body.properties.provisioningState).toBe('succeeded');
  expect(hasNull(cluster.body)).toBe(false);
  expect(cluster.text).not.toContain('P@ssw0rd!');
  expect(cluster.text).not.toContain('SECRETKEY');
  const p = cluster.body.properties;
  const counts = p.nodeStateCounts;
  expect(
    counts.idleNodeCount +
      counts.runningNodeCount +
      counts.preparingNodeCount +
      counts.leavingNodeCount +
      counts.unusableNodeCount,
  ).toBe(p.currentNodeCount);
});

test('cluster PATCH answers 200 with allocationState resizing, then the cluster settles at the new size', async () => {
  await waitFor(
    'lro steady',
    async () => (await arm(engine, 'GET', `${WS}/clusters/lro`)).body.properties.allocationState === 'steady',
  );
  const allocation = engine.hold('allocation');
  const patch = await arm(engine, 'PATCH', `${WS}/clusters/lro`, {
    properties: { scaleSettings: { manual: { targetNodeCount: 3 } } },
  });
  expect(patch.status).toBe(200);
  expect(patch.body.properties.allocationState).toBe('resizing');
  engine.tick();
  const resizing = (await arm(engine, 'GET', `${WS}/clusters/lro`)).body.properties;
  expect(resizing).toMatchObject({
    allocationState: 'resizing',
    currentNodeCount: 3,
    nodeStateCounts: { preparingNodeCount: 2, idleNodeCount: 1 },
  });

  allocation.release();
  const steady = await waitFor('resized', async () => {
    const c = await arm(engine, 'GET', `${WS}/clusters/lro`);
    return c.body.properties.allocationState === 'steady' ? c.body : undefined;
  });
  expect(steady.properties.currentNodeCount).toBe(3);
  expect(steady.properties.nodeStateCounts.idleNodeCount).toBe(3);
});

test('job PUT is 202; PUT of the existing job is 200 with that job; DELETE is 202 and the job goes away', async () => {
  await setupCluster(engine, 'c1', { manual: { targetNodeCount: 1 } }, { nodeSetup: { mountVolumes: AFS } });
  const job = await runJob(engine, 'Twice', jobBody('echo once'));
  expect(job.name).toBe('twice');
  expect(job.properties.cluster.id).toBe(`${WS}/clusters/c1`);
  const again = await arm(engine, 'PUT', `${EXP}/jobs/twice`, jobBody('echo twice'));
  expect(again.status).toBe(200);
  expect(again.body.properties.customToolkitSettings.commandLine).toBe('echo once');
  const deletion = engine.hold('delete');
  const del = await arm(engine, 'DELETE', `${EXP}/jobs/twice`);
  expect(del.status).toBe(202);
  expect(del.headers.get('azure-asyncoperation')).toContain('/operationresults/');
  expect((await arm(engine, 'GET', del.headers.get('azure-asyncoperation')!)).body.status).toBe('InProgress');
  expect((await arm(engine, 'GET', `${EXP}/jobs/twice`)).body.properties.provisioningState).toBe('deleting');
  deletion.release();
  await waitFor('deleted', async () => (await arm(engine, 'GET', `${EXP}/jobs/twice`)).status === 404);
  const op = await arm(engine, 'GET', del.headers.get('azure-asyncoperation')!);
  expect(op.body.status).toBe('Succeeded');
});

test('errors: 401 without a token, api-version checks, invalid names, not-found codes', async () => {
  const noAuth = await fetch(`${engine.url}${WS}?api-version=2018-05-01`);
  expect(noAuth.status).toBe(401);
  expect((await noAuth.json()).error.code).toBe('AuthenticationFailed');

  const noVersion = await arm(engine, 'GET', `${WS}?x=1`);
  expect(noVersion.status).toBe(400);
  expect(noVersion.body.error.code).toBe('MissingApiVersionParameter');
  const badVersion = await arm(engine, 'GET', `${WS}?api-version=2017-09-01-preview`);
  expect(badVersion.status).toBe(400);
  expect(badVersion.body.error).toMatchObject({ code: 'InvalidApiVersionParameter' });
  expect(badVersion.body.error.message).toContain('2018-05-01');

  const badName = await arm(engine, 'PUT', `${WS}/experiments/bad.name`);
  expect(badName.status).toBe(400);
  expect(badName.body.error.code).toBe('InvalidResourceName');
  expect((await arm(engine, 'PUT', `${WS}/experiments/${'x'.repeat(65)}`)).status).toBe(400);

  const cases: Array<[string, string]> = [
    [`/subscriptions/${SUB}/resourceGroups/demo_rg/providers/Microsoft.BatchAI/workspaces/nope`, 'WorkspaceNotFound'],
    [`${WS}/clusters/nope`, 'ClusterNotFound'],
    [`${WS}/experiments/nope`, 'ExperimentNotFound'],
    [`${EXP}/jobs/nope`, 'JobNotFound'],
  ];
  for (const [path, code] of cases) {
    const r = await arm(engine, 'GET', path);
    expect([r.status, r.body.error.code]).toEqual([404, code]);
    expect(typeof r.body.error.message).toBe('string');
  }
  const missingCluster = await arm(engine, 'PUT', `${EXP}/jobs/orphan`, jobBody('true', {}, 'nope'));
  expect([missingCluster.status, missingCluster.body.error.code]).toEqual([404, 'ClusterNotFound']);
});

test('bodies breaking the schema get 400 InvalidRequestContent naming the property and what was expected', async () => {
  const noNodeCount = await arm(engine, 'PUT', `${EXP}/jobs/bad1`, {
    properties: { cluster: { id: `${WS}/clusters/c1` }, stdOutErrPathPrefix: '/tmp', customToolkitSettings: {} },
  });
  expect(noNodeCount.status).toBe(400);
  expect(noNodeCount.body.error.code).toBe('InvalidRequestContent');
  expect(noNodeCount.body.error.message).toContain("'properties.nodeCount' is required");

  const wrongType = await arm(engine, 'PUT', `${EXP}/jobs/bad2`, jobBody('true', { nodeCount: 'two' }));
  expect(wrongType.status).toBe(400);
  expect(wrongType.body.error.message).toContain("'properties.nodeCount' must be an integer, got string");

  const badEnum = await arm(engine, 'PUT', `${EXP}/jobs/bad3`, jobBody('true', { schedulingPriority: 'urgent' }));
  expect(badEnum.body.error.message).toContain('must be one of low, normal, high');

  const noTool = await arm(engine, 'PUT', `${EXP}/jobs/bad4`, jobBody('true', { customToolkitSettings: undefined }));
  expect([noTool.status, noTool.body.error.code]).toEqual([400, 'InvalidRequestContent']);

  const noVmSize = await arm(engine, 'PUT', `${WS}/clusters/bad`, {
    properties: { userAccountSettings: { adminUserName: 'u' } },
  });
  expect(noVmSize.body.error.message).toContain("'properties.vmSize' is required");
  const noBody = await arm(engine, 'PUT', `${WS}/clusters/bad`);
  expect([noBody.status, noBody.body.error.code]).toEqual([400, 'InvalidRequestContent']);
  const notJson = await fetch(`${engine.url}${WS}?api-version=2018-05-01`, {
    method: 'PUT',
    headers: { authorization: 'Bearer x' },
    body: '{nope',
  });
  expect(notJson.status).toBe(400);
});

test('lists page with nextLink; provider operations and usages answer', async () => {
  for (const n of ['e2', 'e3', 'e4']) await arm(engine, 'PUT', `${WS}/experiments/${n}`);
  const first = await arm(engine, 'GET', `${WS}/experiments?api-version=2018-05-01&maxresults=2`);
  expect(first.body.value).toHaveLength(2);
  const second = await arm(engine, 'GET', first.body.nextLink);
  expect(second.body.value.length).toBeGreaterThanOrEqual(2);
  const names = [...first.body.value, ...second.body.value].map((e: any) => e.name);
  expect(new Set(names).size).toBe(names.length);
  const ops = await arm(engine, 'GET', '/providers/Microsoft.BatchAI/operations');
  expect(ops.body.value.map((o: any) => o.name)).toContain('Microsoft.BatchAI/workspaces/experiments/jobs/write');
  const usages = await arm(engine, 'GET', `/subscriptions/${SUB}/providers/Microsoft.BatchAI/locations/eastus/usages`);
  expect(usages.body.value.find((u: any) => u.name.value === 'Clusters').currentValue).toBeGreaterThanOrEqual(2);
});
