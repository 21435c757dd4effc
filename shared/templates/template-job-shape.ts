// The shape check for a template's `properties` (JobBaseProperties of Batch AI 2018-05-01). It checks what a
// person gets wrong in a hand-written job.json — a missing toolkit, a misspelt field, a wrong type — and
// leaves what `az batchai` filled in at submit time (cluster, storage account name and key) optional.
import { array, object, onlyKeys, optional, shapeError, string, type JsonObject } from '../core/json-shape';
import type { TemplateJobProperties } from './template-types';

const TOOLKITS: Record<string, { required: string[] }> = {
  cntkSettings: { required: [] },
  pyTorchSettings: { required: ['pythonScriptFilePath'] },
  tensorFlowSettings: { required: ['pythonScriptFilePath'] },
  caffeSettings: { required: [] },
  caffe2Settings: { required: ['pythonScriptFilePath'] },
  chainerSettings: { required: ['pythonScriptFilePath'] },
  customToolkitSettings: { required: [] },
  customMpiSettings: { required: ['commandLine'] },
  horovodSettings: { required: ['pythonScriptFilePath'] },
};

const FIELDS = [
  'schedulingPriority',
  'cluster',
  'mountVolumes',
  'nodeCount',
  'containerSettings',
  'jobPreparation',
  'stdOutErrPathPrefix',
  'inputDirectories',
  'outputDirectories',
  'environmentVariables',
  'secrets',
  'constraints',
  ...Object.keys(TOOLKITS),
];

/** A string that is one placeholder and nothing else: it may take a typed (non-string) value. */
export const WHOLE_PLACEHOLDER = /^\{\{\s*([A-Za-z_]\w*)\s*\}\}$/;

function listOf(o: JsonObject, key: string, path: string, required: string[]): void {
  optional(o, key, path, (v, at) =>
    array(v, at).forEach((e, i) => {
      const item = object(e, `${at}[${i}]`);
      for (const r of required) string(item[r], `${at}[${i}].${r}`);
    }),
  );
}

function checkToolkit(p: JsonObject, path: string): void {
  const present = Object.keys(TOOLKITS).filter((k) => p[k] !== undefined);
  if (present.length !== 1) {
    throw shapeError(
      path,
      `exactly one toolkit settings object (one of ${Object.keys(TOOLKITS).join(', ')})` +
        `${present.length ? `, got ${present.join(' and ')}` : ''}`,
    );
  }
  const key = present[0];
  const settings = object(p[key], `${path}.${key}`);
  for (const r of TOOLKITS[key].required) string(settings[r], `${path}.${key}.${r}`);
  for (const [k, v] of Object.entries(settings)) {
    if (typeof v !== 'string' && typeof v !== 'number')
      throw shapeError(`${path}.${key}.${k}`, 'a string or number', v);
  }
}

function checkMounts(p: JsonObject, path: string): void {
  const m = optional(p, 'mountVolumes', path, object);
  if (!m) return;
  const at = `${path}.mountVolumes`;
  onlyKeys(m, ['azureFileShares', 'azureBlobFileSystems', 'fileServers', 'unmanagedFileSystems'], at);
  listOf(m, 'azureFileShares', at, ['azureFileUrl', 'relativeMountPath']);
  // accountName may be left out or be <AZURE_BATCHAI_STORAGE_ACCOUNT>: filled at submit (job-file-fill.ts).
  listOf(m, 'azureBlobFileSystems', at, ['containerName', 'relativeMountPath']);
  listOf(m, 'fileServers', at, ['relativeMountPath']);
  listOf(m, 'unmanagedFileSystems', at, ['mountCommand', 'relativeMountPath']);
}

export function checkJobProperties(v: unknown, path: string): TemplateJobProperties {
  const p = object(v, path);
  onlyKeys(p, FIELDS, path);
  string(p.stdOutErrPathPrefix, `${path}.stdOutErrPathPrefix`);
  const n = p.nodeCount;
  if (
    n !== undefined &&
    !(typeof n === 'number' && Number.isInteger(n) && n >= 1) &&
    !(typeof n === 'string' && WHOLE_PLACEHOLDER.test(n))
  ) {
    throw shapeError(`${path}.nodeCount`, 'a whole number ≥ 1 (or one {{parameter}})', n);
  }
  optional(p, 'cluster', path, (c, at) => string(object(c, at).id, `${at}.id`));
  optional(p, 'schedulingPriority', path, (s, at) => {
    if (!['low', 'normal', 'high'].includes(s as string)) throw shapeError(at, 'low, normal or high', s);
  });
  checkToolkit(p, path);
  optional(p, 'jobPreparation', path, (j, at) => string(object(j, at).commandLine, `${at}.commandLine`));
  optional(p, 'containerSettings', path, (c, at) => {
    const registry = object(object(c, at).imageSourceRegistry, `${at}.imageSourceRegistry`);
    string(registry.image, `${at}.imageSourceRegistry.image`);
  });
  optional(p, 'constraints', path, (c, at) => optional(object(c, at), 'maxWallClockTime', at, string));
  checkMounts(p, path);
  listOf(p, 'inputDirectories', path, ['id', 'path']);
  listOf(p, 'outputDirectories', path, ['id', 'pathPrefix']);
  listOf(p, 'environmentVariables', path, ['name', 'value']);
  listOf(p, 'secrets', path, ['name']);
  return structuredClone(p) as unknown as TemplateJobProperties;
}
