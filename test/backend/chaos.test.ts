// The short form of `npm run bench -- chaos`: on each backend, a few seeded crash runs (the host killed at a
// step of a poll tick or a notify batch, then restarted on the same storage) lose no alert and duplicate at most
// the one in flight; an idle pass killed anywhere scales down once and sends its card once; two instances on the
// same storage (one killed) send and scale nothing twice; followed job cards reach their final state when the
// host is killed inside a follow-up step, with at most one update shown twice; a run with 20% of calls failing
// ends where a fault-free run ends, nothing poisoned; and the same seed gives the same result.
import type { ComputeBackend } from '../../shared/compute/model';
import { useStarted } from '../support/use-started';
import { startChaosLab, type ChaosLab, type ChaosResult, type FollowUpChaosResult } from './chaos-run';

const SEED = Number(process.env.CHAOS_SEED ?? 2126);
const shape = ({ diedAt, lost, duplicates, poisoned, delivered }: ChaosResult) => ({
  diedAt,
  lost,
  duplicates,
  poisoned,
  delivered,
});

describe.each<ComputeBackend>(['batchai', 'azurebatch', 'azureml'])('chaos on %s', (backend) => {
  const started = useStarted(
    'chaos lab',
    () => startChaosLab(backend),
    (lab) => lab.stop(),
  );
  let lab: ChaosLab;
  beforeAll(() => {
    lab = started.current;
    console.log(`chaos seed ${SEED} on ${backend} (CHAOS_SEED=${SEED} replays it)`);
  });

  let first: ChaosResult | undefined;
  test('crash runs: nothing lost, at most one duplicate per kill, nothing poisoned', async () => {
    for (let i = 0; i < 4; i++) {
      const r = await lab.run({ seed: SEED + i, transitions: 12, steps: 4, kill: true });
      first ??= r;
      expect(r.diedAt).toBeDefined();
      expect(r.transitions).toBe(12);
      expect({ lost: r.lost, poisoned: r.poisoned, unexpected: r.unexpected }).toEqual({
        lost: 0,
        poisoned: 0,
        unexpected: [],
      });
      expect(r.duplicates).toBeLessThanOrEqual(1);
      expect(r.duplicatesOutsideWindow).toBe(0);
    }
  }, 60_000);

  test('the same seed on a fresh stack replays the same crash run, call for call', async () => {
    const fresh = await startChaosLab(backend);
    try {
      const again = await fresh.run({ seed: SEED, transitions: 12, steps: 4, kill: true });
      expect(shape(again)).toEqual(shape(first!));
      // Calls made at once (experiments listed in parallel) may interleave differently: the same calls, though.
      expect([...again.trace].sort()).toEqual([...first!.trace].sort());
    } finally {
      await fresh.stop();
    }
  }, 60_000);

  test('idle pass killed at a seeded step: scaled down once, its card sent once, a busy cluster kept', async () => {
    for (let i = 0; i < 3; i++) {
      const r = await lab.runIdle(SEED + i);
      expect(r.diedAt).toBeDefined();
      expect({ scaleCalls: r.scaleCalls, target: r.target, scaledCards: r.scaledCards }).toEqual({
        scaleCalls: 1,
        target: 0,
        scaledCards: 1,
      });
      expect(r.scalesWhileBusy).toBe(0);
      expect(r.warnings).toBeGreaterThanOrEqual(1);
      // A second warning only for a second idle period (the cluster got busy after the kill).
      expect(r.warnings).toBeLessThanOrEqual(r.busy ? 2 : 1);
    }
  }, 60_000);

  test('two instances, one killed: timers on one at a time (blob lease), nothing sent or scaled twice', async () => {
    const r = await lab.runTwo({ seed: SEED, transitions: 12, steps: 8 });
    expect(r.timerRuns.both).toBe(0);
    expect({ lost: r.lost, outside: r.duplicatesOutsideWindow, poisoned: r.poisoned }).toEqual({
      lost: 0,
      outside: 0,
      poisoned: 0,
    });
    expect(r.duplicates).toBeLessThanOrEqual(1);
    expect({ warnings: r.warnings, scaleCalls: r.scaleCalls, scaledCards: r.scaledCards }).toEqual({
      warnings: 1,
      scaleCalls: 1,
      scaledCards: 1,
    });
  }, 60_000);

  test('follow-up killed at a seeded step: every card ends final, at most one duplicate update, a replay', async () => {
    // The run is self-contained (its own conversation and jobs): the same seed on this lab replays it, step for step.
    const first = await lab.runFollowUps({ seed: SEED, jobs: 3 });
    const again = await lab.runFollowUps({ seed: SEED, jobs: 3 });
    for (const r of [first, again]) {
      expect(r.diedAt).toBeDefined();
      expect(r.cards).toBe(3);
      expect({
        stale: r.stale,
        outside: r.duplicatesOutsideKill,
        poisoned: r.poisoned,
        chainsLeft: r.chainsLeft,
        messagesLeft: r.messagesLeft,
      }).toEqual({ stale: 0, outside: 0, poisoned: 0, chainsLeft: 0, messagesLeft: 0 });
      expect(r.duplicates).toBeLessThanOrEqual(1);
    }
    const replayed = ({ diedAt, shown, duplicates, outcomes, trace }: FollowUpChaosResult) => ({
      diedAt,
      shown,
      duplicates,
      outcomes,
      trace,
    });
    expect(replayed(again)).toEqual(replayed(first));
  }, 60_000);

  test('20% faults converge to the fault-free end state, duplicates only of unmarked sends', async () => {
    // A lab of its own: the runs above leave experiments and subscribed conversations that every batch would reach.
    const own = await startChaosLab(backend);
    try {
      await faultRun(own);
    } finally {
      await own.stop();
    }
  }, 60_000);
});

async function faultRun(lab: ChaosLab): Promise<void> {
  const clean = await lab.run({ seed: SEED, transitions: 12, steps: 4 });
  const faulty = await lab.run({ seed: SEED, transitions: 12, steps: 4, rate: 0.2 });
  expect(faulty.faults).toBeGreaterThan(0);
  // Alerts flow while the faults last: a tick commits the experiments whose calls succeeded.
  expect(faulty.leftForCleanHost).toBeLessThan(faulty.transitions);
  expect(faulty.delivered).toEqual(clean.delivered);
  expect(faulty.lost).toBe(0);
  expect(faulty.duplicatesOutsideWindow).toBe(0);
  // Transient failures are retried within a try, and a retry that got further starts the count over.
  expect({ poisoned: faulty.poisoned, errors: faulty.poisonErrors }).toEqual({ poisoned: 0, errors: [] });
}
