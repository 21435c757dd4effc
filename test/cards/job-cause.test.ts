// A failed job's card names its cause and quotes the line, on both platforms, masked like every card.
import { renderAdaptive } from '../../cards/adaptive';
import { renderSlack } from '../../cards/slack';
import { validateAdaptiveCard } from '../../cards/validate';
import { jobFromBatchAi } from '../../shared/batchai/compute';
import type { Job } from '../../shared/batchai/types';
import { DIGEST_MAX_ITEMS, digestView, jobAlertView } from '../../shared/core/alert-view';
import { digestCard } from '../../shared/services/digest-card';
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

describe('a digest of failures', () => {
  const failedEvent = (job: string) =>
    ({
      id: `e-${job}`,
      kind: 'job',
      to: 'failed',
      workspace: { resourceGroup: 'rg', workspace: 'demo_workspace' },
      experiment: 'exp',
      job,
      summary: { ...toJobView(failedJob, 'demo_workspace').job, name: job },
      outputDirectoryIds: [],
    }) as unknown as JobEvent;
  const events = ['a', 'b', 'c', 'd'].map(failedEvent);
  // The notifier works each cause out from the job's own alert content (shared/services/digest-card.ts).
  const causes = new Map([['e-a', toJobView(failedJob, 'demo_workspace', { tails }).cause!]]);
  const view = digestView(events, causes);

  it("names a failed job's cause in its item, on one line, its quote masked, on both platforms", () => {
    expect(view.items[0]!.cause?.title).toBe('GPU out of memory');
    expect(view.items[1]!.cause).toBeUndefined();
    const card = renderAdaptive(view, 'execute');
    expect(validateAdaptiveCard(card)).toEqual([]);
    for (const json of [JSON.stringify(card), JSON.stringify(renderSlack(view))]) {
      expect(json).toContain('failed · exit 1');
      expect(json).toMatch(/Cause: GPU out of memory \(torch\.OutOfMemoryError: CUDA out of memory/);
      expect(json).not.toContain('hunter2');
      expect(json.match(/Cause: /g)).toHaveLength(1);
    }
  });

  it("reads how each shown job ended and each failed one's cause, for the items shown only", async () => {
    const seen: string[] = [];
    const detailed: string[] = [];
    const many = [...events, ...Array.from({ length: DIGEST_MAX_ITEMS }, (_, i) => failedEvent(`z${i}`))];
    const card = await digestCard(many, {
      detailed: async (e) => {
        detailed.push(e.id);
        return e.id === 'e-a' ? { ...e, summary: { ...(e as JobEvent).summary, exitCode: 137 } } : e;
      },
      viewOf: async (e) => {
        seen.push(e.id);
        return toJobView(failedJob, 'demo_workspace', e.id === 'e-b' ? { tails } : {});
      },
    });
    expect(seen).toHaveLength(DIGEST_MAX_ITEMS);
    expect(detailed).toEqual(many.slice(0, DIGEST_MAX_ITEMS).map((e) => e.id));
    // Without a tail, exit code 1 names no cause; with one, the tail does.
    expect(card.items.map((i) => i.cause?.title ?? '')).toEqual(['', 'GPU out of memory', ...Array(19).fill('')]);
    // The read ending is the one shown; the rest are counted.
    expect(card.items[0]!.text).toContain('exit 137');
    expect(card.items.at(-1)!.title).toBe(`… and ${many.length - DIGEST_MAX_ITEMS} more`);
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
