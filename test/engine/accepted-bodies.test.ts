// Hardening must not refuse what the real service took. Every request body of the 2018-05-01 swagger examples,
// every job.json of the seed documents and every shipped template (rendered with its defaults, storage filled
// as az batchai filled it) is sent to the engine and accepted. And a job whose paths start at every root the
// service knew ($AZ_BATCHAI_JOB_TEMP, as Microsoft's recorded SDK tests use it, _JOB_TEMP_DIR,
// _SHARED_JOB_TEMP, _JOB_MOUNT_ROOT, _MOUNT_ROOT, an input's and an output's variable) runs, sees each
// variable set, and writes only inside the data directory.
import { readdirSync, readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { fillJobFile } from '../../shared/templates/job-file-fill';
import { renderTemplate } from '../../shared/templates/template-render';
import { parseTemplate } from '../../shared/templates/templates';
import { ENGINE_STORAGE_ACCOUNT } from '../../local/engine/storage-account';
import { loadExample } from '../batchai/support/example-replay';
import { seedJobs } from '../fixtures/seed-jobs';
import { arm, EXP, runJob, setupCluster, useFastEngine, WS } from './helpers';

const engine = useFastEngine(async (e) => {
  await setupCluster(e, 'c1', { manual: { targetNodeCount: 2 } });
});
const CLUSTER_ID = `${WS}/clusters/c1`;

// The examples that carry a body, in the order their resources depend on each other; each is sent to the
// path of its own names (its subscription, resource group, workspace...).
const RG = '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.BatchAI';
const E_WS = `${RG}/workspaces/{workspaceName}`;
const BODY_EXAMPLES: [string, string, string][] = [
  ['PutWorkspace.json', 'PUT', E_WS],
  ['PatchWorkspace.json', 'PATCH', E_WS],
  ['PutExperiment.json', 'PUT', `${E_WS}/experiments/{experimentName}`],
  ['PutCluster.json', 'PUT', `${E_WS}/clusters/{clusterName}`],
  ['PatchCluster.json', 'PATCH', `${E_WS}/clusters/{clusterName}`],
  ['PutFileServer.json', 'PUT', `${E_WS}/fileServers/{fileServerName}`],
  ['PutJob.json', 'PUT', `${E_WS}/experiments/{experimentName}/jobs/{jobName}`],
];

test('every example with a body is in the list', () => {
  const dir = join(__dirname, '../fixtures/batchai-examples');
  const withBody = readdirSync(dir).filter((f) => (loadExample(f).parameters as { parameters?: unknown }).parameters);
  expect(withBody.sort()).toEqual(BODY_EXAMPLES.map(([f]) => f).sort());
});

test.each(BODY_EXAMPLES)('spec example %s (%s) is accepted', async (file, method, template) => {
  const p = loadExample(file).parameters as Record<string, unknown>;
  if (file === 'PutJob.json') {
    // The job runs on the example's own cluster: made first, as the example's world had it.
    await arm(engine, 'PUT', fill(`${E_WS}/clusters/demo_cluster`, p), {
      properties: { vmSize: 'STANDARD_NC6', userAccountSettings: { adminUserName: 'u', adminUserPassword: 'p4ss!' } },
    });
  }
  const r = await arm(engine, method, fill(template, p), p.parameters);
  expect(r.status < 300 ? 'accepted' : `${r.status} ${r.text}`).toBe('accepted');
});

function fill(template: string, p: Record<string, unknown>): string {
  return template.replace(/\{(\w+)\}/g, (_, n: string) => encodeURIComponent(String(p[n])));
}

/** A value for a parameter without a default: the smallest that fits its type. */
function sample(p: { type: string; min?: number }): string {
  return p.type === 'int' || p.type === 'number' ? String(p.min ?? 1) : 'x';
}

function rendered(json: unknown, name: string): unknown {
  const t = parseTemplate(json, name);
  const values = Object.fromEntries(
    t.parameters.filter((p) => p.default === undefined).map((p) => [p.name, sample(p)]),
  );
  const body = renderTemplate(t, values, { cluster: CLUSTER_ID, name: 'job', experiment: 'exp1' });
  return fillJobFile(body, ENGINE_STORAGE_ACCOUNT).body;
}

const TEMPLATES = readdirSync(join(__dirname, '../../templates')).filter((f) => f.endsWith('.json'));
const JOB_FILES: [string, () => unknown][] = [
  ...seedJobs().map((s): [string, () => unknown] => [`seed ${s.name}`, () => rendered(s.json, s.name)]),
  ...TEMPLATES.map((f): [string, () => unknown] => [
    `template ${f}`,
    () => rendered(JSON.parse(readFileSync(join(__dirname, '../../templates', f), 'utf8')), f.replace(/\.json$/, '')),
  ]),
];

test.each(JOB_FILES)('%s is accepted', async (name, body) => {
  const job = name.replace(/\W+/g, '-').slice(0, 60);
  const r = await arm(engine, 'PUT', `${EXP}/jobs/${job}`, body());
  expect(r.status < 300 ? 'accepted' : `${r.status} ${r.text}`).toBe('accepted');
});

test('a job starting at every root the service knew runs with each variable set, inside the data dir', async () => {
  const vars = [
    'AZ_BATCHAI_JOB_TEMP',
    'AZ_BATCHAI_JOB_TEMP_DIR',
    'AZ_BATCHAI_SHARED_JOB_TEMP',
    'AZ_BATCHAI_JOB_MOUNT_ROOT',
    'AZ_BATCHAI_MOUNT_ROOT',
    'AZ_BATCHAI_INPUT_DATA',
    'AZ_BATCHAI_OUTPUT_MODEL',
    'AZ_BATCHAI_OUTPUT_LOGS',
  ];
  const job = await runJob(engine, 'roots', {
    properties: {
      cluster: { id: CLUSTER_ID },
      nodeCount: 1,
      // What Microsoft's recorded SDK tests sent.
      stdOutErrPathPrefix: '$AZ_BATCHAI_JOB_TEMP',
      inputDirectories: [{ id: 'DATA', path: '$AZ_BATCHAI_SHARED_JOB_TEMP/data' }],
      outputDirectories: [
        { id: 'MODEL', pathPrefix: '$AZ_BATCHAI_JOB_MOUNT_ROOT/out' },
        { id: 'LOGS', pathPrefix: '$AZ_BATCHAI_OUTPUT_MODEL', pathSuffix: 'logs' },
      ],
      customToolkitSettings: {
        commandLine: `${vars.map((v) => `echo "${v}=$${v}"`).join('; ')}; echo m > $AZ_BATCHAI_OUTPUT_LOGS/l.txt`,
      },
    },
  });
  expect(job.properties.executionState).toBe('succeeded');
  // $AZ_BATCHAI_JOB_TEMP is the node's, not a share's: no download link; read it where the engine put it.
  const jobs = join(engine.dataDir, 'jobs');
  const file = readdirSync(jobs, { recursive: true, encoding: 'utf8' }).find(
    (f) => f.includes('/jobs/roots/') && f.endsWith('stdouterr/stdout.txt'),
  );
  const stdout = readFileSync(join(jobs, file ?? 'no stdout.txt'), 'utf8');
  const seen = Object.fromEntries(
    stdout
      .trim()
      .split('\n')
      .map((l) => l.split('=') as [string, string]),
  );
  const data = realpathSync(engine.dataDir);
  for (const v of vars) expect([v, realpathOrSelf(seen[v]).startsWith(`${data}/`)]).toEqual([v, true]);
  expect(seen.AZ_BATCHAI_JOB_TEMP).toBe(seen.AZ_BATCHAI_JOB_TEMP_DIR);
  expect(seen.AZ_BATCHAI_OUTPUT_LOGS.startsWith(`${seen.AZ_BATCHAI_OUTPUT_MODEL}/`)).toBe(true);
  expect(readFileSync(join(seen.AZ_BATCHAI_OUTPUT_LOGS, 'l.txt'), 'utf8')).toBe('m\n');
});

function realpathOrSelf(p: string | undefined): string {
  if (!p) return '';
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}

test.each([
  [
    'an output at a later output',
    [
      { id: 'A', pathPrefix: '$AZ_BATCHAI_OUTPUT_B' },
      { id: 'B', pathPrefix: '$AZ_BATCHAI_JOB_TEMP' },
    ],
  ],
  ['an output at an input it does not have', [{ id: 'A', pathPrefix: '$AZ_BATCHAI_INPUT_NONE' }]],
  ['a root left with ..', [{ id: 'A', pathPrefix: '$AZ_BATCHAI_SHARED_JOB_TEMP/../../..' }]],
])('still refused: %s', async (_, outputDirectories) => {
  const r = await arm(engine, 'PUT', `${EXP}/jobs/refused`, {
    properties: {
      cluster: { id: CLUSTER_ID },
      nodeCount: 1,
      stdOutErrPathPrefix: '$AZ_BATCHAI_JOB_TEMP',
      outputDirectories,
      customToolkitSettings: { commandLine: 'true' },
    },
  });
  expect([r.status, r.body?.error?.code]).toEqual([400, 'InvalidRequestContent']);
});
