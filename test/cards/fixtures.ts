import { join } from 'node:path';
// One View of every kind, built from the real swagger example responses through the Batch AI adapter's mapping
// into the compute model and the view builders.
import { readFileSync } from 'node:fs';
import { clusterFromBatchAi, jobFromBatchAi } from '../../shared/batchai/compute';
import type { Cluster, File, Job } from '../../shared/batchai/types';
import { toClusterFacts, toClusterView } from '../../shared/core/cluster-view';
import { helpView } from '../../shared/core/help';
import { toJobSummary, toJobView } from '../../shared/core/job-view';
import type { View } from '../../shared/core/views';

const EXAMPLES = join(__dirname, '..', 'fixtures', 'batchai-examples');
export const example = <T>(file: string): T =>
  JSON.parse(readFileSync(`${EXAMPLES}/${file}`, 'utf8')).responses['200'].body as T;

const getJob = example<Job>('GetJob.json');
const finished: Job = {
  ...getJob,
  properties: {
    ...getJob.properties,
    executionState: 'succeeded',
    executionInfo: { startTime: '2017-09-27T23:36:54.115Z', endTime: '2017-09-27T23:41:10.000Z', exitCode: 0 },
  },
};
const files = example<{ value: File[] }>('ListOutputFiles.json').value;
const cluster = example<Cluster>('GetCluster.json');
const jobs = example<{ value: Job[] }>('ListJobByExperiment.json').value;
const clusters = example<{ value: Cluster[] }>('ListClusterByWorkspace.json').value;

export const tailLines = [
  'epoch 1 loss=2.31',
  'epoch 2 loss=1.02',
  '  File "train.py", line 3',
  '*bold* _x_ <b>&amp; [link](http://x)',
  'done',
];

export function allViews(): Record<View['kind'], View> {
  const ws = 'demo_workspace';
  return {
    job: toJobView(jobFromBatchAi(finished), ws, {
      headline: 'Job finished',
      tails: [{ file: 'stdout.txt', lines: tailLines, truncated: true, size: 48213 }],
      outputs: [
        {
          id: 'stdouterr',
          expiresAt: '2017-09-28T01:22:35Z',
          more: false,
          files: files.map((f) => ({
            name: f.name ?? '',
            url: f.downloadUrl ?? '',
            isDirectory: f.fileType === 'directory',
            ...(f.properties?.contentLength === undefined ? {} : { size: f.properties.contentLength }),
          })),
        },
      ],
    }),
    cluster: { ...toClusterView(clusterFromBatchAi(cluster), ws), headline: 'Resizing to 1 node' },
    'job-list': {
      kind: 'job-list',
      title: 'Jobs in demo_experiment',
      jobs: [...jobs, getJob].map((j) => toJobSummary(jobFromBatchAi(j), ws)),
      more: 3,
    },
    'cluster-list': {
      kind: 'cluster-list',
      title: 'Clusters',
      clusters: clusters.map((c) => toClusterFacts(clusterFromBatchAi(c), ws)),
    },
    help: helpView(),
    error: {
      kind: 'error',
      title: 'Not a command',
      message: 'Unknown command "resise". Did you mean resize?',
      hint: 'resize <cluster> <nodes>',
      actions: [{ title: 'Help', command: 'help resize' }],
    },
    confirm: {
      kind: 'confirm',
      title: 'Terminate demo_experiment/demo_job?',
      message: 'The job is running on demo_cluster; its processes will be killed.',
      confirm: { title: 'Terminate', command: 'terminate demo_experiment/demo_job --yes', style: 'destructive' },
      cancel: { title: 'Cancel', command: 'job demo_experiment/demo_job' },
    },
    text: {
      kind: 'text',
      title: 'Dry run: submit hello',
      text: 'This request would be sent:',
      facts: [{ title: 'Cluster', value: 'demo_cluster' }],
      code: JSON.stringify(
        { properties: { nodeCount: 1, customToolkitSettings: { commandLine: 'echo hi' } } },
        null,
        2,
      ),
      actions: [{ title: 'Submit', command: 'submit hello', style: 'positive' }],
    },
    'template-list': {
      kind: 'template-list',
      templates: [
        { name: 'hello', description: 'Prints and sleeps', parameters: ['greeting', 'seconds'] },
        { name: 'plain', parameters: [] },
      ],
    },
    'subscription-list': {
      kind: 'subscription-list',
      subscriptions: [
        { id: 'sub-1', filter: { experiment: 'mnist', states: ['failed'] }, description: 'failed jobs in mnist' },
      ],
    },
    'cluster-alert': {
      kind: 'cluster-alert',
      title: 'Cluster demo_cluster is idle',
      message: 'No jobs for 30 minutes: it will be scaled to zero in 10 minutes.',
      cluster: toClusterFacts(clusterFromBatchAi(cluster), ws),
      actions: [{ title: 'Keep it up 1 h', command: 'keep-up demo_cluster 1', style: 'positive' }],
    },
    digest: {
      kind: 'digest',
      title: '3 updates',
      items: [
        {
          title: 'demo_experiment/job1',
          state: 'succeeded',
          text: 'Succeeded in 4m 16s',
          command: 'job demo_experiment/job1',
        },
        {
          title: 'demo_experiment/job2',
          state: 'failed',
          text: 'Failed with exit code 1',
          command: 'job demo_experiment/job2',
        },
        { title: 'demo_cluster', text: 'Resized to 2 nodes' },
      ],
    },
  };
}
