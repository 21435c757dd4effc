// The verdicts `npm run bench -- chaos` prints: a goal is met, not met, or not measured on a backend, from figures
// named as the benchmarks name them.
import { formatGoals, goalRows } from '../../bench/goals';
import type { Figure } from '../../bench/report';

const SCALE = 'scale azureml (100,000 jobs, 50 workspaces)';
const fig = (name: string, value: number, unit = 'x', note?: string): Figure => ({
  name,
  value,
  unit,
  ...(note ? { note } : {}),
});

const verdict = (figures: Figure[], backend: string, goal: RegExp) =>
  goalRows(figures, [backend]).find((r) => goal.test(r.goal))?.met;

test('crash runs need 100 runs and nothing lost', () => {
  const runs = (n: number, lost: number) => [
    fig('chaos batchai: crash runs (1 kill each)', n),
    fig('chaos batchai: transitions lost', lost),
  ];
  expect(verdict(runs(100, 0), 'batchai', /^crash runs/)).toBe(true);
  expect(verdict(runs(100, 1), 'batchai', /^crash runs/)).toBe(false);
  expect(verdict(runs(99, 0), 'batchai', /^crash runs/)).toBe(false);
  expect(verdict(runs(100, 0), 'azureml', /^crash runs/)).toBeUndefined();
});

test('fault runs converge only when every run did', () => {
  const runs = (converged: number) => [
    fig('chaos azurebatch: 20% fault runs converged', converged, 'of 3'),
    fig('chaos azurebatch: fault runs lost', 0),
  ];
  expect(verdict(runs(3), 'azurebatch', /fault runs/)).toBe(true);
  expect(verdict(runs(2), 'azurebatch', /fault runs/)).toBe(false);
});

test('requests are held to the pages and changed jobs the note counts', () => {
  const tick = (requests: number) => [
    fig(`${SCALE}: steady tick requests`, 1050, 'requests', '1050 pages + 0 single reads; 0 changed jobs'),
    fig(
      `${SCALE}: 1% changed tick requests`,
      requests,
      'requests',
      '1100 pages + 1000 single reads + 51 run-history discovery; 1000 changed jobs; goal ≤ pages + changed',
    ),
  ];
  expect(verdict(tick(2100), 'azureml', /requests/)).toBe(true);
  expect(verdict(tick(2151), 'azureml', /requests/)).toBe(false);
});

test('alert latency is per backend, and a backend without its figures says so', () => {
  const alerts = (p50: number) => [
    fig('alerts batchai bursts: latency p50 (job end → card accepted)', p50, 'ms'),
    fig('alerts batchai bursts: latency p99', 5246, 'ms'),
    fig('alerts batchai spread: latency p50 (job end → card accepted)', 2727, 'ms'),
  ];
  expect(verdict(alerts(2835), 'batchai', /^alerts/)).toBe(true);
  expect(verdict(alerts(3384), 'batchai', /^alerts/)).toBe(false);
  expect(verdict(alerts(2835), 'azurebatch', /^alerts/)).toBeUndefined();
  const printed = formatGoals(goalRows(alerts(2835), ['batchai', 'azurebatch']));
  expect(printed).toMatch(/^batchai +met +alerts: .* — 2835 ms, 5246 ms, 2727 ms$/m);
  expect(printed).toMatch(/^azurebatch +not measured +alerts: .* — no figure \(npm run bench -- alerts\)$/m);
});

test('double executions count the approvals run twice, and without that figure the goal is not measured', () => {
  const runs = (approvals?: number) => [
    fig('chaos azureml: idle scale-downs executed twice', 0, 'clusters'),
    fig('chaos azureml: two-instance scale-to-zero executed twice', 0, 'clusters'),
    fig('chaos azureml: two-instance idle warnings sent twice', 0, 'cards'),
    ...(approvals === undefined ? [] : [fig('chaos azureml: approvals executed twice', approvals, 'approvals')]),
  ];
  expect(verdict(runs(0), 'azureml', /^double executions/)).toBe(true);
  expect(verdict(runs(1), 'azureml', /^double executions/)).toBe(false);
  expect(verdict(runs(), 'azureml', /^double executions/)).toBeUndefined();
  expect(formatGoals(goalRows(runs(), ['azureml']))).toMatch(
    /^azureml +not measured +double executions 0 \(.*approvals\) — no figure \(npm run bench -- chaos\)$/m,
  );
});

test('approval crash runs: some kills, none executed twice, none broken', () => {
  const runs = (kills: number, twice: number, broken: number) => [
    fig('chaos batchai: approval crash runs (1 kill each)', kills, 'runs'),
    fig('chaos batchai: approvals executed twice', twice, 'approvals'),
    fig('chaos batchai: approvals broken', broken, 'approvals'),
  ];
  expect(verdict(runs(30, 0, 0), 'batchai', /^approval crash runs/)).toBe(true);
  expect(verdict(runs(30, 1, 0), 'batchai', /^approval crash runs/)).toBe(false);
  expect(verdict(runs(30, 0, 1), 'batchai', /^approval crash runs/)).toBe(false);
  expect(verdict(runs(0, 0, 0), 'batchai', /^approval crash runs/)).toBe(false);
  expect(verdict(runs(30, 0, 0), 'azurebatch', /^approval crash runs/)).toBeUndefined();
  expect(formatGoals(goalRows(runs(30, 0, 0), ['batchai']))).toMatch(
    /^batchai +met +approval crash runs: .* — 30 runs, 0 approvals, 0 approvals$/m,
  );
});
