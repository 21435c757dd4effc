// Batch AI job.json → Azure Batch job + task: the seeds' and shipped templates' jobs, every tool, what maps and
// what is refused. The generated command lines are run by bash here, as a Batch node would run them.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JobBaseProperties } from '../../shared/batchai/types';
import { translateJob, type BatchTarget } from '../../shared/azurebatch/batch-job';
import { parseTemplate, renderTemplate } from '../../shared/templates/templates';
import { InputError } from '../../shared/errors';
import { seedJobs } from '../fixtures/seed-jobs';

const CLUSTER = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.BatchAI/workspaces/ws/clusters/gpu';
const TARGET: BatchTarget = {
  jobId: 'train-1',
  poolId: 'gpu',
  experiment: 'default',
  outputContainerUrl: 'https://acct.blob.core.windows.net/outputs?sv=1&sig=x',
};

function template(name: string, values: Record<string, string> = {}): JobBaseProperties {
  const json = JSON.parse(readFileSync(join(__dirname, '../../templates', `${name}.json`), 'utf8'));
  return renderTemplate(parseTemplate(json, name), values, { cluster: CLUSTER }).properties!;
}
function seed(file: string): JobBaseProperties {
  const s = seedJobs().find((j) => j.file === file)!;
  return renderTemplate(parseTemplate(s.json, 'seed'), {}, { cluster: CLUSTER }).properties!;
}
const props = (p: Partial<JobBaseProperties>): JobBaseProperties =>
  ({
    nodeCount: 1,
    stdOutErrPathPrefix: '$AZ_BATCHAI_MOUNT_ROOT/afs',
    cluster: { id: CLUSTER },
    ...p,
  }) as JobBaseProperties;
function refusal(p: JobBaseProperties): InputError {
  try {
    translateJob(p, TARGET);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).code).toBe('JobNotTranslatable');
    return e as InputError;
  }
  throw new Error('expected a refusal');
}

/** Runs a task's command line the way a node does, in a fresh task directory; returns it and the output. */
function runOnNode(
  commandLine: string,
  env: { name: string; value?: string }[],
): { dir: string; stdout: string; status: number | null } {
  const dir = mkdtempSync(join(tmpdir(), 'batch-task-'));
  const wd = join(dir, 'wd');
  spawnSync('mkdir', ['-p', wd]);
  const r = spawnSync('/bin/sh', ['-c', commandLine], {
    cwd: wd,
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH,
      AZ_BATCH_TASK_WORKING_DIR: wd,
      AZ_BATCH_NODE_MOUNTS_DIR: join(dir, 'mounts'),
      ...Object.fromEntries(env.map((e) => [e.name, e.value ?? ''])),
    },
  });
  return { dir, stdout: r.stdout, status: r.status };
}

test('the shipped hello template: one task, ends the job itself, uploads stdout/stderr, and runs', () => {
  const { job, task } = translateJob(template('hello', { greeting: "it's me" }), { ...TARGET, jobId: 'hello-1' });
  expect(job).toEqual({
    id: 'hello-1',
    displayName: 'hello-1',
    priority: 0,
    constraints: { maxWallClockTime: 'PT5M' },
    poolInfo: { poolId: 'gpu' },
    onAllTasksComplete: 'terminatejob',
    onTaskFailure: 'performexitoptionsjobaction',
    metadata: [
      { name: 'batchai-experiment', value: 'default' },
      { name: 'batchai-tool', value: 'customToolkitSettings' },
    ],
  });
  expect(task).toMatchObject({
    id: 'main',
    environmentSettings: [
      { name: 'AZ_BATCHAI_JOB_NAME', value: 'hello-1' },
      { name: 'GREETING', value: "it's me" },
      { name: 'P_seconds', value: '3' },
    ],
    exitConditions: {
      default: { jobAction: 'terminate' },
      preProcessingError: { jobAction: 'terminate' },
      fileUploadError: { jobAction: 'terminate' },
    },
    outputFiles: [
      {
        filePattern: '../std*.txt',
        destination: { container: { containerUrl: TARGET.outputContainerUrl, path: 'hello-1/stdouterr' } },
        uploadOptions: { uploadCondition: 'taskcompletion' },
      },
    ],
  });
  expect(task.multiInstanceSettings).toBeUndefined();
  expect(task.commandLine).toMatch(/^\/bin\/bash -c '/);
  const ran = runOnNode(task.commandLine.replace('sleep 3', 'sleep 0'), task.environmentSettings!);
  try {
    expect(ran.status).toBe(0);
    expect(ran.stdout).toBe("it's me from hello-1\nline 1\nline 2\nline 3\ndone\n");
  } finally {
    rmSync(ran.dir, { recursive: true, force: true });
  }
});

test('the shipped train template writes its MODEL output where outputFiles uploads it from', () => {
  const { job, task } = translateJob(template('train', { epochs: '1', lr: '0.1' }), TARGET);
  // The job list alone tells an alert which output directories to link.
  expect(job.metadata).toContainEqual({ name: 'batchai-outputs', value: 'MODEL' });
  expect(task.outputFiles?.[1]).toMatchObject({
    filePattern: 'outputs/MODEL/**/*',
    destination: { container: { path: 'train-1/outputs/MODEL' } },
  });
  const ran = runOnNode(task.commandLine.replace('sleep 0.5', 'true'), task.environmentSettings!);
  try {
    expect(ran.status).toBe(0);
    expect(readFileSync(join(ran.dir, 'wd', 'outputs', 'MODEL', 'model.txt'), 'utf8')).toContain('epochs=1\nlr=0.1\n');
  } finally {
    rmSync(ran.dir, { recursive: true, force: true });
  }
});

test('the cntk seed: preparation task, environment, inputs, container', () => {
  const { job, task } = translateJob(seed('using-azure-cli-batchai.md'), TARGET);
  expect(job.jobPreparationTask).toMatchObject({
    waitForSuccess: true,
    containerSettings: { imageName: 'microsoft/cntk:2.1-gpu-python3.5-cuda8.0-cudnn6.0' },
  });
  expect(job.jobPreparationTask?.commandLine).toContain('echo This is a job preparation task');
  expect(task.environmentSettings).toEqual(
    expect.arrayContaining([{ name: 'ENVIRONMENT_VARIABLE_1', value: 'Value1' }]),
  );
  expect(task.commandLine).toContain(
    'export AZ_BATCHAI_INPUT_DATASET="$AZ_BATCHAI_MOUNT_ROOT/external/mnist_database"',
  );
  expect(task.commandLine).toContain(
    'python $AZ_BATCHAI_INPUT_SCRIPT/ConvNet_MNIST.py $AZ_BATCHAI_INPUT_DATASET $AZ_BATCHAI_OUTPUT_MODEL',
  );
  expect(task.containerSettings?.imageName).toBe('microsoft/cntk:2.1-gpu-python3.5-cuda8.0-cudnn6.0');
});

test('the chainer seed is refused for its job-level Azure File shares, saying what to change', () => {
  const e = refusal(seed('recipe-chainer-gpu-distributed.md'));
  expect(e.message).toContain('mountVolumes.azureFileShares');
  expect(e.message).toContain("pool's mountConfiguration");
});

test('the chainer seed without its mounts: a two-node multi-instance task under mpirun', () => {
  const { task } = translateJob({ ...seed('recipe-chainer-gpu-distributed.md'), mountVolumes: undefined }, TARGET);
  expect(task.multiInstanceSettings).toEqual({
    numberOfInstances: 2,
    coordinationCommandLine: `/bin/bash -c 'echo "node $AZ_BATCH_NODE_ID ready"'`,
  });
  expect(task.commandLine).toContain('mpirun -np 2 --hostfile "$AZ_BATCH_TASK_WORKING_DIR/hostfile"');
  expect(task.commandLine).toContain(
    'python $AZ_BATCHAI_JOB_MOUNT_ROOT/scripts/chainer/train_mnist.py -g -o $AZ_BATCHAI_OUTPUT_MODEL',
  );
  expect(task.commandLine).toContain('export AZ_BATCHAI_MPI_HOST_FILE=');
});

describe('each tool becomes its command', () => {
  const cases: Array<[string, Partial<JobBaseProperties>, string[]]> = [
    ['customToolkit', { customToolkitSettings: { commandLine: 'echo hi' } }, ['\necho hi']],
    [
      'customMpi',
      { nodeCount: 2, customMpiSettings: { commandLine: 'mpirun -np 4 --hostfile $AZ_BATCHAI_MPI_HOST_FILE a.out' } },
      ['\nmpirun -np 4 --hostfile $AZ_BATCHAI_MPI_HOST_FILE a.out'],
    ],
    [
      'pyTorch',
      {
        nodeCount: 2,
        pyTorchSettings: { pythonScriptFilePath: 'train.py', communicationBackend: 'gloo', processCount: 4 },
      },
      [
        'AZ_BATCHAI_PYTORCH_BACKEND=',
        'gloo',
        'AZ_BATCHAI_PYTORCH_INIT_METHOD="tcp://${AZ_BATCH_MASTER_NODE',
        'mpirun -np 4 --hostfile',
        ' python train.py',
      ],
    ],
    [
      'tensorFlow single',
      { tensorFlowSettings: { pythonScriptFilePath: 'tf.py', masterCommandLineArgs: '--m' } },
      ['\npython tf.py --m'],
    ],
    [
      'tensorFlow with a parameter server',
      {
        nodeCount: 2,
        tensorFlowSettings: {
          pythonScriptFilePath: 'tf.py',
          workerCount: 2,
          parameterServerCount: 1,
          workerCommandLineArgs: '--w',
          parameterServerCommandLineArgs: '--ps',
        },
      },
      ['mpirun -np 3', 'python tf.py --ps', 'python tf.py --w', 'AZ_BATCHAI_TASK_INDEX'],
    ],
    [
      'horovod',
      { nodeCount: 2, horovodSettings: { pythonScriptFilePath: 'h.py', commandLineArgs: '--e 1' } },
      ['mpirun -np 2 --hostfile', 'python h.py --e 1'],
    ],
    [
      'chainer one process',
      { chainerSettings: { pythonScriptFilePath: 'c.py', pythonInterpreterPath: '/opt/py/bin/python' } },
      ['\n/opt/py/bin/python c.py'],
    ],
    [
      'cntk brainscript',
      { cntkSettings: { languageType: 'BrainScript', configFilePath: 'cfg.cntk', processCount: 2 } },
      ['mpirun -np 2 ', 'cntk configFile=cfg.cntk'],
    ],
    [
      'caffe solver',
      { caffeSettings: { configFilePath: 'solver.prototxt' } },
      ['\ncaffe train --solver=solver.prototxt'],
    ],
    ['caffe2', { caffe2Settings: { pythonScriptFilePath: 'c2.py' } }, ['\npython c2.py']],
  ];
  test.each(cases)('%s', (_name, p, pieces) => {
    const { task, job } = translateJob(props(p), TARGET);
    for (const piece of pieces) expect(task.commandLine).toContain(piece);
    expect(job.metadata?.[1].value).toBe(Object.keys(p).find((k) => k.endsWith('Settings')));
  });

  test('a quote in a command survives the bash -c wrapping', () => {
    const { task } = translateJob(props({ customToolkitSettings: { commandLine: `echo 'a b' "c"` } }), TARGET);
    const ran = runOnNode(task.commandLine, []);
    try {
      expect(ran.stdout).toBe('a b c\n');
    } finally {
      rmSync(ran.dir, { recursive: true, force: true });
    }
  });
});

test('priority, secrets with values, and a private registry map', () => {
  const { job, task } = translateJob(
    props({
      schedulingPriority: 'high',
      customToolkitSettings: { commandLine: 'true' },
      secrets: [{ name: 'TOKEN', value: 's3cret' }],
      containerSettings: {
        imageSourceRegistry: {
          serverUrl: 'https://myreg.azurecr.io/',
          image: 'myreg.azurecr.io/train:1',
          credentials: { username: 'u', password: 'p' },
        },
        shmSize: '8g',
      },
    }),
    TARGET,
  );
  expect(job.priority).toBe(500);
  expect(task.environmentSettings).toContainEqual({ name: 'TOKEN', value: 's3cret' });
  expect(task.containerSettings).toEqual({
    imageName: 'myreg.azurecr.io/train:1',
    containerRunOptions: '--shm-size=8g',
    registry: { registryServer: 'myreg.azurecr.io', username: 'u', password: 'p' },
  });
  expect(translateJob(props({ schedulingPriority: 'low', customToolkitSettings: {} }), TARGET).job.priority).toBe(-500);
});

test('a user-assigned identity replaces a SAS for the uploads', () => {
  const { task } = translateJob(props({ customToolkitSettings: {} }), {
    ...TARGET,
    outputContainerUrl: 'https://acct.blob.core.windows.net/outputs',
    outputIdentity:
      '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/batch',
  });
  expect(task.outputFiles?.[0].destination.container.identityReference).toEqual({
    resourceId: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/batch',
  });
});

describe('what cannot map is refused, saying what to change', () => {
  test.each([
    [
      'Key Vault secrets',
      props({
        customToolkitSettings: {},
        secrets: [{ name: 'K', valueSecretReference: { sourceVault: { id: 'v' }, secretUrl: 'u' } }],
      }),
      ['secrets K', 'Key Vault'],
    ],
    [
      'a registry password in Key Vault',
      props({
        customToolkitSettings: {},
        containerSettings: {
          imageSourceRegistry: {
            image: 'i',
            credentials: { username: 'u', passwordSecretReference: { sourceVault: { id: 'v' }, secretUrl: 'u' } },
          },
        },
      }),
      ['passwordSecretReference', 'credentials.password'],
    ],
    [
      'blob mounts',
      props({
        customToolkitSettings: {},
        mountVolumes: {
          azureBlobFileSystems: [{ accountName: 'a', containerName: 'c', credentials: {}, relativeMountPath: 'b' }],
        },
      }),
      ['mountVolumes.azureBlobFileSystems'],
    ],
    ['no tool', props({}), ['names no tool']],
    ['two tools', props({ customToolkitSettings: {}, caffe2Settings: { pythonScriptFilePath: 'x' } }), ['2 tools']],
    [
      'an output id that cannot name a variable',
      props({ customToolkitSettings: {}, outputDirectories: [{ id: 'a-b', pathPrefix: 'p' }] }),
      ['"a-b"', 'letters, digits and _'],
    ],
    [
      'an input id that would be shell text in the task script',
      props({ customToolkitSettings: {}, inputDirectories: [{ id: 'X=1;touch${IFS}m;Y', path: 'p' }] }),
      ['inputDirectories id', '$AZ_BATCHAI_INPUT_<id>'],
    ],
  ] as const)('%s', (_n, p, words) => {
    const e = refusal(p as JobBaseProperties);
    for (const w of words) expect(e.message).toContain(w);
  });
});
