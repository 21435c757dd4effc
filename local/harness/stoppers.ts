// What a harness (tests, benchmarks: local/harness/) started, to stop in reverse order, including what was
// still starting when something else failed: with `Promise.all([a(), b()])`, b may still be starting when a
// rejects, and must be stopped once it is up. Every stop runs even when one fails; the failures are reported
// together at the end.

export interface Stoppers {
  /** Registers the stop of something being started; returns the start's promise. */
  track<T>(name: string, starting: Promise<T>, stop: (started: T) => Promise<void> | void): Promise<T>;
  /** Registers a stop for something already started (or a clean-up, like removing a temp dir). */
  add(name: string, stop: () => Promise<void> | void): void;
  /** Stops everything registered, newest first; safe to call twice. */
  stopAll(): Promise<void>;
}

export function createStoppers(): Stoppers {
  const stops: Array<[string, () => Promise<void> | void]> = [];
  return {
    track(name, starting, stop) {
      stops.push([
        name,
        async () => {
          // A start that failed has nothing to stop; its own error is reported by whoever awaited it.
          const started = await starting.then(
            (v) => ({ v }),
            () => undefined,
          );
          if (started) await stop(started.v);
        },
      ]);
      return starting;
    },
    add(name, stop) {
      stops.push([name, stop]);
    },
    async stopAll() {
      const failures: string[] = [];
      for (const [name, stop] of stops.splice(0).reverse()) {
        try {
          await stop();
        } catch (e) {
          failures.push(`${name}: ${e instanceof Error ? e.message : String(e)}`);
        }
      }
      if (failures.length > 0) throw new Error(`stopping failed: ${failures.join('; ')}`);
    },
  };
}

/**
 * Runs `start` with a fresh Stoppers; if it throws, stops whatever it had started and rethrows the start's
 * error (a failed stop is added to the message, not lost).
 */
export async function startOrStop<T>(start: (stoppers: Stoppers) => Promise<T>): Promise<T> {
  const stoppers = createStoppers();
  try {
    return await start(stoppers);
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    await stoppers.stopAll().catch((stopErr: Error) => {
      err.message += ` (and then ${stopErr.message})`;
    });
    throw err;
  }
}
