// A failed job's card names its cause and quotes the line, on both platforms, masked like every card.
import { renderAdaptive } from '../../cards/adaptive';
import { renderSlack } from '../../cards/slack';
import { validateAdaptiveCard } from '../../cards/validate';
import { jobFromBatchAi } from '../../shared/batchai/compute';
import type { Job } from '../../shared/batchai/types';
import { jobAlertView } from '../../shared/core/alert-view';
import type { JobEvent } from '../../shared/core/events';
import { toJobView } from '../../shared/core/job-view';
import { example } from './fixtures';

const getJob = example<Job>('GetJob.json');
const failedJob = jobFromBatchAi({
  ...getJob,
  properties: {
    ...getJob.properties,
    executionState: 'failed',
    executionInfo: {
      startTime: '2017-09-27T23:36:54.115Z',
      endTime: '2017-09-27T23:41:10.000Z',
      exitCode: 1,
      errors: [{ code: 'JobFailed', message: 'The job failed with exit code 1.' }],
    },
  },
});
const stderr = [
  'Traceback (most recent call last):',
  '  File "train.py", line 88, in <module>',
  '    loss.backward()',
  'torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB (WANDB password=hunter2-secret)',
];
const tails = [
  { file: 'stdout.txt', lines: ['epoch 1 loss=2.31'], truncated: false, size: 18 },
  { file: 'stderr.txt', lines: stderr, truncated: false, size: 300 },
];

describe('a failed job card with its cause', () => {
  const view = toJobView(failedJob, 'demo_workspace', { tails });

  it('the view names the cause from the stderr tail', () => {
    expect(view.cause?.title).toBe('GPU out of memory');
    expect(view.cause?.quote).toMatch(/^torch\.OutOfMemoryError: CUDA out of memory/);
  });

  it('Adaptive Card: validates, says the cause, quotes the line masked', () => {
    const card = renderAdaptive(view, 'execute');
    expect(validateAdaptiveCard(card)).toEqual([]);
    const json = JSON.stringify(card);
    expect(json).toContain('Cause: GPU out of memory');
    expect(json).toContain('The line that says so');
    expect(json).toContain('password=***');
    expect(card).toMatchSnapshot();
  });

  it('Slack: says the cause in the blocks and in the notification text', () => {
    const { blocks, text } = renderSlack(view);
    expect(text).toContain('GPU out of memory');
    expect(JSON.stringify(blocks)).toContain('Cause: GPU out of memory');
  });

  it('the alert of the same failure carries the cause too', () => {
    const e = {
      kind: 'job',
      to: 'failed',
      workspace: { resourceGroup: 'rg', workspace: 'demo_workspace' },
      experiment: view.job.experiment,
      job: view.job.name,
      summary: view.job,
      outputDirectoryIds: [],
    } as unknown as JobEvent;
    expect(jobAlertView(e, { tails }).cause?.title).toBe('GPU out of memory');
  });

  it('a succeeded job has no cause', () => {
    const ok = toJobView({ ...failedJob, state: 'succeeded', exitCode: 0, errors: [] }, 'w', { tails });
    expect(ok.cause).toBeUndefined();
  });
});

describe('hunter2 never reaches a rendered card', () => {
  it('is masked in the quote and in the tail, in both renderings', () => {
    const view = toJobView(failedJob, 'demo_workspace', { tails: [tails[1]!] });
    expect(view.cause?.quote).toContain('hunter2'); // the view holds the log as it is; rendering masks
    for (const v of [view, { ...view, tails: [] }]) {
      expect(JSON.stringify(renderAdaptive(v))).not.toContain('hunter2');
      expect(JSON.stringify(renderSlack(v))).not.toContain('hunter2');
    }
  });
});
