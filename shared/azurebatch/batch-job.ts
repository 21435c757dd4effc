// A Batch AI job (the body of a job PUT, as templates render it) → the Azure Batch job and its one task (pure).
// Batch AI job = one Batch job with one task, a multi-instance task when nodeCount > 1. The job ends by itself
// (onAllTasksComplete: terminatejob; a failing task's exit options terminate it), so the job list alone tells
// a poll which jobs ended and how. What cannot map is refused here, before anything is sent.
import { type EnvironmentVariableWithSecretValue, type JobBaseProperties, mountedKinds } from '../compute/job-file';
import type {
  BatchJobCreateOptions,
  BatchTaskCreateOptions,
  ContainerSettings,
  EnvironmentSetting,
  OutputFile,
} from './types';
import { InputError } from '../errors';
import { bashCommandLine, expandingQuote, HOSTFILE_SETUP, toolCommand } from './batch-commands';
import { toolKeyOf } from '../templates/job-tool';

/** The one task of a translated job. */
export const BATCH_TASK_ID = 'main';
/** Job metadata names: the Batch AI experiment a job belongs to, the tool it runs, its output directory ids. */
export const EXPERIMENT_METADATA = 'batchai-experiment';
export const TOOL_METADATA = 'batchai-tool';
export const OUTPUTS_METADATA = 'batchai-outputs';
/** Blob folder (below the job's) that receives stdout.txt and stderr.txt, as Batch AI's output directory id. */
export const STDOUTERR_ID = 'stdouterr';

const PRIORITY = { low: -500, normal: 0, high: 500 } as const;

export interface BatchTarget {
  jobId: string;
  poolId: string;
  experiment: string;
  /** Blob container the outputs upload to: a SAS URL (write), or a plain URL with `outputIdentity`. */
  outputContainerUrl: string;
  /** ARM id of a user-assigned identity of the pool with write access to the container (production). */
  outputIdentity?: string;
}

export interface TranslatedJob {
  job: BatchJobCreateOptions;
  task: BatchTaskCreateOptions;
}

function refuse(message: string): never {
  throw new InputError('JobNotTranslatable', message);
}

function checkMappable(p: JobBaseProperties): void {
  const kinds = mountedKinds(p);
  if (kinds.length > 0) {
    refuse(
      `mountVolumes.${kinds.join(', mountVolumes.')}: Azure Batch mounts file systems per pool, not per job. ` +
        "Remove mountVolumes from the job and add the share to the pool's mountConfiguration; it then appears under " +
        '$AZ_BATCH_NODE_MOUNTS_DIR/<relativeMountPath>, ' +
        'which $AZ_BATCHAI_MOUNT_ROOT and $AZ_BATCHAI_JOB_MOUNT_ROOT point to.',
    );
  }
  const vaulted = (p.secrets ?? []).filter((s) => s.valueSecretReference && s.value === undefined);
  if (vaulted.length > 0) {
    refuse(
      `secrets ${vaulted.map((s) => s.name).join(', ')}: Key Vault references do not exist for Batch tasks. ` +
        "Give the value in the job (it reaches the task's environment settings), " +
        "or read the secret inside the job with the pool's managed identity.",
    );
  }
  if (p.containerSettings?.imageSourceRegistry.credentials?.passwordSecretReference) {
    refuse(
      'containerSettings.imageSourceRegistry.credentials.passwordSecretReference: ' +
        "Batch takes the registry password itself (or the pool's identity): " +
        "give credentials.password, or grant the pool's identity AcrPull and drop the credentials.",
    );
  }
  if (!Number.isInteger(p.nodeCount) || p.nodeCount < 1)
    refuse(`nodeCount=${p.nodeCount}: expected a whole number of at least 1.`);
  // An id goes into the task's script as part of a variable name: it must be nothing else.
  for (const [list, name] of [
    ['inputDirectories', 'INPUT'],
    ['outputDirectories', 'OUTPUT'],
  ] as const) {
    for (const d of p[list] ?? []) {
      if (!/^[A-Za-z0-9_]+$/.test(d.id))
        refuse(
          `${list} id ${JSON.stringify(d.id)}: expected letters, digits and _ (it names $AZ_BATCHAI_${name}_<id>).`,
        );
    }
  }
}

function environment(p: JobBaseProperties, t: BatchTarget): EnvironmentSetting[] {
  const secrets = (p.secrets ?? []).map((s: EnvironmentVariableWithSecretValue) => ({
    name: s.name,
    value: s.value ?? '',
  }));
  return [
    { name: 'AZ_BATCHAI_JOB_NAME', value: t.jobId },
    ...(p.environmentVariables ?? []).map((v) => ({ name: v.name, value: v.value })),
    ...secrets,
  ];
}

/** The exports every script starts with: mount roots, input and output directories (created first). */
function prelude(p: JobBaseProperties, distributed: boolean): string[] {
  const lines = [
    'export AZ_BATCHAI_MOUNT_ROOT="$AZ_BATCH_NODE_MOUNTS_DIR"',
    'export AZ_BATCHAI_JOB_MOUNT_ROOT="$AZ_BATCH_NODE_MOUNTS_DIR"',
    'export AZ_BATCHAI_JOB_TEMP="$AZ_BATCH_TASK_WORKING_DIR/tmp"; mkdir -p "$AZ_BATCHAI_JOB_TEMP"',
  ];
  for (const d of p.inputDirectories ?? []) lines.push(`export AZ_BATCHAI_INPUT_${d.id}=${expandingQuote(d.path)}`);
  for (const d of p.outputDirectories ?? []) {
    lines.push(
      `export AZ_BATCHAI_OUTPUT_${d.id}="$AZ_BATCH_TASK_WORKING_DIR/outputs/${d.id}"; ` +
        `mkdir -p "$AZ_BATCHAI_OUTPUT_${d.id}"`,
    );
  }
  if (distributed) lines.push(HOSTFILE_SETUP);
  return lines;
}

function container(p: JobBaseProperties): ContainerSettings | undefined {
  const c = p.containerSettings;
  if (!c) return undefined;
  const r = c.imageSourceRegistry;
  const server = r.serverUrl?.replace(/^https?:\/\//, '').replace(/\/+$/, '');
  return {
    imageName: r.image,
    containerRunOptions: c.shmSize ? `--shm-size=${c.shmSize}` : undefined,
    registry: r.credentials
      ? { registryServer: server, username: r.credentials.username, password: r.credentials.password }
      : undefined,
  };
}

function outputFiles(p: JobBaseProperties, t: BatchTarget): OutputFile[] {
  const to = (path: string) => ({
    container: {
      containerUrl: t.outputContainerUrl,
      path,
      identityReference: t.outputIdentity ? { resourceId: t.outputIdentity } : undefined,
    },
  });
  const upload = { uploadCondition: 'taskcompletion' as const };
  return [
    // stdout.txt and stderr.txt live in the task directory, one above the working directory.
    { filePattern: '../std*.txt', destination: to(`${t.jobId}/${STDOUTERR_ID}`), uploadOptions: upload },
    ...(p.outputDirectories ?? []).map((d) => ({
      filePattern: `outputs/${d.id}/**/*`,
      destination: to(`${t.jobId}/outputs/${d.id}`),
      uploadOptions: upload,
    })),
  ];
}

export function translateJob(p: JobBaseProperties, t: BatchTarget): TranslatedJob {
  checkMappable(p);
  const tool = toolKeyOf(p);
  const distributed = p.nodeCount > 1;
  const env = environment(p, t);
  const containerSettings = container(p);
  const script = [...prelude(p, distributed), toolCommand(p)].join('\n');
  const job: BatchJobCreateOptions = {
    id: t.jobId,
    displayName: t.jobId,
    priority: PRIORITY[p.schedulingPriority ?? 'normal'],
    constraints: p.constraints?.maxWallClockTime ? { maxWallClockTime: p.constraints.maxWallClockTime } : undefined,
    poolInfo: { poolId: t.poolId },
    onAllTasksComplete: 'terminatejob',
    onTaskFailure: 'performexitoptionsjobaction',
    // The job list alone (one paged request a tick) then tells what an ended job's alert links to.
    metadata: [
      { name: EXPERIMENT_METADATA, value: t.experiment },
      { name: TOOL_METADATA, value: tool },
      ...(p.outputDirectories?.length
        ? [{ name: OUTPUTS_METADATA, value: p.outputDirectories.map((d) => d.id).join(',') }]
        : []),
    ],
    jobPreparationTask: p.jobPreparation
      ? {
          commandLine: bashCommandLine([...prelude(p, false), p.jobPreparation.commandLine].join('\n')),
          environmentSettings: env,
          containerSettings,
          waitForSuccess: true,
        }
      : undefined,
  };
  const task: BatchTaskCreateOptions = {
    id: BATCH_TASK_ID,
    displayName: t.jobId,
    commandLine: bashCommandLine(script),
    environmentSettings: env,
    containerSettings,
    outputFiles: outputFiles(p, t),
    // A failure of any kind ends the job, so the job's state and terminateReason ("TaskFailed") tell the poll.
    exitConditions: {
      default: { jobAction: 'terminate' },
      preProcessingError: { jobAction: 'terminate' },
      fileUploadError: { jobAction: 'terminate' },
    },
    multiInstanceSettings: distributed
      ? {
          numberOfInstances: p.nodeCount,
          // mpirun on the primary reaches the others itself; each node only has to be up.
          coordinationCommandLine: bashCommandLine('echo "node $AZ_BATCH_NODE_ID ready"'),
        }
      : undefined,
  };
  return { job: dropUndefined(job), task: dropUndefined(task) };
}

/** JSON without the keys we left undefined, so a shown or sent body has only what was set. */
function dropUndefined<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}
