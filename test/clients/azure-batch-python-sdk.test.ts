// Microsoft's Python SDK for Azure Batch (Debian's python3-azure: azure.batch 13.0.1, unmodified), run by
// /usr/bin/python3 through batch_lifecycle.py against the engine's Batch facade: one jest test per step of its
// lifecycle (pools, jobs, resource files, ranged reads, a failed fetch, a task collection, a multi-instance
// task and its subtasks, auto-scale with autoScaleRun, paging with maxresults, errors 404/409/403/412).
import { join } from 'node:path';
import { useBatchWorld } from './support/batch-world';
import { PYTHON, requireDebianPackage, runSteps, stepOutcome } from './support/debian-client';

const STEPS = [
  'pool add',
  'pool exists, reads its image back, reaches 2 nodes',
  'job add',
  'task with resource files',
  'ranged read',
  'failed resource file fetch',
  'task collection',
  'multi-instance task with subtasks',
  'task list and file list',
  'auto-scale with autoScaleRun',
  'paging with maxresults',
  'errors 404 409 403 412',
  'pool patch and update properties',
  'job disable with requeue, enable',
  'reactivate a failed task',
  'job update replaces',
  'task collection of 150 (the SDK sends chunks of 100)',
  'terminate, delete jobs and pool',
];

const world = useBatchWorld();
let run: Awaited<ReturnType<typeof runSteps>>;

beforeAll(async () => {
  requireDebianPackage('python3-azure', [PYTHON, '-c', 'import azure.batch']);
  run = await runSteps(PYTHON, [join(__dirname, 'batch_lifecycle.py')], {
    BATCH_URL: world.url,
    BATCH_ACCOUNT: world.account,
    BATCH_KEY: world.key,
    CONTAINER_SAS_URL: world.containerSasUrl,
    BLOB_SAS_URL: world.blobSasUrl,
    HTTP_URL: world.httpUrl,
  });
}, 150_000);

describe('[needs Debian python3-azure] azure.batch 13.0.1 lifecycle against the facade', () => {
  test.each(STEPS)('%s', (name) => {
    expect(stepOutcome(run, name)).toBe('ok');
  });

  test('the script reported exactly these steps', () => {
    expect([...run.steps.keys()]).toEqual(STEPS);
  });
});
