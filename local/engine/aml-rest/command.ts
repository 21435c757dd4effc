// A command job as PUT → the Batch AI job the core runs (pure). The command runs through bash with stdout and
// stderr in one log (Azure ML's user_logs/std_log.txt); `${{outputs.<name>}}` becomes the output's directory, as
// the service expands it; more than one process (instanceCount × processCountPerInstance, or TensorFlow's workers
// and parameter servers) starts under mpirun, whose local stand-in gives each rank RANK, WORLD_SIZE and
// MASTER_ADDR like Azure ML's launchers. Anything the stand-in cannot run is a 400 saying what it expected.
import type { JobBaseProperties } from '../../../shared/batchai/types';
import type { CommandJobProperties, Distribution } from '../../../shared/azureml/types';
import { shellQuote } from '../../../shared/templates/shell-quote';
import { ArmHttpError } from '../rest/arm-error';
import { MAX_ENVIRONMENT_VARIABLES, MAX_NODES } from '../quota';

const OUTPUT_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,254}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Azure ML's own output of every job (the run's artifacts): not a directory the command writes. */
export const DEFAULT_OUTPUT = 'default';

function bad(message: string): never {
  throw new ArmHttpError(400, 'UserError', message);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function count(v: unknown, where: string, min: number, max: number, fallback: number): number {
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
    bad(`${where}: expected a whole number from ${min} to ${max}, got ${JSON.stringify(v)}.`);
  return v;
}

/** The checked body of a command job PUT (properties only), or a 400 naming the field. */
export function commandJobOf(body: unknown): CommandJobProperties {
  const p = isRecord(body) ? body.properties : undefined;
  if (!isRecord(p)) bad('The request body must be a job: {"properties": {"jobType": "Command", ...}}.');
  if (p.jobType !== 'Command')
    bad(`properties.jobType ${JSON.stringify(p.jobType)}: the local engine runs Command jobs only.`);
  for (const f of ['command', 'environmentId', 'computeId'] as const) {
    if (typeof p[f] !== 'string' || !(p[f] as string).trim()) bad(`properties.${f}: expected a non-empty string.`);
  }
  if (!/\/computes\/[^/]+$/i.test(p.computeId as string))
    bad(`properties.computeId '${p.computeId}': expected …/workspaces/{workspace}/computes/{compute}.`);
  const env = p.environmentVariables;
  if (env !== undefined && env !== null) {
    if (!isRecord(env)) bad('properties.environmentVariables: expected an object of names to strings.');
    const n = Object.keys(env).length;
    if (n > MAX_ENVIRONMENT_VARIABLES)
      bad(`properties.environmentVariables: ${n} variables, expected at most ${MAX_ENVIRONMENT_VARIABLES}.`);
    for (const [k, v] of Object.entries(env)) {
      if (!ENV_NAME.test(k) || (typeof v !== 'string' && v !== null))
        bad(`properties.environmentVariables.${k.slice(0, 64)}: expected a variable name and a string value.`);
    }
  }
  for (const name of Object.keys(isRecord(p.outputs) ? p.outputs : {})) {
    if (!OUTPUT_NAME.test(name))
      bad(`properties.outputs.${name.slice(0, 64)}: expected a letter or _ then letters, digits, _.`);
  }
  const r = isRecord(p.resources) ? p.resources : {};
  count(r.instanceCount, 'properties.resources.instanceCount', 1, MAX_NODES, 1);
  const d = isRecord(p.distribution) ? p.distribution : undefined;
  if (d && !['PyTorch', 'Mpi', 'TensorFlow'].includes(d.distributionType as string))
    bad(
      `properties.distribution.distributionType ${JSON.stringify(d.distributionType)}: ` +
        'expected PyTorch, Mpi or TensorFlow.',
    );
  return p as unknown as CommandJobProperties;
}

/** How many processes the job runs in all. */
function processCount(d: Distribution | null | undefined, nodes: number): number {
  if (!d) return 1;
  if (d.distributionType === 'TensorFlow')
    return (
      count(d.workerCount, 'distribution.workerCount', 0, 64, nodes) +
      count(d.parameterServerCount, 'distribution.parameterServerCount', 0, 64, 0)
    );
  return nodes * count(d.processCountPerInstance, 'distribution.processCountPerInstance', 1, 64, 1);
}

export function outputNames(p: CommandJobProperties): string[] {
  return Object.keys(p.outputs ?? {}).filter((n) => n !== DEFAULT_OUTPUT);
}

/** The core job for a checked command job `runId` on `clusterId` (a Batch AI cluster id of the core's). */
export function coreJobOf(p: CommandJobProperties, clusterId: string, runId: string): JobBaseProperties {
  const nodes = p.resources?.instanceCount ?? 1;
  const outputs = outputNames(p);
  let command = p.command;
  for (const o of outputs) command = command.split(`\${{outputs.${o}}}`).join(`$AZ_BATCHAI_OUTPUT_${o}`);
  const script = `{ ${command}\n} 2>&1`;
  const processes = processCount(p.distribution, nodes);
  const env = Object.entries(p.environmentVariables ?? {}).map(([name, value]) => ({ name, value: value ?? '' }));
  return {
    cluster: { id: clusterId },
    nodeCount: nodes,
    ...(processes > 1
      ? { customMpiSettings: { commandLine: `mpirun -np ${processes} /bin/bash -c ${shellQuote(script)}` } }
      : { customToolkitSettings: { commandLine: script } }),
    // What Azure ML tells every job about itself.
    environmentVariables: [
      { name: 'AZUREML_RUN_ID', value: runId },
      { name: 'AZUREML_EXPERIMENT_NAME', value: p.experimentName ?? 'Default' },
      ...env.filter((e) => !e.name.startsWith('AZUREML_')),
    ],
    outputDirectories: outputs.map((id) => ({
      id,
      pathPrefix: '$AZ_BATCHAI_JOB_MOUNT_ROOT',
      pathSuffix: `outputs/${id}`,
    })),
    stdOutErrPathPrefix: '$AZ_BATCHAI_JOB_MOUNT_ROOT',
    ...(p.limits?.timeout ? { constraints: { maxWallClockTime: p.limits.timeout } } : {}),
  };
}
