// The progress reader's tick against a compute port that answers from memory and counts calls, an in-memory
// watch store and a recording sender: the budget per tick, one card update per updateSeconds, no stuck alert for
// a job still queued, one for a running job that went quiet, [Keep waiting] re-arming it once. The clock is
// injected.
import type { BotDeps } from '../../bot/deps';
import type { HandlerContext } from '../../bot/handler';
import { keepWaiting } from '../../bot/handlers/keep-waiting';
import { createFollowUpStep } from '../../bot/follow-up-step';
import { createProgressReader } from '../../bot/progress-reader';
import type { ComputeJob, JobRef, JobState, OutputFile } from '../../shared/compute/model';
import type { ComputePort } from '../../shared/compute/port';
import { loadConfig } from '../../shared/config';
import { requestsPerTickAtMost } from '../../shared/core/progress-plan';
import type { View } from '../../shared/core/views';
import type { ProgressWatch, ProgressWatchStore } from '../../shared/storage/progress-watch-store';

const budget = { maxJobs: 3, updateSeconds: 60, stallMinutes: 30 };
const config = loadConfig({
  COMPUTE_SUBSCRIPTION_ID: '00000000-0000-0000-0000-000000000000',
  COMPUTE_WORKSPACES: 'rg/ws',
  AzureWebJobsStorage: 'UseDevelopmentStorage=true',
});

function setup(jobs: number) {
  let t = Date.parse('2026-12-07T02:00:00Z');
  const now = () => new Date(t);
  const calls: string[] = [];
  const state = new Map<string, JobState>();
  const logs = new Map<string, string>();
  const compute: Partial<ComputePort> = {
    labels: { service: 'Batch AI', workspace: 'Workspace', cluster: 'Cluster' },
    async getJob(ref: JobRef): Promise<ComputeJob> {
      calls.push(`get ${ref.job}`);
      return {
        id: ref.job,
        name: ref.job,
        experiment: ref.experiment,
        state: state.get(ref.job) ?? 'running',
        cluster: 'gpu',
        nodeCount: 2,
        errors: [],
        outputDirectoryIds: [],
      };
    },
    async getCluster(ref) {
      calls.push(`cluster ${ref.cluster}`);
      return { vmSize: 'STANDARD_NC6' } as never;
    },
    async *listOutputFiles(ref) {
      calls.push(`list ${ref.job}`);
      const text = logs.get(ref.job) ?? '';
      yield { name: 'stdout.txt', isDirectory: false, size: text.length } as OutputFile;
    },
    async readTail(ref) {
      calls.push(`read ${ref.job}`);
      return { lines: (logs.get(ref.job) ?? '').split('\n'), truncated: false };
    },
  };
  const rows = new Map<string, ProgressWatch>();
  const watches: ProgressWatchStore = {
    add: async (w) => void rows.set(w.activityId, structuredClone(w)),
    save: async (w) => void rows.set(w.activityId, structuredClone(w)),
    get: async (w) => structuredClone(rows.get(w.activityId)),
    list: async () => [...rows.values()].map((w) => structuredClone(w)),
    forJob: async (j, conv) =>
      [...rows.values()].filter((w) => w.conversationId === conv && w.job.job === j.job).map((w) => structuredClone(w)),
    remove: async (w) => void rows.delete(w.activityId),
  };
  const sent: Array<{ kind: 'send' | 'update'; id?: string; view: View }> = [];
  const deps = {
    compute: compute as ComputePort,
    stores: { conversations: { get: async (id: string) => ({ conversationId: id }) } },
    sender: {
      send: async (_c: unknown, view: View) => {
        sent.push({ kind: 'send', view });
        return { id: `alert-${sent.length}` };
      },
      update: async (_c: unknown, id: string, view: View) => void sent.push({ kind: 'update', id, view }),
    },
    config,
    now,
    log: () => undefined,
  } as unknown as BotDeps;
  deps.progressWatches = watches;
  const reader = createProgressReader({ ...deps, watches, budget });
  for (let i = 0; i < jobs; i++) {
    rows.set(`card-${i}`, {
      job: { resourceGroup: 'rg', workspace: 'ws', experiment: 'exp', job: `job-${i}` },
      conversationId: 'conv',
      activityId: `card-${i}`,
      state: { stdoutSize: 0, stderrSize: 0, grewAt: now().toISOString() },
      points: [],
    });
  }
  return { reader, deps, calls, sent, state, logs, rows, advance: (s: number) => (t += s * 1000) };
}

test('within budget: at most maxJobs looked at, ≤ 4 requests each; every job gets its turn', async () => {
  const s = setup(7);
  for (let i = 0; i < 7; i++) s.logs.set(`job-${i}`, 'Epoch 1/2\n3/10 [=>...] - ETA: 7s - loss: 0.9');
  const r = await s.reader.tick();
  expect(r.looked).toBe(3);
  expect(r.requests).toBe(s.calls.length);
  expect(r.requests).toBeLessThanOrEqual(requestsPerTickAtMost(budget, 7));
  expect(r.updated).toBe(3);
  s.advance(5);
  await s.reader.tick();
  s.advance(5);
  await s.reader.tick();
  // Three ticks of three: all seven looked at, the first again only after the others.
  const looked = new Set(s.calls.filter((c) => c.startsWith('list')).map((c) => c.slice(5)));
  expect(looked.size).toBe(7);
});

test('a card is updated at most once per updateSeconds, however often its job prints', async () => {
  const s = setup(1);
  s.logs.set('job-0', 'step=1 loss=2');
  await s.reader.tick();
  s.advance(10);
  s.logs.set('job-0', 'step=1 loss=2\nstep=2 loss=1.5');
  await s.reader.tick();
  expect(s.sent.filter((x) => x.kind === 'update')).toHaveLength(1);
  s.advance(60);
  s.logs.set('job-0', 'step=1 loss=2\nstep=2 loss=1.5\nstep=3 loss=1.1');
  await s.reader.tick();
  const updates = s.sent.filter((x) => x.kind === 'update');
  expect(updates).toHaveLength(2);
  const last = updates[1]!.view;
  expect(last.kind === 'job' && last.progress?.metrics).toEqual([{ name: 'loss', value: 1.1 }]);
  expect(last.kind === 'job' && last.progress?.chart?.points.map((p) => p.x)).toEqual([1, 2, 3]);
});

test('no stuck alert for a job still queued; one for a running job that went quiet', async () => {
  const s = setup(1);
  s.state.set('job-0', 'queued');
  s.advance(31 * 60);
  expect((await s.reader.tick()).stuck).toBe(0);
  expect(s.sent.filter((x) => x.kind === 'send')).toHaveLength(0);
  s.state.set('job-0', 'running');
  s.advance(29 * 60);
  expect((await s.reader.tick()).stuck).toBe(0);
  s.advance(2 * 60);
  expect((await s.reader.tick()).stuck).toBe(1);
  s.advance(10 * 60);
  expect((await s.reader.tick()).stuck).toBe(0);
  const [alert] = s.sent.filter((x) => x.kind === 'send');
  expect(alert!.view).toMatchObject({ kind: 'text', title: 'No output for 31 min: exp/job-0' });
  expect(JSON.stringify(alert!.view)).toMatch(/2 nodes on gpu \(STANDARD_NC6\)/);
});

test('an ended job: its final card, then the watch kept (marked ended) and left alone', async () => {
  const s = setup(1);
  s.logs.set('job-0', 'step=1 loss=2\nstep=2 loss=1');
  await s.reader.tick();
  s.state.set('job-0', 'succeeded');
  s.advance(61);
  const r = await s.reader.tick();
  expect(r.ended).toBe(1);
  expect(s.rows.get('card-0')?.endedAt).toBeDefined();
  s.advance(61);
  expect((await s.reader.tick()).looked).toBe(0);
  s.advance(3600);
  await s.reader.tick();
  expect(s.rows.size).toBe(0);
});

describe('[Keep waiting]', () => {
  const press = (s: ReturnType<typeof setup>, userName = 'Ann') => {
    const ctx = {
      deps: s.deps,
      turn: { conversationId: 'conv', userId: 'u-ann', userName },
      scope: async () => ({ ref: { resourceGroup: 'rg', workspace: 'ws' }, experiment: 'exp' }),
    } as unknown as HandlerContext;
    return keepWaiting({ kind: 'keep-waiting', job: { experiment: 'exp', job: 'job-0' } }, ctx);
  };
  const alerts = (s: ReturnType<typeof setup>) => s.sent.filter((x) => x.kind === 'send');

  async function stalled() {
    const s = setup(1);
    s.advance(31 * 60);
    expect((await s.reader.tick()).stuck).toBe(1);
    return s;
  }

  test('records who, updates the alert in place, and one more alert comes after another stall window', async () => {
    const s = await stalled();
    s.advance(5 * 60);
    const reply = await press(s);
    const text = JSON.stringify(reply.view);
    expect(text).toContain('Ann chose to keep waiting at 2026-12-07 02:36 UTC');
    expect(text).toContain('still silent at 2026-12-07 03:06 UTC, one more alert comes');
    expect(reply.view.kind === 'text' && reply.view.actions?.map((a) => a.title)).toEqual(['Terminate']);
    const update = s.sent.find((x) => x.kind === 'update' && x.id === 'alert-1');
    expect(update?.view).toEqual(reply.view);
    expect(s.rows.get('card-0')?.state.stallAlert?.keptWaiting).toEqual({ by: 'Ann', at: '2026-12-07T02:36:00.000Z' });
    // Quiet ticks: nothing until the new window ends, then exactly one alert, then none however long it stays quiet.
    for (const minutes of [10, 19]) {
      s.advance(minutes * 60);
      expect((await s.reader.tick()).stuck).toBe(0);
    }
    s.advance(60);
    expect((await s.reader.tick()).stuck).toBe(1);
    for (let i = 0; i < 5; i++) {
      s.advance(30 * 60);
      expect((await s.reader.tick()).stuck).toBe(0);
    }
    expect(alerts(s)).toHaveLength(2);
    expect(alerts(s)[1]!.view).toMatchObject({ title: 'No output for 66 min: exp/job-0' });
    // The second alert is a fresh one: its own [Keep waiting] again.
    expect(JSON.stringify(alerts(s)[1]!.view)).toContain('keep-waiting exp/job-0');
  });

  test('a job that speaks clears it: no re-armed alert; the button then finds nothing to wait for', async () => {
    const s = await stalled();
    await press(s);
    s.advance(60);
    s.logs.set('job-0', 'step=1 loss=2');
    await s.reader.tick();
    expect(s.rows.get('card-0')?.state.rearmedAt).toBeUndefined();
    expect(s.rows.get('card-0')?.state.stallAlert).toBeUndefined();
    // Quiet again: a new stall counts from when it spoke, a full window.
    s.advance(29 * 60);
    expect((await s.reader.tick()).stuck).toBe(0);
    const late = await press(s, 'Bob');
    expect(late.view).toMatchObject({ kind: 'text', title: 'Nothing to wait for: exp/job-0' });
    s.advance(60);
    expect((await s.reader.tick()).stuck).toBe(1);
    expect(alerts(s)).toHaveLength(2);
  });
});

// The progress reader and the card's follow-up (bot/follow-up-step.ts) both update a submitted job's card. Held
// at the worst points: the follow-up has read the watch (no progress yet) and is about to send; the reader sends
// its card with the bar and chart meanwhile and is held before its own save of the tick; then the follow-up's
// send lands last. The card must still show the progress: a card never loses it once shown.
describe('two writers of one card', () => {
  const gate = () => {
    let open = () => {};
    const opened = new Promise<void>((r) => {
      open = r;
    });
    return { open, opened };
  };

  test("the follow-up's update that lands after the reader's keeps the progress the reader showed", async () => {
    const s = setup(1);
    s.logs.set('job-0', 'Epoch 1/2\nstep=3 loss=0.9\nstep=4 loss=0.8');
    const card = () => s.sent.filter((x) => x.kind === 'update' && x.id === 'card-0').map((x) => x.view);
    const shows = (v: View | undefined) => v?.kind === 'job' && v.progress?.chart !== undefined;
    const followUpAtSend = gate();
    const followUpSends = gate();
    const readerSent = gate();
    const readerSaves = gate();
    const sender = s.deps.sender;
    const step = createFollowUpStep({
      ...s.deps,
      followUps: {
        current: async (m) => ({ value: { chain: m.chain, seq: m.seq, key: m.key, claimedBy: '' }, etag: 'e' }),
        claim: async () => true,
        enqueue: async () => undefined,
        finish: async () => undefined,
        start: async () => {
          throw new Error('not here');
        },
      },
      sender: {
        ...sender,
        update: async (c, id, view) => {
          followUpAtSend.open();
          await followUpSends.opened;
          return sender.update(c, id, view);
        },
      },
    });
    const reader = createProgressReader({
      ...s.deps,
      sender: {
        ...sender,
        update: async (c, id, view) => {
          await sender.update(c, id, view);
          readerSent.open();
        },
      },
      watches: {
        ...s.deps.progressWatches!,
        save: async (w) => {
          // The tick's own save, after its card went out (a write before it is not held).
          if (card().length > 0) await readerSaves.opened;
          return s.deps.progressWatches!.save(w);
        },
      },
      budget,
    });
    // The job was queued when submitted; it runs now: the follow-up redraws the card for that change.
    const message = {
      v: 1,
      chain: 'c1',
      seq: 0,
      target: { kind: 'job', job: s.rows.get('card-0')!.job, headline: 'submit' },
      conversationId: 'conv',
      activityId: 'card-0',
      key: 'queued',
      deadline: '2026-12-07T03:00:00Z',
    };
    const followUp = step(message, 'delivery-1');
    await followUpAtSend.opened;
    const tick = reader.tick();
    await readerSent.opened;
    expect(shows(card().at(-1))).toBe(true);
    followUpSends.open();
    expect((await followUp).outcome).toBe('updated');
    readerSaves.open();
    expect((await tick).updated).toBe(1);
    const last = card().at(-1);
    expect(last?.kind === 'job' && last.job.state).toBe('running');
    expect(shows(last)).toBe(true);
    expect(last?.kind === 'job' && last.progress?.metrics).toEqual([{ name: 'loss', value: 0.8 }]);
  });
});
