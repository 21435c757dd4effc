// Microsoft's Python SDK for Batch AI (Debian's python3-azure: azure-mgmt-batchai 7.0.0b1, unmodified), run by
// /usr/bin/python3 through batchai_lifecycle.py against the engine's ARM endpoint: workspace, experiment,
// cluster, a job that runs for real with its output files read by their download URLs, terminate, scale,
// usages and operations, a 404, and every delete. One jest test per step.
import { join } from 'node:path';
import { useFastEngine } from '../engine/helpers';
import { PYTHON, requireDebianPackage, runSteps, stepOutcome } from './support/debian-client';

const STEPS = [
  'workspace create and get',
  'experiment create',
  'cluster create, steady with 1 node',
  'job runs to success with $AZ_BATCHAI_* paths',
  'output files: stdout.txt by its download URL',
  'job list by experiment',
  'terminate a running job',
  'cluster update to auto-scale',
  'usages and operations',
  '404 on a job that does not exist',
  'delete jobs, cluster, experiment, workspace',
];

const engine = useFastEngine();
let run: Awaited<ReturnType<typeof runSteps>>;

beforeAll(async () => {
  requireDebianPackage('python3-azure', [PYTHON, '-c', 'import azure.mgmt.batchai']);
  run = await runSteps(PYTHON, [join(__dirname, 'batchai_lifecycle.py')], {
    ARM_URL: engine.url,
    SUBSCRIPTION: '00000000-0000-0000-0000-000000000000',
  });
}, 150_000);

describe('[needs Debian python3-azure] azure-mgmt-batchai 7.0.0b1 lifecycle against the engine', () => {
  test.each(STEPS)('%s', (name) => {
    expect(stepOutcome(run, name)).toBe('ok');
  });

  test('the script reported exactly these steps', () => {
    expect([...run.steps.keys()]).toEqual(STEPS);
  });
});
