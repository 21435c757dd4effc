// Approvals killed at every step of their execution, on all three backends (the scenario:
// test/approvals/approval-crash-run.ts, which the chaos bench also runs at seeded steps). Each approval runs at
// most once, and each ends executed (its resize is there) or failed saying nothing was changed, never left
// `approved`.
import type { ComputeBackend } from '../../shared/compute/model';
import { draw } from '../../local/harness/chaos/fault-plan';
import { useStarted } from '../support/use-started';
import { startApprovalCrashLab, tally, type ApprovalCrashLab, type ApprovalRun } from './approval-crash-run';

const SEED = Number(process.env.CHAOS_SEED ?? 2126);

describe.each<ComputeBackend>(['batchai', 'azurebatch', 'azureml'])('on %s', (backend) => {
  const started = useStarted(
    'approval crash lab',
    () => startApprovalCrashLab(backend),
    (lab) => lab.stop(),
  );
  let lab: ApprovalCrashLab;
  beforeAll(() => {
    lab = started.current;
  });

  test('an approval killed at any step runs at most once, then ends executed or failed (nothing changed)', async () => {
    const whole = await lab.run(SEED);
    expect(whole).toMatchObject({ runs: 1, state: 'executed', resized: true, settled: 0 });
    // A kill at a call lands before it or after it (its effect happened, its answer lost), as the seed draws: two
    // seeds that differ at the resize, so that both sides of it are covered.
    const seeds = [SEED, SEED + 1, SEED + 2, SEED + 3].filter(
      (s, i, all) =>
        all.findIndex(
          (o) => draw(o, 'after|compute.scaleCluster') < 0.5 === draw(s, 'after|compute.scaleCluster') < 0.5,
        ) === i,
    );
    expect(seeds).toHaveLength(2);
    const outcomes = new Set<string>();
    const killed: ApprovalRun[] = [];
    for (const seed of seeds) {
      for (let step = 0; step < whole.steps; step++) {
        const r = await lab.run(seed, step);
        killed.push(r);
        expect(r.diedAt).toBeDefined();
        expect(r.runs).toBeLessThanOrEqual(1);
        expect(['executed', 'failed', 'pending']).toContain(r.state);
        if (r.state === 'executed') expect({ runs: r.runs, resized: r.resized }).toEqual({ runs: 1, resized: true });
        if (r.state === 'failed') {
          expect({ runs: r.runs, resized: r.resized }).toEqual({ runs: 0, resized: false });
          expect(r.error).toMatch(/nothing was changed/);
          // The conversation that asked is told.
          expect(r.told).toBe(true);
        }
        // Killed before the approve was written: still pending, nothing ran (Bob may approve again).
        if (r.state === 'pending') expect(r.runs).toBe(0);
        outcomes.add(`${r.state}${r.settled ? ' (settled by the later pass)' : ''}`);
        if (r.diedAt?.endsWith('/end')) break; // past its last call
      }
    }
    expect([...outcomes].sort()).toEqual([
      'executed',
      'executed (settled by the later pass)',
      'failed (settled by the later pass)',
      'pending',
    ]);
    // The counts the bench prints read these runs as the assertions above do.
    expect(tally(killed)).toMatchObject({ kills: killed.length, twice: 0, broken: 0 });
  }, 120_000);
});
