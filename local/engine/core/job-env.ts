// The environment and directories a job saw on a node: mount roots, temp dir, input/output aliases, the
// stdout/stderr directory, user variables and secrets. Paths in the job's definition may reference
// `$AZ_BATCHAI_...` variables; they are expanded against this environment.
import { existsSync, mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { jobOutputSegment, type ClusterRec, type JobPaths, type JobRec } from './model';
import { masterPort, rankEnv } from './mpi-env';
import { materializeMounts } from './mounts';
import type { TaskSpec } from './tool-commands';

/** Expands `$NAME` and `${NAME}`; unknown names stay as written so the mistake is visible in the path. */
function expandVars(text: string, env: Record<string, string>): string {
  return text.replace(
    /\$\{(\w+)\}|\$(\w+)/g,
    (whole, a: string | undefined, b: string | undefined) => env[(a ?? b)!] ?? whole,
  );
}

function clusterDir(dataDir: string, c: ClusterRec): string {
  return join(dataDir, 'nodes', c.sub, c.rg, c.ws, c.cluster);
}

export function jobDir(dataDir: string, j: JobRec): string {
  return join(dataDir, 'jobs', j.uuid);
}

/** The folder all of a job's nodes share ($AZ_BATCHAI_SHARED_JOB_TEMP): beside its temp folder. */
function sharedTempOf(tempDir: string): string {
  return join(dirname(tempDir), 'shared-temp');
}

/**
 * The node's roots, under every name the service gave them: $AZ_BATCHAI_JOB_TEMP (its SDK tests) and
 * $AZ_BATCHAI_JOB_TEMP_DIR (its CLI guide) are one folder; the shared job temp is one for all nodes.
 */
function baseEnv(paths: Omit<JobPaths, 'stdOutErr' | 'outputs'>): Record<string, string> {
  return {
    AZ_BATCHAI_MOUNT_ROOT: paths.mountRoot,
    AZ_BATCHAI_JOB_MOUNT_ROOT: paths.jobMountRoot,
    AZ_BATCHAI_JOB_TEMP: paths.tempDir,
    AZ_BATCHAI_JOB_TEMP_DIR: paths.tempDir,
    AZ_BATCHAI_SHARED_JOB_TEMP: sharedTempOf(paths.tempDir),
  };
}

function addInputs(j: JobRec, env: Record<string, string>): void {
  for (const i of j.props.inputDirectories ?? []) env[`AZ_BATCHAI_INPUT_${i.id}`] = expandVars(i.path, env);
}

/**
 * Creates `dir` only if it lands inside the data directory once links are followed: the REST facade checked
 * the text of the path, but a link that an earlier job made on a share could still point elsewhere.
 */
function mkdirInside(dataDir: string, dir: string): void {
  let existing = dir;
  while (!existsSync(existing)) existing = dirname(existing);
  const root = realpathSync(dataDir);
  const real = realpathSync(existing);
  if (real !== root && !real.startsWith(root + sep)) {
    throw new Error(`${dir} leads outside the engine's data directory (through a link); nothing was created there.`);
  }
  mkdirSync(dir, { recursive: true });
}

/** Creates the job's mount trees and directories; returns where everything is. */
export function preparePaths(dataDir: string, c: ClusterRec, j: JobRec): JobPaths {
  const mountRoot = join(clusterDir(dataDir, c), 'mounts');
  const jobMountRoot = join(jobDir(dataDir, j), 'mounts');
  const tempDir = join(jobDir(dataDir, j), 'temp');
  materializeMounts(dataDir, mountRoot, c.props.nodeSetup?.mountVolumes);
  materializeMounts(dataDir, jobMountRoot, j.props.mountVolumes);
  mkdirSync(tempDir, { recursive: true });
  mkdirSync(sharedTempOf(tempDir), { recursive: true });
  // Expanded in the order the REST facade allows references (rest/body-paths.ts): roots, inputs, each output
  // (which may start at an earlier one), then stdout/stderr (which may start at any).
  const env = baseEnv({ mountRoot, jobMountRoot, tempDir });
  addInputs(j, env);
  const segment = jobOutputSegment(j);
  const outputs: Record<string, string> = {};
  for (const o of j.props.outputDirectories ?? []) {
    const dir = join(
      resolve(expandVars(o.pathPrefix, env)),
      segment,
      'outputs',
      ...(o.pathSuffix ? [expandVars(o.pathSuffix, env)] : []),
    );
    mkdirInside(dataDir, dir);
    outputs[o.id] = dir;
    env[`AZ_BATCHAI_OUTPUT_${o.id}`] = dir;
  }
  const stdOutErr = join(resolve(expandVars(j.props.stdOutErrPathPrefix, env)), segment, 'stdouterr');
  mkdirInside(dataDir, stdOutErr);
  return { mountRoot, jobMountRoot, tempDir, stdOutErr, outputs };
}

/** The environment of one task of the job (tasks differ in role and index). */
export function taskEnv(j: JobRec, paths: JobPaths, task: TaskSpec, all: TaskSpec[]): Record<string, string> {
  const env: Record<string, string> = { ...baseEnv(paths) };
  addInputs(j, env);
  for (const [id, dir] of Object.entries(paths.outputs)) env[`AZ_BATCHAI_OUTPUT_${id}`] = dir;
  const hosts = (role: TaskSpec['role']): string =>
    all
      .filter((t) => t.role === role)
      .map((t) => `127.0.0.1:${(role === 'ps' ? 2300 : 2222) + t.index}`)
      .join(',');
  Object.assign(env, {
    AZ_BATCHAI_NUM_GPUS: '0',
    AZ_BATCHAI_TASK_INDEX: String(task.index),
    AZ_BATCHAI_JOB_NAME: j.job,
    AZ_BATCHAI_STDOUTERR_DIR: paths.stdOutErr,
    AZ_BATCHAI_MPI_HOST_FILE: join(paths.tempDir, 'hostfile'),
    AZ_BATCHAI_WORKER_HOSTS: hosts('worker') || hosts('master'),
    AZ_BATCHAI_PS_HOSTS: hosts('ps'),
  });
  // Job preparation is not one of the ranks; it runs as rank 0 of the world it prepares.
  const rank = Math.max(
    0,
    all.findIndex((t) => t.role === task.role && t.index === task.index),
  );
  Object.assign(env, rankEnv(rank, all.length, j.props.nodeCount, masterPort(j.uuid)));
  // mpirun-shim.ts's stand-in comes last: an installed mpirun is found first.
  env.PATH = `${process.env.PATH ?? '/usr/bin:/bin'}:${join(paths.tempDir, 'bin')}`;
  for (const v of j.props.environmentVariables ?? []) env[v.name] = v.value;
  for (const s of j.props.secrets ?? []) if (s.value !== undefined) env[s.name] = s.value;
  return env;
}

/** An MPI host file as the service wrote it: one line per node (all of them this machine). */
export function writeHostFile(paths: JobPaths, nodeCount: number): void {
  writeFileSync(
    join(paths.tempDir, 'hostfile'),
    Array.from({ length: nodeCount }, () => 'localhost slots=1').join('\n') + '\n',
  );
}
