// Something a whole test file shares (a stack, Azurite): started in beforeAll, stopped in afterAll. afterAll
// waits for a start still in flight (beforeAll timed out, or another hook failed) and stops it once it is up,
// so nothing outlives the file and keeps jest from exiting.

export interface Started<T> {
  /** The started thing; throws if the start has not succeeded (use it inside tests). */
  readonly current: T;
}

export function useStarted<T>(
  name: string,
  start: () => Promise<T>,
  stop: (started: T) => Promise<void>,
  timeoutMs = 90_000,
): Started<T> {
  let starting: Promise<T> | undefined;
  let started: T | undefined;
  beforeAll(async () => {
    starting = start();
    started = await starting;
  }, timeoutMs);
  afterAll(async () => {
    const done = await starting?.then(
      (v) => ({ v }),
      () => undefined,
    );
    if (done) await stop(done.v);
  }, timeoutMs);
  return {
    get current() {
      if (started === undefined)
        throw new Error(`${name} is not running (its start failed or has not finished: see beforeAll).`);
      return started;
    },
  };
}
