// Pure: Azure ML's shapes in the port's model and the job.json → command job translation. Job states as the
// issue's table says (nothing unknown is final), derived job names both ways, AmlCompute with the explicit nulls
// of a compute being created, scale modes, and run history's exit code.
import { translateCommandJob } from '../../shared/azureml/command-job';
import {
  amlJobName,
  clusterOf,
  durationSeconds,
  jobOf,
  jobStateOf,
  productJobName,
  withRunDetails,
} from '../../shared/azureml/to-model';
import type { JobBaseProperties } from '../../shared/compute/job-file';
import { InputError } from '../../shared/errors';

test.each([
  ['NotStarted', 'queued'],
  ['Starting', 'queued'],
  ['Provisioning', 'queued'],
  ['Preparing', 'queued'],
  ['Queued', 'queued'],
  ['Scheduled', 'queued'],
  ['Running', 'running'],
  ['Finalizing', 'running'],
  ['CancelRequested', 'running'],
  ['NotResponding', 'running'],
  ['Paused', 'running'],
  ['Unknown', 'running'],
  ['SomethingNew', 'running'],
  ['Completed', 'succeeded'],
  ['Failed', 'failed'],
  ['Canceled', 'terminated'],
])('job status %s is %s', (status, state) => {
  expect(jobStateOf(status)).toBe(state);
});

test('derived names: workspace-unique, and back to the product name under its experiment', () => {
  expect(amlJobName('exp', 'train-1')).toBe('exp--train-1');
  expect(productJobName('exp--train-1', 'exp')).toBe('train-1');
  expect(productJobName('EXP--train-1', 'exp')).toBe('train-1');
  // A job made elsewhere keeps its own name.
  expect(productJobName('brave_kiwi_123', 'exp')).toBe('brave_kiwi_123');
});

test('a command job → ComputeJob: label, compute, nodes, outputs without default, service name', () => {
  const j = jobOf({
    id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/w/jobs/exp--a',
    name: 'exp--a',
    systemData: { createdAt: '2026-12-01T00:00:00Z' },
    properties: {
      jobType: 'Command',
      command: 'true',
      environmentId: 'env',
      experimentName: 'exp',
      status: 'Running',
      computeId: '/subscriptions/s/.../computes/gpu',
      resources: { instanceCount: 2 },
      outputs: { MODEL: { jobOutputType: 'uri_folder' }, default: { jobOutputType: 'uri_folder' } },
      tags: { 'chatops-tool': 'horovod' },
    },
  });
  expect(j).toMatchObject({
    name: 'a',
    serviceName: 'exp--a',
    experiment: 'exp',
    state: 'running',
    cluster: 'gpu',
    nodeCount: 2,
    toolType: 'horovod',
    outputDirectoryIds: ['MODEL'],
    createdAt: '2026-12-01T00:00:00Z',
  });
});

test('run details: times, the failure message and the exit code it names', () => {
  const failed = jobOf({
    name: 'e--x',
    properties: { jobType: 'Command', command: 'x', environmentId: 'e', experimentName: 'e', status: 'Failed' },
  });
  const j = withRunDetails(failed, {
    startTimeUtc: '2026-12-01T00:00:00Z',
    endTimeUtc: '2026-12-01T00:01:00Z',
    error: {
      error: { code: 'UserError', message: "Execution failed. User process '/bin/bash' exited with status code 3." },
    },
  });
  expect(j).toMatchObject({ exitCode: 3, startedAt: '2026-12-01T00:00:00Z', endedAt: '2026-12-01T00:01:00Z' });
  expect(j.errors[0]).toMatchObject({ code: 'UserError' });
});

test('a compute being created (explicit nulls) reads as zero nodes, steady; min = max is manual', () => {
  const c = clusterOf({
    id: '/subscriptions/s/.../computes/gpu',
    name: 'gpu',
    properties: {
      computeType: 'AmlCompute',
      provisioningState: 'Creating',
      properties: {
        vmSize: 'STANDARD_NC6',
        vmPriority: 'LowPriority',
        scaleSettings: { minNodeCount: 2, maxNodeCount: 2, nodeIdleTimeBeforeScaleDown: 'PT5M' },
        allocationState: null,
        currentNodeCount: null,
        nodeStateCounts: null,
        errors: null,
      },
    },
  });
  expect(c).toMatchObject({
    name: 'gpu',
    vmPriority: 'lowpriority',
    allocationState: 'steady',
    currentNodeCount: 0,
    scale: { mode: 'manual', targetNodeCount: 2 },
    idleSeconds: 300,
  });
  expect(
    clusterOf({
      name: 'x',
      properties: { computeType: 'AmlCompute', properties: { scaleSettings: { maxNodeCount: 4 } } },
    }).scale,
  ).toEqual({ mode: 'auto', min: 0, max: 4 });
});

test('ISO durations', () => {
  expect(durationSeconds('PT120S')).toBe(120);
  expect(durationSeconds('PT1H2M3S')).toBe(3723);
  expect(durationSeconds('P1D')).toBe(86400);
  expect(durationSeconds('PT')).toBeUndefined();
  expect(durationSeconds('5 minutes')).toBeUndefined();
});

const T = { subscriptionId: 's', resourceGroup: 'rg', workspace: 'w', experiment: 'exp', job: 'j', jobName: 'exp--j' };
const base = (extra: Partial<JobBaseProperties>): JobBaseProperties => ({
  cluster: { id: '.../clusters/gpu' },
  nodeCount: 1,
  stdOutErrPathPrefix: '$AZ_BATCHAI_MOUNT_ROOT/afs',
  ...extra,
});

test('job.json → command job: command, env and secrets, timeout, outputs, distribution', () => {
  const { job, environment } = translateCommandJob(
    base({
      nodeCount: 2,
      pyTorchSettings: { pythonScriptFilePath: 'train.py', commandLineArgs: '--lr 0.1', processCount: 4 },
      environmentVariables: [{ name: 'A', value: '1' }],
      secrets: [{ name: 'TOKEN', value: 's3cret' }],
      constraints: { maxWallClockTime: 'PT5M' },
      outputDirectories: [{ id: 'MODEL', pathPrefix: '$AZ_BATCHAI_MOUNT_ROOT' }],
    }),
    T,
    'gpu',
  );
  expect(environment).toBeUndefined();
  expect(job.properties).toMatchObject({
    jobType: 'Command',
    experimentName: 'exp',
    computeId:
      '/subscriptions/s/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/w/computes/gpu',
    resources: { instanceCount: 2 },
    distribution: { distributionType: 'PyTorch', processCountPerInstance: 2 },
    environmentVariables: { A: '1', TOKEN: 's3cret' },
    limits: { jobLimitsType: 'Command', timeout: 'PT5M' },
    outputs: { MODEL: { jobOutputType: 'uri_folder', mode: 'ReadWriteMount' } },
  });
  expect(job.properties.command).toContain("export AZ_BATCHAI_JOB_NAME='j'");
  expect(job.properties.command).toContain('export AZ_BATCHAI_OUTPUT_MODEL="${{outputs.MODEL}}"');
  expect(job.properties.command.endsWith('python train.py --lr 0.1')).toBe(true);
});

test.each<[string, Partial<JobBaseProperties>, RegExp]>([
  [
    'mounts',
    {
      mountVolumes: {
        azureFileShares: [{ accountName: 'a', azureFileUrl: 'u', relativeMountPath: 'x', credentials: {} }],
      },
    },
    /datastore/,
  ],
  [
    'Key Vault secrets',
    { secrets: [{ name: 'S', valueSecretReference: { sourceVault: { id: 'v' }, secretUrl: 'u' } }] },
    /Key Vault/,
  ],
  [
    'registry credentials',
    { containerSettings: { imageSourceRegistry: { image: 'i', credentials: { username: 'u', password: 'p' } } } },
    /AcrPull/,
  ],
  ['priority', { schedulingPriority: 'high' }, /no priority/],
  ['multi-node custom MPI', { nodeCount: 2, customMpiSettings: { commandLine: 'mpirun x' } }, /starts MPI itself/],
])('%s are refused, saying what to change', (_what, extra, message) => {
  const p = base({ customToolkitSettings: { commandLine: 'true' }, ...extra });
  if (extra.customMpiSettings) delete p.customToolkitSettings;
  const e = (() => {
    try {
      translateCommandJob(p, T, 'gpu');
    } catch (x) {
      return x;
    }
  })();
  expect(e).toBeInstanceOf(InputError);
  expect((e as InputError).code).toBe('JobNotTranslatable');
  expect((e as Error).message).toMatch(message);
});
