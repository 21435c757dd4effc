// Runs one timer function on its NCRONTAB schedule (or a fixed local interval). The next run is scheduled only
// after the current one has ended, so two runs of one timer never overlap; a run that overruns its next slot
// makes that slot fire late with isPastDue = true rather than piling up.
import type { Timer } from '@azure/functions';
import type { FunctionDefinition } from '../../functions/definition';
import { toError } from '../../shared/errors';
import { createContext, type HostLog, type InFlight } from './invocation';
import { nextOccurrence, parseSchedule, type Schedule } from './ncrontab';
import type { TimerLease } from './timer-lease';

type TimerDefinition = Extract<FunctionDefinition, { trigger: { type: 'timer' } }>;

// A run that starts more than this after its slot counts as past due (the event loop was busy, or the
// previous run overran).
const PAST_DUE_MS = 1000;
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

export interface TimerRunner {
  stop(): void;
}

export function startTimer(
  def: TimerDefinition,
  opts: { overrideMs?: number; log: HostLog; inFlight: InFlight; lease?: Pick<TimerLease, 'held'> },
): TimerRunner {
  const schedule: Schedule =
    opts.overrideMs !== undefined ? { kind: 'interval', ms: opts.overrideMs } : parseSchedule(def.trigger.schedule);
  let stopped = false;
  let handle: NodeJS.Timeout | undefined;
  let last: Date | undefined;

  const plan = (slot: Date) => {
    if (stopped) return;
    const wait = slot.getTime() - Date.now();
    // setTimeout holds at most ~24.8 days; a yearly schedule waits in hops.
    if (wait > MAX_TIMEOUT_MS) handle = setTimeout(() => plan(slot), MAX_TIMEOUT_MS);
    // Node's timers may wake a millisecond before the wall clock reaches the slot: never run before the slot.
    else handle = setTimeout(() => (Date.now() < slot.getTime() ? plan(slot) : void fire(slot)), Math.max(0, wait));
  };

  const fire = async (slot: Date) => {
    if (stopped) return;
    // Another instance holds the timer's lease (timer-lease.ts): it runs this slot, this instance does not.
    if (opts.lease && !opts.lease.held()) return plan(nextOccurrence(schedule, new Date()));
    const startedAt = new Date();
    const next = nextOccurrence(schedule, slot);
    const timer: Timer = {
      isPastDue: startedAt.getTime() - slot.getTime() > PAST_DUE_MS,
      schedule: { adjustForDST: false },
      scheduleStatus: {
        last: (last ?? startedAt).toISOString(),
        next: next.toISOString(),
        lastUpdated: startedAt.toISOString(),
      },
    };
    last = startedAt;
    try {
      await opts.inFlight.track(def.handler(timer, createContext(def.name, opts.log)));
    } catch (e) {
      opts.log(`[${def.name}] failed: ${toError(e).message}`);
    }
    // Slots missed while the run was going are skipped, not replayed: one late run stands for all of them.
    let slotAfter = next;
    const now = new Date();
    while (schedule.kind === 'cron' && nextOccurrence(schedule, slotAfter).getTime() <= now.getTime()) {
      slotAfter = nextOccurrence(schedule, slotAfter);
    }
    if (schedule.kind === 'interval' && slotAfter.getTime() < now.getTime()) slotAfter = now;
    plan(slotAfter);
  };

  if (def.trigger.runOnStartup) plan(new Date());
  else plan(nextOccurrence(schedule, new Date()));

  return {
    stop() {
      stopped = true;
      if (handle) clearTimeout(handle);
    },
  };
}
