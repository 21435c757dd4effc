// A Batch AI job (the body of a job PUT, as templates render it) → an Azure ML command job, and the environment
// version its container image becomes (pure). What cannot map is refused here, before anything is sent, saying
// what to change. The command is one bash script: the exports Batch AI gave a job (its name, its output
// directories as the job's outputs, which Azure ML expands from `${{outputs.<id>}}`), the job preparation, then
// the tool's command; a distributed tool becomes `distribution` over `instanceCount` nodes, and Azure ML starts
// the ranks itself (PyTorch, TensorFlow: its launcher's environment; the MPI tools: mpirun).
import { createHash } from 'node:crypto';
import { type JobBaseProperties, mountedKinds } from '../compute/job-file';
import { checkJobLimits } from '../core/job-limits';
import { cntkCommand, pythonCommand, type PythonTool } from '../core/python-command';
import { InputError } from '../errors';
import { toolKeyOf, type ToolKey } from '../templates/job-tool';
import { shellQuote } from '../templates/shell-quote';
import { TOOL_TAG } from './to-model';
import type { CommandJobProperties, Distribution, EnvironmentVersionResource, JobOutput } from './types';

/**
 * The most nodes (instanceCount) a command job is sent with: the local facade's quota, and a check here so that
 * a job it would refuse is refused before its environment version is made.
 */
export const MAX_INSTANCE_COUNT = 100;

/** Used when the job file names no container: a curated environment of Azure ML's own registry. */
export const DEFAULT_ENVIRONMENT_ID = 'azureml://registries/azureml/environments/sklearn-1.5/labels/latest';

export interface AmlTarget {
  subscriptionId: string;
  resourceGroup: string;
  workspace: string;
  experiment: string;
  /** The product's job name: $AZ_BATCHAI_JOB_NAME, as Batch AI set it (unique in its experiment). */
  job: string;
  /** The Azure ML job name (workspace-unique). */
  jobName: string;
}

export interface TranslatedCommandJob {
  /** An environment version to PUT first (the job's container image), with the ARM path below the workspace. */
  environment?: { name: string; version: string; body: EnvironmentVersionResource };
  job: { properties: CommandJobProperties };
}

function refuse(message: string): never {
  throw new InputError('JobNotTranslatable', message);
}

const TOOL_TYPE: Record<ToolKey, string> = {
  customToolkitSettings: 'custom',
  pyTorchSettings: 'custom',
  tensorFlowSettings: 'tensorflow',
  horovodSettings: 'horovod',
  customMpiSettings: 'custommpi',
  chainerSettings: 'chainer',
  cntkSettings: 'cntk',
  caffeSettings: 'caffe',
  caffe2Settings: 'caffe2',
};

function checkMappable(p: JobBaseProperties): void {
  const kinds = mountedKinds(p);
  if (kinds.length > 0) {
    refuse(
      `mountVolumes.${kinds.join(', mountVolumes.')}: Azure ML jobs mount data as inputs from datastores, not ` +
        'file systems per job. Remove mountVolumes, register the share as a datastore and read it through an ' +
        'azureml://datastores/<name>/paths/… URI.',
    );
  }
  const vaulted = (p.secrets ?? []).filter((s) => s.valueSecretReference && s.value === undefined);
  if (vaulted.length > 0) {
    refuse(
      `secrets ${vaulted.map((s) => s.name).join(', ')}: a command job takes no Key Vault references. ` +
        "Give the value in the job (it reaches the job's environment variables), or read the secret inside the " +
        "job with the workspace's Key Vault and the compute's identity.",
    );
  }
  if (p.containerSettings?.imageSourceRegistry.credentials) {
    refuse(
      'containerSettings.imageSourceRegistry.credentials: Azure ML pulls images with the workspace identity, not ' +
        "credentials in the job. Drop the credentials and grant the workspace's identity AcrPull on the registry.",
    );
  }
  if (p.schedulingPriority && p.schedulingPriority !== 'normal') {
    refuse(
      `schedulingPriority=${p.schedulingPriority}: AmlCompute jobs have no priority. ` +
        'Remove schedulingPriority, or give important jobs their own compute.',
    );
  }
  if (!Number.isInteger(p.nodeCount) || p.nodeCount < 1 || p.nodeCount > MAX_INSTANCE_COUNT)
    refuse(`nodeCount=${p.nodeCount}: expected a whole number from 1 to ${MAX_INSTANCE_COUNT}.`);
  checkJobLimits(p);
  if (p.customMpiSettings && p.nodeCount > 1) {
    refuse(
      'customMpiSettings on more than one node: Azure ML starts MPI itself. Put the program without mpirun in ' +
        'customToolkitSettings.commandLine, or use horovodSettings with processCount for the ranks.',
    );
  }
  for (const d of p.outputDirectories ?? []) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(d.id))
      refuse(
        `outputDirectories id ${JSON.stringify(d.id)}: expected a letter or _ then letters, digits and _ ` +
          '(it names the Azure ML output and $AZ_BATCHAI_OUTPUT_<id>).',
      );
  }
  const tf = p.tensorFlowSettings;
  if (tf && (tf.workerCount || tf.parameterServerCount)) {
    const args = new Set([tf.workerCommandLineArgs ?? '', tf.parameterServerCommandLineArgs ?? '']);
    if (args.size > 1)
      refuse(
        'tensorFlowSettings: workers and parameter servers with different arguments; an Azure ML TensorFlow job ' +
          'runs one command on every rank (it reads its role from TF_CONFIG). Give one set of arguments.',
      );
  }
}

const python = (s: PythonTool, args = s.commandLineArgs): string => pythonCommand(s, args, 'python');

/** Processes per node when a tool asks for `processCount` in all (Batch AI spread them over the nodes). */
const perNode = (processes: number | undefined, nodes: number): number =>
  Math.max(1, Math.ceil((processes ?? nodes) / nodes));

function toolOf(p: JobBaseProperties, key: ToolKey): { command: string; distribution?: Distribution } {
  const n = p.nodeCount;
  const mpi = (processes: number | undefined): Distribution | undefined =>
    (processes ?? n) > 1 || n > 1
      ? { distributionType: 'Mpi', processCountPerInstance: perNode(processes, n) }
      : undefined;
  switch (key) {
    case 'customToolkitSettings':
      return { command: p.customToolkitSettings!.commandLine || 'true', distribution: mpi(1) };
    case 'customMpiSettings':
      return { command: p.customMpiSettings!.commandLine };
    case 'pyTorchSettings': {
      const s = p.pyTorchSettings!;
      const many = (s.processCount ?? n) > 1 || n > 1;
      return {
        command: python(s),
        distribution: many
          ? { distributionType: 'PyTorch', processCountPerInstance: perNode(s.processCount, n) }
          : undefined,
      };
    }
    case 'tensorFlowSettings': {
      const tf = p.tensorFlowSettings!;
      if (!tf.workerCount && !tf.parameterServerCount) return { command: python(tf, tf.masterCommandLineArgs) };
      return {
        command: python(tf, tf.workerCommandLineArgs ?? tf.masterCommandLineArgs),
        distribution: {
          distributionType: 'TensorFlow',
          workerCount: tf.workerCount ?? n,
          parameterServerCount: tf.parameterServerCount ?? 0,
        },
      };
    }
    case 'horovodSettings':
      return { command: python(p.horovodSettings!), distribution: mpi(p.horovodSettings!.processCount) };
    case 'chainerSettings':
      return { command: python(p.chainerSettings!), distribution: mpi(p.chainerSettings!.processCount) };
    case 'cntkSettings': {
      const c = p.cntkSettings!;
      return { command: cntkCommand(c, 'python'), distribution: mpi(c.processCount) };
    }
    case 'caffeSettings': {
      const c = p.caffeSettings!;
      const command = c.configFilePath
        ? ['caffe train', `--solver=${c.configFilePath}`, c.commandLineArgs].filter(Boolean).join(' ')
        : python(c);
      return { command, distribution: mpi(c.processCount) };
    }
    case 'caffe2Settings':
      return { command: python(p.caffe2Settings!) };
  }
}

function environmentOf(p: JobBaseProperties, t: AmlTarget): Pick<TranslatedCommandJob, 'environment'> & { id: string } {
  const c = p.containerSettings;
  if (!c) return { id: DEFAULT_ENVIRONMENT_ID };
  const r = c.imageSourceRegistry;
  const server = r.serverUrl?.replace(/^https?:\/\//, '').replace(/\/+$/, '');
  const image = server && !r.image.startsWith(`${server}/`) ? `${server}/${r.image}` : r.image;
  // One environment per image, named by it, so a second job with the same image reuses the version.
  const name = `chatops-${createHash('sha256').update(image).digest('hex').slice(0, 16)}`;
  const version = '1';
  const id =
    `/subscriptions/${t.subscriptionId}/resourceGroups/${t.resourceGroup}` +
    `/providers/Microsoft.MachineLearningServices/workspaces/${t.workspace}/environments/${name}/versions/${version}`;
  return {
    id,
    environment: {
      name,
      version,
      body: { properties: { image, osType: 'Linux', description: `The image of Batch AI job files: ${image}` } },
    },
  };
}

export function translateCommandJob(p: JobBaseProperties, t: AmlTarget, clusterName: string): TranslatedCommandJob {
  checkMappable(p);
  const key = toolKeyOf(p);
  const { command, distribution } = toolOf(p, key);
  const outputs: Record<string, JobOutput> = {};
  const lines = [`export AZ_BATCHAI_JOB_NAME=${shellQuote(t.job)}`];
  for (const d of p.outputDirectories ?? []) {
    outputs[d.id] = { jobOutputType: 'uri_folder', mode: 'ReadWriteMount' };
    lines.push(`export AZ_BATCHAI_OUTPUT_${d.id}="\${{outputs.${d.id}}}"`);
  }
  if (p.jobPreparation) lines.push(`{ ${p.jobPreparation.commandLine}\n} || exit $?`);
  lines.push(command);
  const env: Record<string, string> = {};
  for (const v of p.environmentVariables ?? []) env[v.name] = v.value;
  for (const s of p.secrets ?? []) env[s.name] = s.value ?? '';
  const { id: environmentId, environment } = environmentOf(p, t);
  const properties: CommandJobProperties = {
    jobType: 'Command',
    displayName: t.jobName,
    experimentName: t.experiment,
    computeId:
      `/subscriptions/${t.subscriptionId}/resourceGroups/${t.resourceGroup}` +
      `/providers/Microsoft.MachineLearningServices/workspaces/${t.workspace}/computes/${clusterName}`,
    command: lines.join('\n'),
    environmentId,
    tags: { [TOOL_TAG]: TOOL_TYPE[key] },
    resources: {
      instanceCount: p.nodeCount,
      ...(p.containerSettings?.shmSize ? { shmSize: p.containerSettings.shmSize } : {}),
    },
    ...(Object.keys(env).length ? { environmentVariables: env } : {}),
    ...(distribution ? { distribution } : {}),
    ...(p.constraints?.maxWallClockTime
      ? { limits: { jobLimitsType: 'Command', timeout: p.constraints.maxWallClockTime } }
      : {}),
    ...(Object.keys(outputs).length ? { outputs } : {}),
  };
  return { ...(environment ? { environment } : {}), job: { properties } };
}
