// Nodes are slots: gang scheduling with schedulingPriority, node state counts that add up, and auto-scale that
// grows for queued jobs and gives idle nodes back.
import { arm, EXP, jobBody, setupCluster, useFastEngine, waitFor, WS } from './helpers';

const engine = useFastEngine();

async function state(name: string): Promise<string> {
  return (await arm(engine, 'GET', `${EXP}/jobs/${name}`)).body.properties.executionState;
}

async function terminate(name: string): Promise<void> {
  expect((await arm(engine, 'POST', `${EXP}/jobs/${name}/terminate`)).status).toBe(202);
  await waitFor(`${name} ended`, async () => (await state(name)) === 'failed');
}

test('a gang job waits for all its nodes; higher priority goes first; a smaller job does not overtake', async () => {
  await setupCluster(engine, 'gang', { manual: { targetNodeCount: 2 } });
  const body = (nodeCount: number, schedulingPriority: string): unknown =>
    jobBody('sleep 30', { nodeCount, schedulingPriority, stdOutErrPathPrefix: '$AZ_BATCHAI_JOB_TEMP_DIR' }, 'gang');
  await arm(engine, 'PUT', `${EXP}/jobs/first`, body(1, 'normal'));
  await waitFor('first running', async () => (await state('first')) === 'running');
  const c1 = (await arm(engine, 'GET', `${WS}/clusters/gang`)).body.properties;
  expect(c1.nodeStateCounts).toMatchObject({ runningNodeCount: 1, idleNodeCount: 1 });

  await arm(engine, 'PUT', `${EXP}/jobs/small-low`, body(1, 'low'));
  await arm(engine, 'PUT', `${EXP}/jobs/big-high`, body(2, 'high'));
  // One node is idle, but big-high (2 nodes, high) is at the head of the queue: small-low must not overtake it.
  // Once both are created, a scheduler pass that could start small-low has run by the time tick() returns.
  await waitFor('both created', async () => {
    const jobs = await Promise.all(['big-high', 'small-low'].map((n) => arm(engine, 'GET', `${EXP}/jobs/${n}`)));
    return jobs.every((j) => j.body.properties.provisioningState === 'succeeded');
  });
  engine.tick();
  expect(await state('big-high')).toBe('queued');
  expect(await state('small-low')).toBe('queued');

  await terminate('first');
  await waitFor('big-high running', async () => (await state('big-high')) === 'running');
  expect(await state('small-low')).toBe('queued');
  const c2 = (await arm(engine, 'GET', `${WS}/clusters/gang`)).body.properties;
  expect(c2.nodeStateCounts).toMatchObject({ runningNodeCount: 2, idleNodeCount: 0 });

  await terminate('big-high');
  await waitFor('small-low running', async () => (await state('small-low')) === 'running');
  await terminate('small-low');
});

test('a job larger than the cluster can ever be stays queued without blocking others', async () => {
  await arm(engine, 'PUT', `${EXP}/jobs/huge`, jobBody('true', { nodeCount: 5, schedulingPriority: 'high' }, 'gang'));
  await arm(
    engine,
    'PUT',
    `${EXP}/jobs/tiny`,
    jobBody('true', { stdOutErrPathPrefix: '$AZ_BATCHAI_JOB_TEMP_DIR' }, 'gang'),
  );
  await waitFor('tiny done', async () => (await state('tiny')) === 'succeeded');
  expect(await state('huge')).toBe('queued');
  await arm(engine, 'DELETE', `${EXP}/jobs/huge`);
});

test('auto-scale grows for queued jobs and shrinks to the minimum when idle; counts always add up', async () => {
  await setupCluster(engine, 'auto', { autoScale: { minimumNodeCount: 0, maximumNodeCount: 3, initialNodeCount: 0 } });
  const cluster = async (): Promise<any> => (await arm(engine, 'GET', `${WS}/clusters/auto`)).body.properties;
  expect((await cluster()).currentNodeCount).toBe(0);
  const seen: any[] = [];
  const sample = async (): Promise<any> => {
    const c = await cluster();
    seen.push(c);
    return c;
  };
  const growing = engine.hold('allocation');
  await arm(
    engine,
    'PUT',
    `${EXP}/jobs/grow`,
    jobBody('sleep 30', { nodeCount: 2, stdOutErrPathPrefix: '$AZ_BATCHAI_JOB_TEMP_DIR' }, 'auto'),
  );
  await waitFor('two nodes preparing', async () => (await sample()).nodeStateCounts.preparingNodeCount === 2);
  expect(seen.at(-1).allocationState).toBe('resizing');
  expect(await state('grow')).toBe('queued');
  growing.release();
  await waitFor('grow running', async () => {
    await sample();
    return (await state('grow')) === 'running';
  });
  const running = await cluster();
  expect(running).toMatchObject({ currentNodeCount: 2, nodeStateCounts: { runningNodeCount: 2 } });

  const shrinking = engine.hold('allocation');
  await terminate('grow');
  await waitFor('two nodes leaving', async () => (await sample()).nodeStateCounts.leavingNodeCount === 2);
  shrinking.release();
  await waitFor('shrunk to 0', async () => {
    const c = await sample();
    return c.currentNodeCount === 0 && c.allocationState === 'steady';
  });
  for (const c of seen) {
    const n = c.nodeStateCounts;
    expect(n.idleNodeCount + n.runningNodeCount + n.preparingNodeCount + n.leavingNodeCount + n.unusableNodeCount).toBe(
      c.currentNodeCount,
    );
  }
});

test('a manual scale-down below busy nodes requeues (default) or terminates jobs, lowest priority first', async () => {
  await setupCluster(engine, 'shrink', { manual: { targetNodeCount: 2 } });
  const body = (schedulingPriority: string): unknown =>
    jobBody('sleep 30', { schedulingPriority, stdOutErrPathPrefix: '$AZ_BATCHAI_JOB_TEMP_DIR' }, 'shrink');
  await arm(engine, 'PUT', `${EXP}/jobs/keep-high`, body('high'));
  await arm(engine, 'PUT', `${EXP}/jobs/requeue-low`, body('low'));
  await waitFor(
    'both running',
    async () => (await state('keep-high')) === 'running' && (await state('requeue-low')) === 'running',
  );

  await arm(engine, 'PATCH', `${WS}/clusters/shrink`, {
    properties: { scaleSettings: { manual: { targetNodeCount: 1 } } },
  });
  await waitFor('low requeued', async () => (await state('requeue-low')) === 'queued');
  expect(await state('keep-high')).toBe('running');
  await waitFor(
    'one node',
    async () => (await arm(engine, 'GET', `${WS}/clusters/shrink`)).body.properties.currentNodeCount === 1,
  );

  await arm(engine, 'PATCH', `${WS}/clusters/shrink`, {
    properties: { scaleSettings: { manual: { targetNodeCount: 0, nodeDeallocationOption: 'terminate' } } },
  });
  await waitFor('high terminated', async () => (await state('keep-high')) === 'failed');
  const high = (await arm(engine, 'GET', `${EXP}/jobs/keep-high`)).body.properties;
  expect(high.executionInfo.errors[0].code).toBe('JobTerminated');
  expect(await state('requeue-low')).toBe('queued');
  await arm(engine, 'DELETE', `${EXP}/jobs/requeue-low`);
});
