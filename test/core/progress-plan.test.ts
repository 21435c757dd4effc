// The progress reader's decisions, pure: whom to look at within the budget, what to read, when a stall is one
// alert (and only one), when a card may be updated, and the card's progress view.
import { progressBlocks, progressLine } from '../../cards/progress-layout';
import { parseProgress } from '../../shared/core/progress-parse';
import {
  look,
  MAX_CHART_POINTS,
  mergePoints,
  pickWatches,
  type ProgressBudget,
  requestsPerTickAtMost,
  toProgressView,
  updateDue,
  type WatchState,
  withRunEta,
} from '../../shared/core/progress-plan';

const budget: ProgressBudget = { maxJobs: 2, updateSeconds: 60, stallMinutes: 30 };
const t0 = new Date('2026-12-07T02:00:00Z');
const at = (min: number) => new Date(t0.getTime() + min * 60_000);
const fresh: WatchState = { stdoutSize: 0, stderrSize: 0, grewAt: t0.toISOString() };

describe('pickWatches', () => {
  it('takes at most maxJobs, least recently looked at first (never looked at before all)', () => {
    const ws = [
      { id: 'a', state: { ...fresh, lookedAt: at(3).toISOString() } },
      { id: 'b', state: { ...fresh, lookedAt: at(1).toISOString() } },
      { id: 'c', state: fresh },
    ];
    expect(pickWatches(ws, budget).map((w) => w.id)).toEqual(['c', 'b']);
    expect(requestsPerTickAtMost(budget, 1000)).toBe(8);
  });
});

describe('look: growth, reads and stalls', () => {
  it('reads only the files that grew', () => {
    const l = look(fresh, { stdout: 10, stderr: 0 }, at(1), budget);
    expect(l.read).toEqual(['stdout.txt']);
    expect(l.state).toMatchObject({ stdoutSize: 10, grewAt: at(1).toISOString(), lookedAt: at(1).toISOString() });
  });

  it('one stuck alert per stall, none before the window, cleared when the job speaks again', () => {
    let s = look(fresh, { stdout: 10, stderr: 5 }, at(0), budget).state;
    const quiet29 = look(s, { stdout: 10, stderr: 5 }, at(29), budget);
    expect(quiet29.stuck).toBe(false);
    const quiet30 = look(quiet29.state, { stdout: 10, stderr: 5 }, at(30), budget);
    expect(quiet30.stuck).toBe(true);
    expect(quiet30.read).toEqual([]);
    const quiet45 = look(quiet30.state, { stdout: 10, stderr: 5 }, at(45), budget);
    expect(quiet45.stuck).toBe(false);
    const spoke = look(quiet45.state, { stdout: 10, stderr: 9 }, at(46), budget);
    expect(spoke).toMatchObject({ stuck: false, spokeAgain: true, read: ['stderr.txt'] });
    s = spoke.state;
    expect(s.stallAlertedAt).toBeUndefined();
    expect(look(s, { stdout: 10, stderr: 9 }, at(76), budget).stuck).toBe(true);
  });

  it("a template's own stall window wins over the default", () => {
    const s = { ...fresh, stallMinutes: 5 };
    expect(look(s, { stdout: 0, stderr: 0 }, at(5), budget).stuck).toBe(true);
  });
});

describe('updateDue', () => {
  it('at most once per updateSeconds, and only with something new', () => {
    expect(updateDue(fresh, true, at(0), budget)).toBe(true);
    const s = { ...fresh, updatedAt: at(0).toISOString() };
    expect(updateDue(s, true, new Date(at(0).getTime() + 59_000), budget)).toBe(false);
    expect(updateDue(s, true, at(1), budget)).toBe(true);
    expect(updateDue(s, false, at(5), budget)).toBe(false);
  });
});

describe('toProgressView and its card lines', () => {
  it('makes the bar, step, rate, ETA and metrics of a tqdm + Keras log', () => {
    const p = parseProgress('Epoch 2/10\n 450/938 [=============>.......] - ETA: 14s - loss: 0.1421 - acc: 0.9583');
    const v = toProgressView(p, [{ x: 100, y: 0.5 }]);
    expect(progressLine(v)).toBe('▰▱▱▱▱▱▱▱▱▱ 14% · epoch 2/10 · step 450/938 · ETA 14s');
    expect(v.chart).toEqual({
      metric: 'loss',
      points: [
        { x: 100, y: 0.5 },
        { x: 450, y: 0.1421 },
      ],
    });
    expect(progressBlocks(v)[1]).toEqual({
      type: 'facts',
      facts: [
        { title: 'loss', value: '0.1421' },
        { title: 'acc', value: '0.9583' },
      ],
    });
  });

  it('shows no credential a log printed as a metric', () => {
    const v = toProgressView(parseProgress('step=3 loss=0.5 token=123456'));
    expect(JSON.stringify(progressBlocks(v))).not.toContain('123456');
  });

  it('keeps a bounded chart that ends at the newest point', () => {
    const many = Array.from({ length: 500 }, (_, i) => ({ x: i, y: 1 / (i + 1) }));
    const merged = mergePoints(many.slice(0, 300), many.slice(250));
    expect(merged.length).toBe(MAX_CHART_POINTS);
    expect(merged[merged.length - 1]).toEqual({ x: 499, y: 1 / 500 });
  });
});

describe('withRunEta', () => {
  it("puts the run's time left over an epoch's ETA, where the run fraction is known", () => {
    expect(withRunEta({ metrics: [], fraction: 0.25, etaSeconds: 3 }, 60).etaSeconds).toBe(180);
    expect(withRunEta({ metrics: [], etaSeconds: 3 }, 60).etaSeconds).toBe(3);
    expect(withRunEta({ metrics: [], fraction: 0.5, etaSeconds: 3 }, undefined).etaSeconds).toBe(3);
  });
});
