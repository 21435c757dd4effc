// The wiring that makes a core run: recovery of what was in flight at the last stop, then scheduler passes on a
// timer (time-driven changes: delays, idle windows) and soon after each change (core.kick, a released hold).
// The core itself starts nothing, so a test or a second facade can drive it the same way.
import { Core, type CoreOptions } from './core/core';
import type { Hold, OperationKind } from './core/holds';
import { recoverAfterRestart } from './core/recovery';
import { tick } from './core/scheduler';

export interface RunningCore {
  readonly core: Core;
  /** One scheduler pass now (due transitions, allocation, placement); errors are thrown to the caller. */
  tick(): void;
  /** Keeps operations of these kinds (default: all) from completing until the hold is released. */
  hold(...kinds: OperationKind[]): Hold;
  /** Stops the timer and kills running jobs (recorded failed). */
  stop(): Promise<void>;
}

export function runCore(opts: CoreOptions): RunningCore {
  const core = new Core(opts);
  recoverAfterRestart(core);
  let stopped = false;
  let kicked = false;
  const pass = (): void => {
    if (stopped) return;
    try {
      tick(core);
    } catch (e) {
      // A scheduler bug must not take the server down; the next pass retries.
      console.error(`engine scheduler: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  // Kicks coalesce: many changes in one turn of the event loop cost one pass.
  core.wake = () => {
    if (kicked || stopped) return;
    kicked = true;
    setImmediate(() => {
      kicked = false;
      pass();
    });
  };
  core.holds.onRelease = () => core.kick();
  const interval = setInterval(pass, core.timing.schedulerIntervalMs);
  return {
    core,
    tick: () => tick(core),
    hold: (...kinds) => core.holds.hold(kinds.length ? kinds : undefined),
    async stop() {
      stopped = true;
      clearInterval(interval);
      await core.stop();
    },
  };
}
