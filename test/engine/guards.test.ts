// The engine's doors against hostile requests: URL segments, integers above the limits, paths that would
// leave the data directory, and links a job leaves behind for listOutputFiles and the Files endpoint.
import { mkdtempSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Engine } from '../../local/engine';
import { API, AFS, arm, EXP, fastEngine, jobBody, removeDir, runJob, setupCluster, SUB, tempDir, WS } from './helpers';

// The data directory sits alone in a private parent, so "nothing created outside" is a listing of that parent.
const parent = tempDir();
const engine = {} as Engine;
beforeAll(async () => {
  Object.assign(engine, await fastEngine(join(parent, 'data')));
  await setupCluster(engine, 'c1', { manual: { targetNodeCount: 1 } }, { nodeSetup: { mountVolumes: AFS } });
});
afterAll(async () => {
  await engine.stop?.();
  removeDir(parent);
});
const outside = () =>
  readdirSync(parent, { recursive: true })
    .map(String)
    .filter((p) => !p.startsWith('data'))
    .sort();

describe('URL segments are checked before use', () => {
  test.each([
    [`/subscriptions/..%2F..%2Fetc/resourceGroups/rg/providers/Microsoft.BatchAI/workspaces`, 'InvalidSubscriptionId'],
    [`/subscriptions/a%2Fb/resourceGroups/rg/providers/Microsoft.BatchAI/workspaces`, 'InvalidSubscriptionId'],
    [`/subscriptions/${SUB}/resourceGroups/..%2Fx/providers/Microsoft.BatchAI/workspaces`, 'InvalidResourceGroupName'],
    [`/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.BatchAI/workspaces/..%2F..`, 'InvalidResourceName'],
    [`/subscriptions/%E0%A4%A/resourceGroups/rg/providers/Microsoft.BatchAI/workspaces`, 'InvalidRequestUri'],
    [
      `/subscriptions/${SUB}/providers/Microsoft.BatchAI/locations/east%2F..%2Fus/operationresults/x`,
      'InvalidRequestUri',
    ],
  ])('%s → 400 %s', async (path, code) => {
    const r = await arm(engine, 'GET', `${path}?${API}`);
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe(code);
  });
});

describe('integers above the limits are a 400, not an allocation', () => {
  test('cluster targetNodeCount 2^31-1', async () => {
    const r = await arm(engine, 'PATCH', `${WS}/clusters/c1`, {
      properties: { scaleSettings: { manual: { targetNodeCount: 2147483647 } } },
    });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toMatch(/targetNodeCount' must be at most 100, got 2147483647/);
  });
  test('autoScale maximumNodeCount above the limit', async () => {
    const r = await arm(engine, 'PATCH', `${WS}/clusters/c1`, {
      properties: { scaleSettings: { autoScale: { minimumNodeCount: 0, maximumNodeCount: 101 } } },
    });
    expect(r.status).toBe(400);
  });
  test.each([
    ['nodeCount', { nodeCount: 2147483647 }],
    [
      'processCount',
      { customToolkitSettings: undefined, horovodSettings: { pythonScriptFilePath: 'x.py', processCount: 1e6 } },
    ],
    [
      'workerCount',
      { customToolkitSettings: undefined, tensorFlowSettings: { pythonScriptFilePath: 'x.py', workerCount: 65 } },
    ],
    ['nodeCount', { nodeCount: 1e300 }],
    [
      'environmentVariables',
      { environmentVariables: Array.from({ length: 1001 }, (_, i) => ({ name: `V${i}`, value: 'x' })) },
    ],
  ])('job %s', async (field, extra) => {
    const r = await arm(engine, 'PUT', `${EXP}/jobs/big`, jobBody('true', extra));
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('InvalidRequestContent');
    expect(r.body.error.message).toContain(field);
    expect((await arm(engine, 'GET', `${EXP}/jobs/big`)).status).toBe(404);
  });
  test('a job PUT above 1 MiB is a 413, and no job is kept', async () => {
    const r = await arm(engine, 'PUT', `${EXP}/jobs/huge`, jobBody('x'.repeat(1024 * 1024)));
    expect(r.status).toBe(413);
    expect(r.body.error.code).toBe('RequestEntityTooLarge');
    expect((await arm(engine, 'GET', `${EXP}/jobs/huge`)).status).toBe(404);
  });
});

describe('every path of a job body stays inside the data directory', () => {
  test.each([
    ['stdOutErrPathPrefix', { stdOutErrPathPrefix: '/tmp/evil' }],
    ['stdOutErrPathPrefix', { stdOutErrPathPrefix: '$AZ_BATCHAI_MOUNT_ROOT/../../../../../../../../evil' }],
    ['stdOutErrPathPrefix', { stdOutErrPathPrefix: '${AZ_BATCHAI_JOB_TEMP_DIR}/../../../evil' }],
    ['stdOutErrPathPrefix', { stdOutErrPathPrefix: '$HOME/evil' }],
    ['stdOutErrPathPrefix', { stdOutErrPathPrefix: 'relative/evil' }],
    ['stdOutErrPathPrefix', { stdOutErrPathPrefix: '$AZ_BATCHAI_MOUNT_ROOTX' }],
    [
      'pathPrefix',
      { outputDirectories: [{ id: 'O', pathPrefix: '$AZ_BATCHAI_MOUNT_ROOT/afs/../../../../../../../../evil' }] },
    ],
    [
      'pathSuffix',
      {
        outputDirectories: [
          { id: 'O', pathPrefix: '$AZ_BATCHAI_MOUNT_ROOT/afs', pathSuffix: '../../../../../../../../evil' },
        ],
      },
    ],
    ['pathSuffix', { outputDirectories: [{ id: 'O', pathPrefix: '$AZ_BATCHAI_MOUNT_ROOT/afs', pathSuffix: '/evil' }] }],
    ['path', { inputDirectories: [{ id: 'I', path: '/etc' }] }],
    [
      'relativeMountPath',
      { mountVolumes: { azureFileShares: [{ ...AFS.azureFileShares[0], relativeMountPath: '../../evil' }] } },
    ],
  ])('%s %j → 400, nothing created', async (field, extra) => {
    const before = outside();
    const r = await arm(engine, 'PUT', `${EXP}/jobs/paths`, jobBody('true', extra));
    expect(r.status).toBe(400);
    expect(r.body.error.message).toContain(field);
    expect(r.body.error.message).toContain('data directory');
    expect(outside()).toEqual(before);
  });

  test('a cluster setup task path too', async () => {
    const r = await arm(engine, 'PUT', `${WS}/clusters/c2`, {
      properties: {
        vmSize: 'STANDARD_NC6',
        userAccountSettings: { adminUserName: 'u' },
        nodeSetup: { setupTask: { commandLine: 'true', stdOutErrPathPrefix: '/tmp' } },
      },
    });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toContain('setupTask.stdOutErrPathPrefix');
  });

  test('a prefix through a link a job left on the share fails the job and creates nothing outside', async () => {
    const target = mkdtempSync(join(parent, 'escape-'));
    const before = outside();
    const first = await runJob(engine, 'link1', jobBody(`ln -s ${target} "$AZ_BATCHAI_MOUNT_ROOT/afs/out-link"`));
    expect(first.properties.executionState).toBe('succeeded');
    const second = await runJob(
      engine,
      'link2',
      jobBody('echo hi', { stdOutErrPathPrefix: '$AZ_BATCHAI_MOUNT_ROOT/afs/out-link' }),
    );
    expect(second.properties.executionState).toBe('failed');
    expect(JSON.stringify(second.properties.executionInfo)).toContain('outside');
    expect(outside()).toEqual(before);
    expect(readdirSync(target)).toEqual([]);
  });
});

describe('links a job made are not followed out', () => {
  test('listOutputFiles lists no link leading out of the output directory and refuses to enter one', async () => {
    const job = await runJob(
      engine,
      'links',
      jobBody(
        'ln -s /etc "$AZ_BATCHAI_STDOUTERR_DIR/etc-link";' +
          ' ln -s /etc/hostname "$AZ_BATCHAI_STDOUTERR_DIR/host-link"; echo ok',
      ),
    );
    expect(job.properties.executionState).toBe('succeeded');
    const list = await arm(engine, 'POST', `${EXP}/jobs/links/listOutputFiles?${API}&outputdirectoryid=stdouterr`);
    expect(list.status).toBe(200);
    const names = list.body.value.map((e: { name: string }) => e.name);
    expect(names).toContain('stdout.txt');
    expect(names).not.toContain('etc-link');
    expect(names).not.toContain('host-link');
    const into = await arm(
      engine,
      'POST',
      `${EXP}/jobs/links/listOutputFiles?${API}&outputdirectoryid=stdouterr&directory=etc-link`,
    );
    expect(into.status).toBe(400);
    expect(into.body.error.code).toBe('InvalidDirectory');
  });
});

describe('a directory of many files is listed a page at a time', () => {
  test('listOutputFiles pages 2,500 files 1,000 at a time, each once; the first page says more follow', async () => {
    const job = await runJob(
      engine,
      'many-files',
      jobBody('mkdir "$AZ_BATCHAI_STDOUTERR_DIR/many" && cd "$AZ_BATCHAI_STDOUTERR_DIR/many" && touch $(seq 1 2500)'),
    );
    expect(job.properties.executionState).toBe('succeeded');
    const names: string[] = [];
    let url = `${EXP}/jobs/many-files/listOutputFiles?${API}&outputdirectoryid=stdouterr&directory=many`;
    for (let pages = 1; ; pages++) {
      const page = await arm(engine, 'POST', url);
      expect(page.status).toBe(200);
      expect(page.body.value.length).toBeLessThanOrEqual(1000);
      names.push(...page.body.value.map((e: { name: string }) => e.name));
      if (!page.body.nextLink) {
        expect(pages).toBe(3);
        break;
      }
      url = page.body.nextLink;
    }
    expect(names).toHaveLength(2500);
    expect(new Set(names).size).toBe(2500);
  });
});
