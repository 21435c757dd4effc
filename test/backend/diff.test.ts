// The pure core of polling and routing: diff → events, event ids, subscription matching, alert views.
import {
  clusterKey,
  diffWorkspace,
  jobKey,
  type ObservedCluster,
  type ObservedJob,
  type SnapshotRow,
} from '../../shared/core/diff';
import {
  eventId,
  parseEventsMessage,
  type EventBatch,
  type EventBatchRef,
  type JobEvent,
} from '../../shared/core/events';
import { matchesSubscription } from '../../shared/core/subscription-match';
import { clusterAlertView, digestView, jobAlertView, DIGEST_MAX_ITEMS } from '../../shared/core/alert-view';
import type { JobState } from '../../shared/core/commands';
import { toActivity } from '../../cards/activity';
import { byteSize, MAX_CARD_BYTES } from '../../cards/fit';
import { SLACK_MAX_BLOCKS } from '../../cards/slack';
import { validateAdaptiveCard } from '../../cards/validate';

const ws = { resourceGroup: 'rg', workspace: 'ws' };

function job(name: string, state: JobState, at: string, exp = 'exp'): ObservedJob {
  return {
    row: {
      kind: 'job',
      key: jobKey(exp, name),
      resourceId: `/sub/x/experiments/${exp}/jobs/${name}`,
      experiment: exp,
      job: name,
      state,
      at,
      cluster: 'gpu',
      nodeCount: 1,
    },
    createdAt: 't0',
    summary: {
      workspace: 'ws',
      experiment: exp,
      name,
      state,
      cluster: 'gpu',
      nodeCount: 1,
      errors: [],
      ...(state === 'failed' ? { exitCode: 3 } : {}),
    },
    outputDirectoryIds: ['model'],
  };
}

function cluster(name: string, allocationState: 'steady' | 'resizing', nodes: number, at: string): ObservedCluster {
  return {
    row: {
      kind: 'cluster',
      key: clusterKey(name),
      resourceId: `/sub/x/clusters/${name}`,
      cluster: name,
      vmSize: 'NC6',
      allocationState,
      nodeCount: nodes,
      at,
    },
    view: {
      workspace: 'ws',
      name,
      vmSize: 'NC6',
      allocationState,
      currentNodeCount: nodes,
      nodes: { idle: nodes, running: 0, preparing: 0, leaving: 0, unusable: 0 },
      scale: { mode: 'manual', targetNodeCount: nodes },
      errors: [],
    },
  };
}

const rows = (...os: Array<ObservedJob | ObservedCluster>) =>
  new Map<string, SnapshotRow>(os.map((o) => [o.row.key, o.row]));

describe('diffWorkspace', () => {
  it('baseline: records everything, announces nothing', () => {
    const d = diffWorkspace(
      ws,
      new Map(),
      { jobs: [job('a', 'succeeded', 't1')], clusters: [cluster('gpu', 'steady', 2, 't1')] },
      { baseline: true },
    );
    expect(d.events).toEqual([]);
    expect(d.upserts).toHaveLength(2);
  });

  it('one event per transition; nothing at all when nothing changed', () => {
    const before = rows(job('a', 'queued', 't1'), job('b', 'running', 't1'), cluster('gpu', 'steady', 0, 't1'));
    const same = diffWorkspace(ws, before, {
      jobs: [job('a', 'queued', 't1'), job('b', 'running', 't1')],
      clusters: [cluster('gpu', 'steady', 0, 't1')],
    });
    expect(same).toEqual({ events: [], upserts: [], deletes: [] });

    const d = diffWorkspace(ws, before, {
      jobs: [job('a', 'running', 't2'), job('c', 'succeeded', 't3')],
      clusters: [cluster('gpu', 'resizing', 0, 't2')],
    });
    const summary = d.events.map((e) =>
      e.kind === 'job' ? `${e.job}:${e.from ?? '-'}>${e.to}` : `${e.cluster}:${e.change}`,
    );
    expect(summary.sort()).toEqual(
      ['a:queued>running', 'b:running>deleted', 'c:->created', 'c:->succeeded', 'gpu:resizing'].sort(),
    );
    expect(d.upserts.map((r) => r.key).sort()).toEqual(['cluster:gpu', 'job:exp:a', 'job:exp:c']);
    expect(d.deletes.map((r) => r.key)).toEqual(['job:exp:b']);
  });

  it('gives the same ids when the same transition is seen again (a retried tick)', () => {
    const before = rows(job('a', 'running', 't1'));
    const now = { jobs: [job('a', 'failed', 't2')], clusters: [cluster('gpu', 'steady', 3, 't2')] };
    const events = diffWorkspace(ws, before, now).events;
    const first = events.map((e) => e.id);
    const again = diffWorkspace(ws, before, now).events.map((e) => e.id);
    expect(again).toEqual(first);
    expect(events.find((e) => e.kind === 'job')?.id).toBe(eventId('/SUB/x/experiments/exp/jobs/a', 'failed', 't2'));
    expect(new Set(first).size).toBe(first.length);
  });

  it('reports a node count change of a steady cluster, with the count before', () => {
    const d = diffWorkspace(ws, rows(cluster('gpu', 'steady', 1, 't1')), {
      jobs: [],
      clusters: [cluster('gpu', 'steady', 4, 't1')],
    });
    expect(d.events).toMatchObject([{ kind: 'cluster', change: 'nodes', fromNodeCount: 1 }]);
  });
});

describe('matchesSubscription', () => {
  const [created, failed] = diffWorkspace(ws, new Map(), { jobs: [job('j7', 'failed', 't2')], clusters: [] })
    .events as JobEvent[];
  const [resize] = diffWorkspace(ws, rows(cluster('gpu', 'steady', 1, 't1')), {
    jobs: [],
    clusters: [cluster('gpu', 'resizing', 1, 't2')],
  }).events;

  it('defaults to succeeded, failed and cluster changes', () => {
    expect(matchesSubscription({}, failed)).toBe(true);
    expect(matchesSubscription({}, created)).toBe(false);
    expect(matchesSubscription({}, resize)).toBe(true);
    expect(matchesSubscription({ states: ['created'] }, created)).toBe(true);
  });

  it('narrows by workspace, experiment, cluster, job and submitter, case-insensitively', () => {
    expect(matchesSubscription({ workspace: 'WS' }, failed)).toBe(true);
    expect(matchesSubscription({ workspace: 'rg/ws' }, failed)).toBe(true);
    expect(matchesSubscription({ workspace: 'other' }, failed)).toBe(false);
    expect(matchesSubscription({ experiment: 'exp' }, failed)).toBe(true);
    expect(matchesSubscription({ experiment: 'exp' }, resize)).toBe(false);
    expect(matchesSubscription({ cluster: 'GPU' }, failed)).toBe(true);
    expect(matchesSubscription({ cluster: 'cpu' }, resize)).toBe(false);
    expect(matchesSubscription({ job: 'exp/j7' }, failed)).toBe(true);
    expect(matchesSubscription({ job: 'other/j7' }, failed)).toBe(false);
    expect(matchesSubscription({ submittedBy: 'u1' }, failed, 'u1')).toBe(true);
    expect(matchesSubscription({ submittedBy: 'u1' }, failed, 'u2')).toBe(false);
    expect(matchesSubscription({ submittedBy: 'u1' }, failed)).toBe(false);
  });
});

describe('alert views', () => {
  const events = diffWorkspace(ws, new Map(), {
    jobs: Array.from({ length: 25 }, (_, i) => job(`j${i}`, 'failed', 't')),
    clusters: [],
  }).events.filter((e) => e.kind === 'job' && e.to === 'failed') as JobEvent[];

  it('job alert: headline with exit code, tails and outputs passed through, actions from the job', () => {
    const tails = [{ file: 'stdout.txt', lines: ['done'], truncated: false, size: 5 }];
    const v = jobAlertView(events[0], { tails });
    expect(v.headline).toBe('Job exp/j0 failed (exit code 3)');
    expect(v.tails).toBe(tails);
    expect(v.actions.map((a) => a.command)).toContain('logs exp/j0');
  });

  it('cluster alert says the count before and after', () => {
    const [e] = diffWorkspace(ws, rows(cluster('gpu', 'resizing', 0, 't1')), {
      jobs: [],
      clusters: [cluster('gpu', 'steady', 4, 't2')],
    }).events;
    if (e.kind !== 'cluster') throw new Error('expected a cluster event');
    expect(clusterAlertView(e).message).toBe('Cluster gpu finished resizing: 4 nodes (was 0 nodes).');
  });

  it('digest caps its items and counts the rest', () => {
    const d = digestView(events);
    expect(d.title).toBe('25 updates in ws');
    expect(d.items).toHaveLength(DIGEST_MAX_ITEMS + 1);
    expect(d.items[0]).toMatchObject({
      title: 'exp/j0',
      state: 'failed',
      text: 'failed · exit 3',
      command: 'job exp/j0',
    });
    expect(d.items[DIGEST_MAX_ITEMS].title).toBe('… and 5 more');
  });
});

describe('a digest of 1,000 updates', () => {
  const burst = diffWorkspace(ws, new Map(), {
    jobs: Array.from({ length: 1000 }, (_, i) => job(`job-${i}`, 'succeeded', 't')),
    clusters: [],
  }).events.filter((e) => e.kind === 'job' && e.to === 'succeeded');

  it('stays a valid Adaptive Card under the size limit, and within Block Kit limits, with "… and N more"', () => {
    const view = digestView(burst);
    expect(view.title).toBe('1000 updates in ws');
    for (const channel of ['msteams', 'webchat'] as const) {
      const a = toActivity(view, channel);
      const card = a.attachments![0].content;
      expect(validateAdaptiveCard(card)).toEqual([]);
      expect(byteSize(card)).toBeLessThan(MAX_CARD_BYTES);
      expect(JSON.stringify(card)).toContain(`… and ${1000 - DIGEST_MAX_ITEMS} more`);
    }
    const slack = toActivity(view, 'slack');
    expect(slack.channelData!.blocks.length).toBeLessThanOrEqual(SLACK_MAX_BLOCKS);
    expect(JSON.stringify(slack)).toContain(`… and ${1000 - DIGEST_MAX_ITEMS} more`);
  });
});

describe('event messages', () => {
  const events = diffWorkspace(ws, new Map(), { jobs: [job('a', 'succeeded', 't')], clusters: [] }).events;
  const v1: EventBatch = { v: 1, batchId: 'b1', workspace: ws, tickAt: 'tick', events };
  const v2: EventBatchRef = {
    v: 2,
    batchId: 'b2',
    workspace: ws,
    tickAt: 'tick',
    count: 2,
    ref: { table: 'eventbatches', chunks: 1 },
  };

  it('reads the v2 reference and the older inline v1 batch, in every encoding', () => {
    expect(parseEventsMessage(v2)).toEqual(v2);
    expect(parseEventsMessage(JSON.stringify(v2))).toEqual(v2);
    expect(parseEventsMessage(Buffer.from(JSON.stringify(v2)).toString('base64'))).toEqual(v2);
    expect(parseEventsMessage(Buffer.from(JSON.stringify(v1)).toString('base64'))).toEqual(v1);
    expect(Buffer.from(JSON.stringify(v2)).toString('base64').length).toBeLessThan(1024);
  });

  it('rejects a message that is not an events message, saying what was expected', () => {
    expect(() => parseEventsMessage('not json at all')).toThrow(/expected JSON/);
    expect(() => parseEventsMessage({ v: 2 })).toThrow(/expected \{v: 2, batchId, workspace, tickAt, count, ref/);
    expect(() => parseEventsMessage({ ...v2, ref: { table: 'eventbatches', chunks: 0 } })).toThrow(
      /b2: expected \{v: 2/,
    );
    expect(() => parseEventsMessage({ ...v2, v: 3 })).toThrow(/or the older \{v: 1/);
    expect(() => parseEventsMessage({ ...v1, events: [{ kind: 'pod', id: 'x' }] })).toThrow(
      /b1: expected events of kind job or cluster/,
    );
  });
});
