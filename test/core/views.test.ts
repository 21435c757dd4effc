import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import type { Cluster, Job } from '../../shared/batchai/types';
import { clusterFromBatchAi, jobFromBatchAi } from '../../shared/batchai/compute';
import { jobActions, toJobSummary, toJobView } from '../../shared/core/job-view';
import { toClusterView } from '../../shared/core/cluster-view';
import { helpView } from '../../shared/core/help';
import { parseCommand } from '../../shared/core/grammar';
import { COMMANDS } from '../../shared/core/command-table';

const EXAMPLES = join(__dirname, '..', 'fixtures', 'batchai-examples');
const example = <T>(file: string): T =>
  JSON.parse(readFileSync(`${EXAMPLES}/${file}`, 'utf8')).responses['200'].body as T;
// Batch AI's wire shapes through its adapter's mapping into the compute model, then the views.
const summaryOf = (j: Job, ws: string, now?: Date) => toJobSummary(jobFromBatchAi(j), ws, now);
const jobViewOf = (j: Job, ws: string) => toJobView(jobFromBatchAi(j), ws);
const clusterViewOf = (c: Cluster, ws: string) => toClusterView(clusterFromBatchAi(c), ws);

describe('toJobSummary', () => {
  test('from the GetJob example (running)', () => {
    const job = example<Job>('GetJob.json');
    expect(summaryOf(job, 'demo_workspace')).toEqual({
      workspace: 'demo_workspace',
      experiment: 'demo_experiment',
      name: 'demo_job',
      state: 'running',
      cluster: 'demo_cluster',
      nodeCount: 1,
      toolType: 'custom',
      priority: 'normal',
      createdAt: '2017-09-27T23:36:52.611Z',
      startedAt: '2017-09-27T23:36:54.115Z',
      errors: [],
    });
    expect(summaryOf(job, 'w', new Date('2017-09-27T23:38:54.115Z')).durationSeconds).toBe(120);
  });

  test('a finished job has its duration, exit code and errors', () => {
    const job: Job = {
      id: '/subscriptions/s/resourceGroups/r/providers/Microsoft.BatchAI/workspaces/w/experiments/e/jobs/j',
      properties: {
        executionState: 'failed',
        executionInfo: {
          startTime: '2018-01-01T00:00:00Z',
          endTime: '2018-01-01T00:01:30Z',
          exitCode: 2,
          errors: [{ code: 'JobFailed', message: 'exit 2' }],
        },
      },
    };
    const s = summaryOf(job, 'w', new Date('2030-01-01T00:00:00Z'));
    expect(s).toMatchObject({
      name: 'j',
      experiment: 'e',
      state: 'failed',
      durationSeconds: 90,
      exitCode: 2,
      errors: [{ code: 'JobFailed', message: 'exit 2' }],
    });
  });

  test('is lenient with an empty job', () => {
    expect(summaryOf({}, 'w')).toEqual({
      workspace: 'w',
      experiment: '',
      name: '',
      state: 'queued',
      cluster: '',
      nodeCount: 1,
      errors: [],
    });
  });

  test('every job in ListJobByExperiment becomes a summary', () => {
    const list = example<{ value: Job[] }>('ListJobByExperiment.json').value;
    expect(list.length).toBeGreaterThan(0);
    for (const j of list) expect(summaryOf(j, 'w').name).toBe(j.name);
  });
});

describe('job actions', () => {
  test('Terminate only while queued or running, and every action parses', () => {
    const job = example<Job>('GetJob.json');
    const running = jobViewOf(job, 'w');
    expect(running.actions.map((a) => a.title)).toEqual(['Refresh', 'Logs', 'Outputs', 'Terminate']);
    expect(running.actions.map((a) => a.command)).toEqual([
      'job demo_experiment/demo_job',
      'logs demo_experiment/demo_job',
      'outputs demo_experiment/demo_job',
      'terminate demo_experiment/demo_job',
    ]);
    const done = jobActions({ ...running.job, state: 'succeeded' });
    expect(done.map((a) => a.title)).toEqual(['Refresh', 'Logs', 'Outputs']);
    for (const a of running.actions) expect(parseCommand(a.command).kind).not.toBe('parse-error');
  });
});

describe('toClusterView', () => {
  test('from the GetCluster example (manual scale)', () => {
    const v = clusterViewOf(example<Cluster>('GetCluster.json'), 'demo_workspace');
    expect(v).toMatchObject({
      kind: 'cluster',
      name: 'demo_cluster',
      vmSize: 'STANDARD_NC6',
      vmPriority: 'dedicated',
      allocationState: 'resizing',
      currentNodeCount: 0,
      nodes: { idle: 0, running: 0, preparing: 0, leaving: 0, unusable: 0 },
      scale: { mode: 'manual', targetNodeCount: 1 },
      errors: [],
    });
    expect(v.actions.map((a) => a.command)).toEqual([
      'resize demo_cluster 2',
      'autoscale demo_cluster 0 1',
      'scale-to-zero demo_cluster',
    ]);
    for (const a of v.actions) expect(parseCommand(a.command).kind).not.toBe('parse-error');
  });

  test('auto-scale settings and no Scale to zero for an empty cluster', () => {
    const v = clusterViewOf(
      { name: 'c', properties: { scaleSettings: { autoScale: { minimumNodeCount: 0, maximumNodeCount: 0 } } } },
      'w',
    );
    expect(v.scale).toEqual({ mode: 'auto', min: 0, max: 0 });
    expect(v.actions.map((a) => a.title)).toEqual(['Resize to 1', 'Auto-scale 0-1']);
  });

  test('every cluster in ListClusterByWorkspace becomes a view', () => {
    const list = example<{ value: Cluster[] }>('ListClusterByWorkspace.json').value;
    for (const c of list) expect(clusterViewOf(c, 'w').name).toBe(c.name);
  });
});

describe('helpView', () => {
  test('lists every table row, with usage and examples that parse', () => {
    const h = helpView();
    expect(h.entries).toHaveLength(COMMANDS.length);
    for (const e of h.entries) for (const x of e.examples) expect(parseCommand(x)).toMatchObject({ kind: e.command });
  });

  test('one topic, a two-word verb, a typo and nonsense', () => {
    expect(helpView('resize').entries.map((e) => e.usage)).toEqual(['resize <cluster> <nodes>']);
    expect(helpView('use').entries.map((e) => e.usage)).toEqual(['use workspace <w>', 'use experiment <e>']);
    expect(helpView('resise')).toMatchObject({
      title: 'No command "resise". Did you mean resize?',
      entries: [{ command: 'resize' }],
    });
    expect(helpView('qqqqqqqq').entries).toHaveLength(COMMANDS.length);
  });
});
