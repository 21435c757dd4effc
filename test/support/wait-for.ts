// The suite's one polling helper: for state that no event announces (a job's state on the engine, a queue's
// length). Fails at its deadline, well inside jest's per-test timeout, naming what it waited for and the last
// value it read, so a failure says what did not happen instead of "exceeded timeout of 30000 ms".

export interface WaitForOptions {
  /** Default 15 s: half of jest's per-test timeout. */
  timeoutMs?: number;
  /** Pause between reads; default 50 ms. */
  intervalMs?: number;
}

/** Reads until the value is truthy, and returns it. */
export function waitFor<T>(
  what: string,
  read: () => T | Promise<T>,
  done?: undefined,
  opts?: WaitForOptions,
): Promise<NonNullable<T>>;
/** Reads until `done(value)` holds, and returns that value. */
export function waitFor<T>(
  what: string,
  read: () => T | Promise<T>,
  done: (value: T) => boolean,
  opts?: WaitForOptions,
): Promise<T>;
export async function waitFor<T>(
  what: string,
  read: () => T | Promise<T>,
  done: (value: T) => boolean = (value) => Boolean(value),
  opts: WaitForOptions = {},
): Promise<T> {
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() >= deadline)
      throw new Error(`waitFor: ${what} did not happen within ${timeoutMs} ms (last value: ${shown(value)})`);
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 50));
  }
}

function shown(value: unknown): string {
  const text = value === undefined ? 'undefined' : (JSON.stringify(value) ?? String(value));
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}
