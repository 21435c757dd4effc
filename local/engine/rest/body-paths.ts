// Every path a job or cluster body names stays inside the engine's data directory. A prefix must start at one
// of the node's roots ($AZ_BATCHAI_MOUNT_ROOT, $AZ_BATCHAI_JOB_MOUNT_ROOT, $AZ_BATCHAI_JOB_TEMP[_DIR],
// $AZ_BATCHAI_SHARED_JOB_TEMP, or a job's input and output directories: all folders under the data directory
// here) and, once resolved, still be under it; a relative path (mount path, suffix) must resolve to a place
// inside whatever it is joined to. Checked before anything is created; the core checks again against the real
// directories when a job starts (a link made by an earlier job).
import { posix } from 'node:path';
import { ArmHttpError } from './arm-error';

// Every root the service accepted: $AZ_BATCHAI_JOB_TEMP is what Microsoft's recorded SDK tests use,
// $AZ_BATCHAI_JOB_TEMP_DIR what the CLI guide names; both are the node's job temp folder here.
const JOB_ROOTS = [
  'AZ_BATCHAI_MOUNT_ROOT',
  'AZ_BATCHAI_JOB_MOUNT_ROOT',
  'AZ_BATCHAI_JOB_TEMP',
  'AZ_BATCHAI_JOB_TEMP_DIR',
  'AZ_BATCHAI_SHARED_JOB_TEMP',
];
const CLUSTER_ROOTS = ['AZ_BATCHAI_MOUNT_ROOT'];

function refuse(path: string, value: string, expected: string): ArmHttpError {
  return new ArmHttpError(
    400,
    'InvalidRequestContent',
    `The request content was invalid: property '${path}' is '${value.slice(0, 200)}': expected ${expected}; ` +
      'the local engine keeps every file inside its data directory.',
  );
}

function checkPrefix(value: unknown, path: string, roots: string[]): void {
  if (typeof value !== 'string') return;
  const m = /^\$(?:\{(\w+)\}|(\w+))(.*)$/s.exec(value);
  const root = m ? (m[1] ?? m[2])! : undefined;
  const expected = `a path under ${roots.map((r) => `$${r}`).join(', ')} that does not leave it`;
  if (!m || !roots.includes(root!)) throw refuse(path, value, expected);
  const rest = m[3]!;
  if (rest !== '' && !rest.startsWith('/')) throw refuse(path, value, expected);
  const resolved = posix.resolve('/root', `.${rest}`);
  if (resolved !== '/root' && !resolved.startsWith('/root/')) throw refuse(path, value, expected);
  if (/[$`\0]/.test(rest)) throw refuse(path, value, `${expected}, with no further variables`);
}

function checkRelative(value: unknown, path: string): void {
  if (typeof value !== 'string') return;
  const expected = "a relative path that stays inside (no leading /, no '..' above it, no variables)";
  if (value.startsWith('/') || /[$`\\\0]/.test(value)) throw refuse(path, value, expected);
  const resolved = posix.resolve('/root', value);
  if (!resolved.startsWith('/root/')) throw refuse(path, value, expected);
}

type Obj = Record<string, unknown>;
const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter((x): x is Obj => !!x && typeof x === 'object') : []);
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});

function checkMounts(mv: unknown, at: string): void {
  const m = obj(mv);
  for (const kind of ['azureFileShares', 'azureBlobFileSystems', 'fileServers', 'unmanagedFileSystems']) {
    list(m[kind]).forEach((x, i) => checkRelative(x.relativeMountPath, `${at}.${kind}[${i}].relativeMountPath`));
  }
}

const ids = (dirs: Obj[], kind: 'INPUT' | 'OUTPUT'): string[] =>
  dirs
    .map((d) => d.id)
    .filter((id): id is string => typeof id === 'string')
    .map((id) => `AZ_BATCHAI_${kind}_${id}`);

/**
 * A job PUT body (already schema-checked). Input directories start at a root; an output directory may also
 * start at any input or an earlier output ($AZ_BATCHAI_INPUT_<id>, $AZ_BATCHAI_OUTPUT_<id>); stdout/stderr at
 * any of them. The engine expands them in that order (core/job-env.ts), so every one names a folder inside.
 */
export function checkJobPaths(body: unknown): void {
  const p = obj(obj(body).properties);
  const inputs = ids(list(p.inputDirectories), 'INPUT');
  const outputs = list(p.outputDirectories);
  checkPrefix(p.stdOutErrPathPrefix, 'properties.stdOutErrPathPrefix', [
    ...JOB_ROOTS,
    ...inputs,
    ...ids(outputs, 'OUTPUT'),
  ]);
  outputs.forEach((o, i) => {
    const roots = [...JOB_ROOTS, ...inputs, ...ids(outputs.slice(0, i), 'OUTPUT')];
    checkPrefix(o.pathPrefix, `properties.outputDirectories[${i}].pathPrefix`, roots);
    if (o.pathSuffix !== undefined && o.pathSuffix !== null)
      checkRelative(o.pathSuffix, `properties.outputDirectories[${i}].pathSuffix`);
  });
  list(p.inputDirectories).forEach((d, i) => checkPrefix(d.path, `properties.inputDirectories[${i}].path`, JOB_ROOTS));
  checkMounts(p.mountVolumes, 'properties.mountVolumes');
}

/** A cluster PUT body (already schema-checked). */
export function checkClusterPaths(body: unknown): void {
  const setup = obj(obj(obj(body).properties).nodeSetup);
  const task = obj(setup.setupTask);
  if (task.stdOutErrPathPrefix !== undefined)
    checkPrefix(task.stdOutErrPathPrefix, 'properties.nodeSetup.setupTask.stdOutErrPathPrefix', CLUSTER_ROOTS);
  checkMounts(setup.mountVolumes, 'properties.nodeSetup.mountVolumes');
}
