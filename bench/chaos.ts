// `npm run bench -- chaos`: on each backend, seeded crash runs (the functions host killed at a step of a poll
// tick or a notify batch while job transitions happen, then restarted on the same storage), fault runs (20% of
// compute, Table, queue and chat calls failing) against a fault-free run of the same seed, idle crash runs,
// two-instance runs, follow-up crash runs (killed inside a step of a followed job card) and approval crash runs
// (killed at a step of an approval's execution). Prints the seed: CHAOS_SEED=<seed> replays the same runs.
// CHAOS_RUNS and CHAOS_TRANSITIONS size it (default 100 × 100), CHAOS_FAULT_RUNS (3), CHAOS_IDLE_RUNS (20),
// CHAOS_TWO_RUNS (10), CHAOS_FOLLOWUP_RUNS (20) and CHAOS_APPROVAL_RUNS (40) the others (0 skips a kind);
// CHAOS_BACKENDS picks backends. At its end, where each backend stands against every goal of the proof, the
// soak's, the scale's and the alerts' figures as their own benchmarks last measured them (bench/goals.ts).
import {
  FOLLOWUP_NODES,
  startChaosLab,
  type ChaosLab,
  type ChaosOptions,
  type ChaosResult,
} from '../test/backend/chaos-run';
import type { ComputeBackend } from '../shared/compute/model';
import { approvalFigures } from './chaos-approvals';
import { formatGoals, goalRows } from './goals';
import { allFigures, record } from './report';
import { withinLimit } from './run-limit';

const BACKENDS: ComputeBackend[] = ['batchai', 'azurebatch', 'azureml'];

/** A lab run (by default a crash or fault run) under the bench's time limit, named by its seed if it hangs. */
function bounded<T = ChaosResult>(
  lab: ChaosLab,
  opts: ChaosOptions,
  run: () => Promise<T> = () => lab.run(opts) as Promise<T>,
): Promise<T> {
  return withinLimit(opts.seed, run);
}

export async function benchChaos(): Promise<void> {
  const seed = Number(process.env.CHAOS_SEED ?? Math.floor(Math.random() * 1e6));
  const runs = Number(process.env.CHAOS_RUNS ?? 100);
  const idleRuns = Number(process.env.CHAOS_IDLE_RUNS ?? 20);
  const twoRuns = Number(process.env.CHAOS_TWO_RUNS ?? 10);
  const faultRuns = Number(process.env.CHAOS_FAULT_RUNS ?? 3);
  const followUpRuns = Number(process.env.CHAOS_FOLLOWUP_RUNS ?? 20);
  const approvalRuns = Number(process.env.CHAOS_APPROVAL_RUNS ?? 40);
  const transitions = Number(process.env.CHAOS_TRANSITIONS ?? 100);
  const steps = 10;
  console.log(
    `chaos seed ${seed} (CHAOS_SEED=${seed} replays it): ${runs} crash runs × ${transitions} transitions, ` +
      `${faultRuns} fault runs, ${idleRuns} idle crash runs, ${twoRuns} two-instance runs, ` +
      `${followUpRuns} follow-up crash runs, ${approvalRuns} approval crash runs`,
  );
  // CHAOS_BACKENDS=azureml,azurebatch runs only those (one process per backend, side by side).
  const only = process.env.CHAOS_BACKENDS?.split(',');
  const backends = BACKENDS.filter((b) => !only || only.includes(b));
  for (const backend of backends) {
    const lab = await startChaosLab(backend);
    try {
      // Fault runs first, while the workspace has few experiments and subscribed conversations: the crash runs
      // leave theirs behind, and every later batch reaches them (at 20% per call, more calls per message).
      if (faultRuns > 0) {
        let converged = 0;
        let faults = 0;
        let faultLost = 0;
        let faultDuplicates = 0;
        let faultOutside = 0;
        let ambiguous = 0;
        let faultPoisoned = 0;
        const poisonErrors: string[] = [];
        let late = 0;
        for (let i = 0; i < faultRuns; i++) {
          const clean = await bounded(lab, { seed: seed + i, transitions, steps });
          const faulty = await bounded(lab, { seed: seed + i, transitions, steps, rate: 0.2 });
          if (JSON.stringify(faulty.delivered) === JSON.stringify(clean.delivered) && faulty.lost === 0) converged++;
          faults += faulty.faults;
          faultLost += faulty.lost;
          faultDuplicates += faulty.duplicates;
          faultOutside += faulty.duplicatesOutsideWindow;
          ambiguous += faulty.ambiguousSends;
          faultPoisoned += faulty.poisoned;
          poisonErrors.push(...faulty.poisonErrors);
          late += faulty.leftForCleanHost;
        }
        record({ name: `chaos ${backend}: 20% fault runs converged`, value: converged, unit: `of ${faultRuns}` });
        record({ name: `chaos ${backend}: faults injected`, value: faults, unit: 'faults' });
        record({ name: `chaos ${backend}: fault runs lost`, value: faultLost, unit: 'alerts' });
        record({
          name: `chaos ${backend}: fault runs duplicates`,
          value: faultDuplicates,
          unit: 'alerts',
          note: `${ambiguous} sends reached the channel unmarked`,
        });
        record({
          name: `chaos ${backend}: fault runs alerts left to a fault-free host`,
          value: late,
          unit: 'alerts',
          note: 'not delivered while the faults lasted',
        });
        record({ name: `chaos ${backend}: fault runs duplicates unexplained`, value: faultOutside, unit: 'alerts' });
        record({
          name: `chaos ${backend}: fault runs poisoned`,
          value: faultPoisoned,
          unit: 'messages',
          note: poisonErrors.length ? `then replayed; first: ${poisonErrors[0]!.slice(0, 160)}` : 'none',
        });
      }
      if (runs > 0) {
        let lost = 0;
        let duplicates = 0;
        let outside = 0;
        let worst = 0;
        let poisoned = 0;
        let kills = 0;
        const where = new Map<string, number>();
        const started = Date.now();
        for (let i = 0; i < runs; i++) {
          const r = await bounded(lab, { seed: seed + i, transitions, steps, kill: true });
          if (r.diedAt) kills++;
          const at = (r.diedAt ?? 'no kill').replace(/\/(table|compute|chat|queue)\..*/, '/$1');
          where.set(at, (where.get(at) ?? 0) + 1);
          lost += r.lost;
          duplicates += r.duplicates;
          outside += r.duplicatesOutsideWindow;
          worst = Math.max(worst, r.duplicates);
          poisoned += r.poisoned;
        }
        const perRun = (Date.now() - started) / runs;
        console.log(`${backend}: kills at ${[...where].map(([k, n]) => `${k} ×${n}`).join(', ')}`);
        record({ name: `chaos ${backend}: crash runs (1 kill each)`, value: kills, unit: 'runs' });
        record({
          name: `chaos ${backend}: transitions lost`,
          value: lost,
          unit: 'alerts',
          note: `of ${runs * transitions}`,
        });
        record({ name: `chaos ${backend}: duplicate alerts`, value: duplicates, unit: 'alerts', note: `≤ 1 per kill` });
        record({ name: `chaos ${backend}: duplicates outside send-to-mark`, value: outside, unit: 'alerts' });
        record({ name: `chaos ${backend}: most duplicates in one kill`, value: worst, unit: 'alerts' });
        record({ name: `chaos ${backend}: poisoned messages`, value: poisoned, unit: 'messages' });
        record({ name: `chaos ${backend}: time per crash run`, value: Math.round(perRun), unit: 'ms' });
      }
      if (idleRuns > 0) {
        const idle = { kills: 0, busy: 0, scalesWhileBusy: 0, doubleScales: 0, notScaled: 0, cardsLost: 0, extra: 0 };
        for (let i = 0; i < idleRuns; i++) {
          const r = await lab.runIdle(seed + i);
          if (r.diedAt) idle.kills++;
          if (r.busy) idle.busy++;
          idle.scalesWhileBusy += r.scalesWhileBusy;
          // One warning per idle period: two when the cluster got busy after the kill (a new period began).
          idle.extra += Math.max(0, r.warnings - (r.busy ? 2 : 1));
          idle.doubleScales += Math.max(0, r.scaleCalls - 1);
          if (r.target !== 0) idle.notScaled++;
          if (r.scaledCards === 0) idle.cardsLost++;
        }
        record({
          name: `chaos ${backend}: idle crash runs (1 kill each)`,
          value: idle.kills,
          unit: 'runs',
          note: `${idle.busy} with the cluster busy after the kill`,
        });
        record({
          name: `chaos ${backend}: idle scale-downs executed twice`,
          value: idle.doubleScales,
          unit: 'clusters',
        });
        record({
          name: `chaos ${backend}: idle scale-downs of a busy cluster`,
          value: idle.scalesWhileBusy,
          unit: 'clusters',
        });
        record({ name: `chaos ${backend}: idle clusters not scaled down`, value: idle.notScaled, unit: 'clusters' });
        record({ name: `chaos ${backend}: idle warnings sent twice`, value: idle.extra, unit: 'cards' });
        record({
          name: `chaos ${backend}: idle "scaled to zero" cards lost`,
          value: idle.cardsLost,
          unit: 'cards',
          note: 'an intent before the scale request; a later pass sends the card',
        });
      }
      if (twoRuns > 0) {
        const two = { kills: 0, lost: 0, duplicates: 0, outside: 0, worst: 0, warnings: 0, scales: 0, cards: 0 };
        const twoMore = { bothHeld: 0, poisoned: 0, takeovers: 0 };
        for (let i = 0; i < twoRuns; i++) {
          const r = await bounded(lab, { seed: seed + i, transitions, steps }, () =>
            lab.runTwo({ seed: seed + i, transitions, steps }),
          );
          if (r.diedAt) two.kills++;
          two.lost += r.lost;
          two.duplicates += r.duplicates;
          two.outside += r.duplicatesOutsideWindow;
          two.worst = Math.max(two.worst, r.duplicates);
          two.warnings += Math.max(0, r.warnings - 1);
          two.scales += Math.max(0, r.scaleCalls - 1);
          if (r.scaledCards !== 1) two.cards++;
          twoMore.bothHeld += r.timerRuns.both;
          twoMore.poisoned += r.poisoned;
          if (r.timerRuns.poll.every((n) => n > 0)) twoMore.takeovers++;
        }
        record({
          name: `chaos ${backend}: two-instance runs (one instance killed)`,
          value: two.kills,
          unit: 'runs',
          note: `of ${twoRuns}; in ${twoMore.takeovers} the other instance took the timers over`,
        });
        record({ name: `chaos ${backend}: two-instance alerts lost`, value: two.lost, unit: 'alerts' });
        record({
          name: `chaos ${backend}: two-instance duplicate alerts`,
          value: two.duplicates,
          unit: 'alerts',
          note: `${two.outside} outside send-to-mark, at most ${two.worst} per kill`,
        });
        record({ name: `chaos ${backend}: two-instance idle warnings sent twice`, value: two.warnings, unit: 'cards' });
        record({
          name: `chaos ${backend}: two-instance scale-to-zero executed twice`,
          value: two.scales,
          unit: 'clusters',
        });
        record({
          name: `chaos ${backend}: two-instance "scaled to zero" cards not once`,
          value: two.cards,
          unit: 'cards',
        });
        record({
          name: `chaos ${backend}: two-instance timer runs on both at once`,
          value: twoMore.bothHeld,
          unit: 'runs',
        });
        record({ name: `chaos ${backend}: two-instance poisoned messages`, value: twoMore.poisoned, unit: 'messages' });
      }
      if (followUpRuns > 0) await followUpFigures(lab, seed, followUpRuns);
    } finally {
      await lab.stop();
    }
    // On a stack of its own (the bot's), started once the lab's is down: the two side by side would share the cores.
    if (approvalRuns > 0) await approvalFigures(backend, seed, approvalRuns);
  }
  console.log(
    '\nthe goals (chaos: this run; soak, scale, alerts: their last run in bench/results.json)\n' +
      formatGoals(goalRows(allFigures(), backends)),
  );
}

/**
 * Follow-up crash runs: a card per job (one job per node of the run's cluster), each followed in place while
 * its job runs and ends, the host killed at a seeded step of one follow-up message, then restarted.
 */
async function followUpFigures(lab: ChaosLab, seed: number, runs: number): Promise<void> {
  const backend = lab.backend;
  const f = { kills: 0, cards: 0, stale: 0, duplicates: 0, outside: 0, worst: 0, poisoned: 0, left: 0 };
  let recovered = 0;
  const poisonErrors: string[] = [];
  const where = new Map<string, number>();
  const started = Date.now();
  for (let i = 0; i < runs; i++) {
    const opts = { seed: seed + i, jobs: FOLLOWUP_NODES };
    const r = await bounded(lab, { ...opts, transitions: 0, steps: 0 }, () => lab.runFollowUps(opts));
    if (r.diedAt) f.kills++;
    where.set(r.diedAt ?? 'no kill', (where.get(r.diedAt ?? 'no kill') ?? 0) + 1);
    f.cards += r.cards;
    f.stale += r.stale;
    f.duplicates += r.duplicates;
    f.outside += r.duplicatesOutsideKill;
    f.worst = Math.max(f.worst, r.duplicates);
    f.poisoned += r.poisoned;
    poisonErrors.push(...r.poisonErrors);
    f.left += r.chainsLeft + r.messagesLeft;
    recovered += r.outcomes.recovered ?? 0;
  }
  const perRun = (Date.now() - started) / runs;
  console.log(`${backend}: follow-up kills at ${[...where].map(([k, n]) => `${k} ×${n}`).join(', ')}`);
  record({
    name: `chaos ${backend}: follow-up crash runs (1 kill each)`,
    value: f.kills,
    unit: 'runs',
    note: `of ${runs}, ${FOLLOWUP_NODES} cards each; ${recovered} redelivered steps re-sent their successor`,
  });
  record({
    name: `chaos ${backend}: follow-up cards left stale`,
    value: f.stale,
    unit: 'cards',
    note: `of ${f.cards}`,
  });
  record({
    name: `chaos ${backend}: follow-up duplicate updates`,
    value: f.duplicates,
    unit: 'updates',
    note: `${f.outside} outside the killed step, at most ${f.worst} per kill`,
  });
  record({
    name: `chaos ${backend}: follow-up poisoned messages`,
    value: f.poisoned,
    unit: 'messages',
    note: poisonErrors.length ? `first: ${poisonErrors[0]!.slice(0, 160)}` : 'none',
  });
  record({ name: `chaos ${backend}: follow-up chains or messages left`, value: f.left, unit: 'rows+messages' });
  record({ name: `chaos ${backend}: time per follow-up run`, value: Math.round(perRun), unit: 'ms' });
}
