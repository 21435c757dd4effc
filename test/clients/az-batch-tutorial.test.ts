// Debian's azure-cli (2.45, `az batch`, unmodified) runs the seed tutorial's flow (fixtures/seeds/
// azure-batch-cli-tutorial.md) against the engine's Batch facade, signed with the account's Shared Key from
// AZURE_BATCH_ENDPOINT / ACCOUNT / ACCESS_KEY: list the pool, delete a job that is not there yet, create the
// job, ten tasks that hash random bytes, stop one, show a task's executionInfo, list its files as a table and
// download each task's stdout.txt. The tutorial's pool was made beforehand by its admin: `az batch pool create`
// stands in for that. Each command is one test, in order.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBatchClient, type BatchClient } from '../../shared/azurebatch/client';
import { waitFor } from '../support/wait-for';
import { useBatchWorld } from './support/batch-world';
import { requireDebianPackage } from './support/debian-client';

const world = useBatchWorld();
let home: string;
let client: BatchClient;
const TASKS = Array.from({ length: 10 }, (_, i) => `test-job-task-${i + 1}`);

beforeAll(() => {
  requireDebianPackage('azure-cli', ['az', 'version']);
  home = mkdtempSync(join(tmpdir(), 'az-home-'));
  client = createBatchClient({
    endpoint: world.url,
    auth: { accountName: world.account, accountKey: world.key },
    retry: { maxRetries: 0 },
  });
});
afterAll(() => {
  if (home) rmSync(home, { recursive: true, force: true });
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function az(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    const env = {
      ...process.env,
      AZURE_CONFIG_DIR: join(home, '.azure'),
      AZURE_CORE_COLLECT_TELEMETRY: 'no',
      AZURE_CORE_NO_COLOR: 'true',
      AZURE_BATCH_ENDPOINT: world.url,
      AZURE_BATCH_ACCOUNT: world.account,
      AZURE_BATCH_ACCESS_KEY: world.key,
    };
    execFile('az', args, { env, cwd: home, timeout: 60_000 }, (e, stdout, stderr) =>
      resolve({ code: e ? Number((e as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

async function azJson(...args: string[]): Promise<any> {
  const r = await az(...args);
  if (r.code !== 0) throw new Error(`az ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
  return JSON.parse(r.stdout);
}

describe('[needs Debian azure-cli] az batch runs the seed tutorial against the facade', () => {
  test('(the admin made the pool) az batch pool create', async () => {
    await az(
      ...['batch', 'pool', 'create', '--id', 'vincent', '--vm-size', 'standard_d2s_v3'],
      ...['--target-dedicated-nodes', '2', '--image', 'canonical:0001-com-ubuntu-server-jammy:22_04-lts'],
      ...['--node-agent-sku-id', 'batch.node.ubuntu 22.04'],
    ).then((r) => expect(r).toMatchObject({ code: 0 }));
    await waitFor(
      'pool vincent has 2 nodes',
      async () => (await client.getPool('vincent')).currentDedicatedNodes === 2,
    );
  }, 90_000);

  test('az batch pool list', async () => {
    const pools = await azJson('batch', 'pool', 'list');
    expect(pools.map((p: { id: string }) => p.id)).toEqual(['vincent']);
    expect(pools[0].virtualMachineConfiguration.imageReference).toMatchObject({
      offer: '0001-com-ubuntu-server-jammy',
    });
  }, 60_000);

  test('az batch job delete of a job not made yet says so', async () => {
    const r = await az('batch', 'job', 'delete', '--job-id', 'test-job', '--yes');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/The specified job does not exist/);
  }, 60_000);

  test('az batch job create, job list', async () => {
    expect((await az('batch', 'job', 'create', '--id', 'test-job', '--pool-id', 'vincent')).code).toBe(0);
    expect((await azJson('batch', 'job', 'list')).map((j: { id: string }) => j.id)).toEqual(['test-job']);
  }, 60_000);

  test('az batch task create, ten times', async () => {
    for (const id of TASKS) {
      const command = "/bin/bash -c 'od -A n -t d -N 100000 /dev/urandom | md5sum'";
      const task = await azJson(
        'batch',
        'task',
        'create',
        '--task-id',
        id,
        '--job-id',
        'test-job',
        '--command-line',
        command,
      );
      expect(task.creationTime).toMatch(/^\d{4}-/);
    }
  }, 120_000);

  test('az batch task stop', async () => {
    await azJson(
      'batch',
      'task',
      'create',
      '--task-id',
      'to-stop',
      '--job-id',
      'test-job',
      '--command-line',
      'sleep 60',
    );
    expect((await az('batch', 'task', 'stop', '--task-id', 'to-stop', '--job-id', 'test-job')).code).toBe(0);
    const t = await waitFor('to-stop completed', async () => {
      const x = await client.getTask('test-job', 'to-stop');
      return x.state === 'completed' ? x : undefined;
    });
    expect(t.executionInfo?.failureInfo?.code).toBe('TaskEnded');
  }, 60_000);

  test('az batch task show … executionInfo', async () => {
    for (const id of TASKS)
      await waitFor(`${id} completed`, async () => (await client.getTask('test-job', id)).state === 'completed');
    const task = await azJson('batch', 'task', 'show', '--job-id', 'test-job', '--task-id', 'test-job-task-1');
    expect(task.executionInfo).toMatchObject({ exitCode: 0, result: 'success' });
  }, 60_000);

  test('az batch task file list --output table', async () => {
    const r = await az(
      ...['batch', 'task', 'file', 'list', '--job-id', 'test-job', '--task-id', 'test-job-task-1'],
      ...['--output', 'table'],
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/stdout\.txt/);
    expect(r.stdout).toMatch(/stderr\.txt/);
  }, 60_000);

  test('az batch task file download, each task', async () => {
    for (const id of TASKS) {
      const destination = join(home, `${id}-stdout.txt`);
      const r = await az(
        ...['batch', 'task', 'file', 'download', '--task-id', id, '--job-id', 'test-job'],
        ...['--destination', destination, '--file-path', 'stdout.txt'],
      );
      expect(r).toMatchObject({ code: 0 });
      expect(readFileSync(destination, 'utf8')).toMatch(/^[0-9a-f]{32} {2}-\n$/);
    }
  }, 120_000);
});
