// The idle decision, table-driven: (cluster state, last activity, keep-up, warning, now) → none | warn | scale.
import {
  decideIdle,
  idleWarningView,
  latest,
  owedScaleCard,
  scaledToZeroView,
  type IdleInput,
} from '../../shared/core/idle-policy';
import type { ClusterView } from '../../shared/core/views';

const NOW = new Date('2024-05-01T12:00:00Z');
const ago = (min: number) => new Date(NOW.getTime() - min * 60_000).toISOString();
const ahead = (min: number) => new Date(NOW.getTime() + min * 60_000).toISOString();

const manual2: IdleInput['cluster'] = {
  currentNodeCount: 2,
  allocationState: 'steady',
  scale: { mode: 'manual', targetNodeCount: 2 },
};
const auto14: IdleInput['cluster'] = {
  currentNodeCount: 1,
  allocationState: 'steady',
  scale: { mode: 'auto', min: 1, max: 4 },
};
const auto04: IdleInput['cluster'] = {
  currentNodeCount: 1,
  allocationState: 'steady',
  scale: { mode: 'auto', min: 0, max: 4 },
};

function input(extra: Partial<IdleInput>): IdleInput {
  return {
    cluster: manual2,
    activeJobs: 0,
    lastActivity: ago(45),
    policy: {},
    now: NOW,
    idleMinutes: 30,
    graceMinutes: 10,
    ...extra,
  };
}

type Expect = 'none' | 'warn' | 'scale';
const cases: Array<[string, Partial<IdleInput>, Expect, (RegExp | object)?]> = [
  ['idle past the window, never warned → warn', {}, 'warn', { idleSince: ago(45), scaleAt: ahead(10) }],
  ['idle, but not for long enough', { lastActivity: ago(29) }, 'none', /idle 29 of 30 min/],
  ['a running or queued job', { activeJobs: 1 }, 'none', /1 active job/],
  ['no nodes', { cluster: { ...manual2, currentNodeCount: 0 } }, 'none', /no nodes/],
  ['resizing', { cluster: { ...manual2, allocationState: 'resizing' } }, 'none', /resizing/],
  [
    'manual target already zero',
    { cluster: { ...manual2, scale: { mode: 'manual', targetNodeCount: 0 } } },
    'none',
    /already set to zero/,
  ],
  ['auto-scale with min 0 scales down itself', { cluster: auto04 }, 'none', /releases idle nodes itself/],
  ['last activity unknown', { lastActivity: undefined }, 'none', /unknown/],
  ['kept up', { policy: { keepUpUntil: ahead(5) } }, 'none', /kept up until/],
  [
    'warned, within the grace period',
    { policy: { warnedAt: ago(5), warnedFor: ago(45) } },
    'none',
    /warned; scale-down at/,
  ],
  [
    'warned, grace over → scale to manual 0',
    { policy: { warnedAt: ago(10), warnedFor: ago(45) } },
    'scale',
    { scale: { mode: 'manual', targetNodeCount: 0 } },
  ],
  [
    'auto-scale min 1, grace over → min 0, max kept',
    { cluster: auto14, policy: { warnedAt: ago(11), warnedFor: ago(45) } },
    'scale',
    { scale: { mode: 'auto', min: 0, max: 4 } },
  ],
  [
    'a warning about an earlier idle period does not count',
    { policy: { warnedAt: ago(60), warnedFor: ago(90) } },
    'warn',
    { idleSince: ago(45) },
  ],
  [
    'warned, but a keep-up is running',
    { policy: { warnedAt: ago(20), warnedFor: ago(45), keepUpUntil: ahead(40) } },
    'none',
    /kept up/,
  ],
  [
    'keep-up ended 10 min ago: a new idle period started then',
    { policy: { warnedAt: ago(70), warnedFor: ago(80), keepUpUntil: ago(10) } },
    'none',
    /idle 10 of 30/,
  ],
  [
    'keep-up ended 35 min ago → warn for the period since',
    { lastActivity: ago(120), policy: { keepUpUntil: ago(35) } },
    'warn',
    { idleSince: ago(35) },
  ],
  [
    'a busy cluster is never scaled, even warned and past grace',
    { activeJobs: 2, policy: { warnedAt: ago(60), warnedFor: ago(45) } },
    'none',
    /2 active jobs/,
  ],
];

test.each(cases)('%s', (_name, extra, action, detail) => {
  const d = decideIdle(input(extra));
  expect(d.action).toBe(action);
  if (detail instanceof RegExp) expect(d.action === 'none' && d.reason).toMatch(detail);
  else if (detail) expect(d).toMatchObject(detail);
});

test.each([
  [[undefined, '', '2024-05-01T10:00:00Z', '2024-05-01T11:00:00Z'], '2024-05-01T11:00:00Z'],
  [['2024-05-01T11:00:00.000Z', '2024-05-01T10:59:59Z'], '2024-05-01T11:00:00.000Z'],
  [[undefined, ''], undefined],
])('latest(%j) = %s', (times, expected) => {
  expect(latest(times)).toBe(expected);
});

describe('cards', () => {
  const c: Omit<ClusterView, 'kind' | 'actions'> = {
    workspace: 'ws',
    name: 'gpu',
    vmSize: 'STANDARD_NC6',
    allocationState: 'steady',
    currentNodeCount: 2,
    nodes: { idle: 2, running: 0, preparing: 0, leaving: 0, unusable: 0 },
    scale: { mode: 'manual', targetNodeCount: 2 },
    errors: [],
  };
  test('the warning says how long and when, with "Keep it up 1 h"', () => {
    const v = idleWarningView(c, { idleSince: ago(42), scaleAt: '2024-05-01T12:10:00.000Z' }, NOW);
    expect(v.message).toMatch(/no running or queued job for 42 min\. It will be scaled to zero at 12:10 UTC/);
    expect(v.actions[0]).toEqual({ title: 'Keep it up 1 h', command: 'keep-up gpu 1', style: 'positive' });
    expect(v.message).toMatch(/Its idle nodes cost \$1\.80\/h \(\$43\.20\/day, prices of 2020-01\)\./);
  });
  test('scaled to zero offers the way back', () => {
    expect(scaledToZeroView(c, ago(55), NOW).actions).toEqual([{ title: 'Resize back to 2', command: 'resize gpu 2' }]);
    expect(scaledToZeroView(c, ago(55), NOW).message).toMatch(/This saves \$1\.80\/h/);
    expect(scaledToZeroView({ ...c, vmSize: 'odd_size' }, ago(55), NOW).message).not.toMatch(/saves/);
    const auto = scaledToZeroView({ ...c, scale: { mode: 'auto', min: 1, max: 4 } }, ago(55), NOW);
    expect(auto.message).toMatch(/auto-scale minimum set to 0, maximum stays 4/);
  });
});

describe('a scale-down intent left unsettled (the host died between the scale request and its card)', () => {
  const intent = { scaledAt: ago(5), scaledFor: ago(50), scaledFrom: '2' };
  const scale = decideIdle(
    input({ lastActivity: ago(50), policy: { warnedAt: ago(15), warnedFor: ago(50), ...intent } }),
  );
  const none = decideIdle(input({ activeJobs: 1 }));
  test('the card is owed once the cluster is at zero (manual target 0, or auto-scale with minimum 0)', () => {
    expect(owedScaleCard(intent, { mode: 'manual', targetNodeCount: 0 }, none)).toEqual({
      action: 'card',
      idleSince: ago(50),
    });
    expect(owedScaleCard(intent, { mode: 'auto', min: 0, max: 4 }, none)?.action).toBe('card');
  });
  test('a cluster not at zero that this pass scales for the same idle period: the scale goes on, nothing owed', () => {
    expect(scale.action).toBe('scale');
    expect(owedScaleCard(intent, manual2.scale, scale)).toBeUndefined();
  });
  test('a cluster that got busy (or a new idle period) before the scale request: the intent is dropped', () => {
    expect(owedScaleCard(intent, manual2.scale, none)).toEqual({ action: 'drop', idleSince: ago(50) });
    const warn = decideIdle(input({ lastActivity: ago(35) }));
    expect(owedScaleCard(intent, manual2.scale, warn)?.action).toBe('drop');
  });
  test('settled (card sent, or dropped) or no intent: nothing owed', () => {
    expect(owedScaleCard({ ...intent, scaleSettledFor: ago(50) }, { mode: 'manual', targetNodeCount: 0 }, none)).toBe(
      undefined,
    );
    expect(owedScaleCard({}, { mode: 'manual', targetNodeCount: 0 }, none)).toBeUndefined();
  });
});
