// State survives a restart with the same data dir (the running job ends failed), seeded jobs list in pages,
// and fault injection answers 429/500/slowly, in process only (no HTTP route reaches it).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEngine, type Engine } from '../../local/engine';
import {
  AFS,
  arm,
  EXP,
  FAST,
  fastEngine,
  jobBody,
  removeDir,
  runJob,
  setupCluster,
  SUB,
  tempDir,
  waitFor,
  WS,
} from './helpers';

const started: Engine[] = [];
const dirs: string[] = [];

async function engineIn(dir: string): Promise<Engine> {
  const e = await fastEngine(dir);
  started.push(e);
  return e;
}

afterAll(async () => {
  await Promise.all(started.map((e) => e.stop()));
  dirs.forEach(removeDir);
});

test('a restart on the same data dir keeps workspaces, clusters and jobs; the running job ends failed', async () => {
  const dir = tempDir();
  dirs.push(dir);
  const a = await engineIn(dir);
  await setupCluster(a, 'c1', { manual: { targetNodeCount: 2 } }, { nodeSetup: { mountVolumes: AFS } });
  const done = await runJob(a, 'done', jobBody('echo kept'));
  await arm(a, 'PUT', `${EXP}/jobs/running`, jobBody('sleep 60'));
  await waitFor(
    'running',
    async () => (await arm(a, 'GET', `${EXP}/jobs/running`)).body.properties.executionState === 'running',
  );
  await a.stop();

  const b = await engineIn(dir);
  const ws = await arm(b, 'GET', WS);
  expect(ws.status).toBe(200);
  const cluster = await arm(b, 'GET', `${WS}/clusters/c1`);
  expect(cluster.body.properties.scaleSettings.manual.targetNodeCount).toBe(2);
  const kept = await arm(b, 'GET', `${EXP}/jobs/done`);
  expect(kept.body.properties).toMatchObject({
    executionState: 'succeeded',
    jobOutputDirectoryPathSegment: done.properties.jobOutputDirectoryPathSegment,
  });
  const interrupted = await arm(b, 'GET', `${EXP}/jobs/running`);
  expect(interrupted.body.properties.executionState).toBe('failed');
  expect(interrupted.body.properties.executionInfo.errors[0]).toMatchObject({
    code: 'JobFailed',
    message: 'The engine stopped while the job was running.',
  });
  // Output listings and their links still work after the restart.
  const list = await arm(
    b,
    'POST',
    `${EXP}/jobs/done/listOutputFiles?api-version=2018-05-01&outputdirectoryid=stdouterr`,
  );
  const url = list.body.value.find((f: any) => f.name === 'stdout.txt').downloadUrl;
  expect(await (await fetch(url)).text()).toBe('kept\n');
  // The state on disk keeps no admin password or storage key: the engine never needs them.
  const onDisk = readFileSync(join(dir, 'state', 'state.json'), 'utf8');
  expect(onDisk).toContain('"job":"done"');
  expect(onDisk).not.toContain('hunter2');
  expect(onDisk).not.toContain('SECRETKEY');
  // The engine still runs jobs after the restart.
  expect((await runJob(b, 'after', jobBody('true'))).properties.executionState).toBe('succeeded');
});

test('seedFinishedJobs inserts 10,000 finished jobs that list in pages of 1000 and survive a restart', async () => {
  const dir = tempDir();
  dirs.push(dir);
  const e = await engineIn(dir);
  await e.seedFinishedJobs(
    { subscriptionId: SUB, resourceGroup: 'bench', workspace: 'ws', experiment: 'many' },
    10_000,
  );
  const base =
    `/subscriptions/${SUB}/resourceGroups/bench/providers/Microsoft.BatchAI` + '/workspaces/ws/experiments/many/jobs';
  let next: string | undefined = `${e.url}${base}?api-version=2018-05-01`;
  let count = 0;
  let pages = 0;
  while (next) {
    const page = await arm(e, 'GET', next);
    expect(page.status).toBe(200);
    count += page.body.value.length;
    pages++;
    next = page.body.nextLink;
  }
  expect([count, pages]).toEqual([10_000, 10]);
  const one = await arm(e, 'GET', `${base}/seed-00001`);
  expect(one.body.properties).toMatchObject({ executionState: 'succeeded', executionInfo: { exitCode: 0 } });
  await e.stop();
  const again = await engineIn(dir);
  const first = await arm(again, 'GET', `${base}?api-version=2018-05-01&maxresults=5`);
  expect(first.body.value.map((j: any) => j.name)).toEqual([
    'seed-00001',
    'seed-00002',
    'seed-00003',
    'seed-00004',
    'seed-00005',
  ]);
});

test('a start that fails half-way (its ARM port taken) rejects and leaves no server or timer behind', async () => {
  const dir = tempDir();
  dirs.push(dir);
  const first = await engineIn(dir);
  const port = Number(new URL(first.url).port);
  const servers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'TCPServerWrap').length;
  const timers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
  const before = { servers: servers(), timers: timers() };
  const second = tempDir();
  dirs.push(second);
  await expect(startEngine({ dataDir: second, port, timing: FAST })).rejects.toThrow(/EADDRINUSE/);
  // The files endpoint and the scheduler's timer had started before the ARM port failed.
  await waitFor('closed', async () => servers() === before.servers);
  // The running engine's own short timers come and go (operations, keep-alive); a timer the failed start left
  // running would stay, so the count must come back to where it was.
  await waitFor('timers released', async () => timers() <= before.timers);
});

test('faults: 429 with Retry-After, slow answers, counted by times; in process only, never over HTTP', async () => {
  const dir = tempDir();
  dirs.push(dir);
  const e = await engineIn(dir);
  await arm(e, 'PUT', WS, { location: 'eastus' });
  e.faults.add({ method: 'GET', path: /\/workspaces\/demo_ws$/, status: 429, retryAfterSeconds: 2, times: 2 });
  const r1 = await arm(e, 'GET', WS);
  const r2 = await arm(e, 'GET', WS);
  const r3 = await arm(e, 'GET', WS);
  expect([r1.status, r2.status, r3.status]).toEqual([429, 429, 200]);
  expect(r1.headers.get('retry-after')).toBe('2');
  expect(r1.body.error.code).toBe('TooManyRequests');

  // No request reaches the injector: the old hook is refused like any unknown request, and adds nothing.
  const add = await fetch(`${e.url}/_engine/faults`, {
    method: 'POST',
    headers: { authorization: 'Bearer anything' },
    body: JSON.stringify({ path: 'demo_ws$', status: 500 }),
  });
  expect([400, 401, 404]).toContain(add.status);
  expect((await arm(e, 'GET', WS)).status).toBe(200);

  e.faults.add({ path: /demo_ws$/, delayMs: 300 });
  const t0 = Date.now();
  expect((await arm(e, 'GET', WS)).status).toBe(200);
  expect(Date.now() - t0).toBeGreaterThanOrEqual(250);

  e.faults.add({ path: /demo_ws$/, status: 503, times: 5 });
  e.faults.clear();
  expect((await arm(e, 'GET', WS)).status).toBe(200);
});
