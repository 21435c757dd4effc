// Slack allows about one chat.postMessage per second per channel (short bursts pass, a storm gets 429). The
// pacer spaces the posts to one channel at least `intervalMs` apart, in call order, and pushes a channel's next
// slot back when Slack answers 429 with Retry-After. Per process only: several Function instances posting to
// one channel can still meet a 429, which the sender honours (and the queue retries past).
export interface PacerClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export interface Pacer {
  /** Runs `fn` in `key`'s next free slot; calls for one key run one after another. */
  run<T>(key: string, fn: () => Promise<T>): Promise<T>;
  /** Nothing for `key` starts before `ms` from now (a Retry-After). */
  holdOff(key: string, ms: number): void;
}

/** Channels whose slot is remembered before the past ones are dropped (a slot in the past says nothing). */
const SLOTS_MAX = 1000;

export function createPacer(intervalMs: number, clock: PacerClock): Pacer {
  const nextAt = new Map<string, number>();
  const tails = new Map<string, Promise<unknown>>();
  const dropPastSlots = () => {
    if (nextAt.size < SLOTS_MAX) return;
    const now = clock.now();
    for (const [k, at] of nextAt) if (at <= now && !tails.has(k)) nextAt.delete(k);
  };
  return {
    run(key, fn) {
      dropPastSlots();
      const turn = (tails.get(key) ?? Promise.resolve())
        .catch(() => undefined)
        .then(async () => {
          const wait = (nextAt.get(key) ?? 0) - clock.now();
          if (wait > 0) await clock.sleep(wait);
          try {
            return await fn();
          } finally {
            nextAt.set(key, Math.max(nextAt.get(key) ?? 0, clock.now() + intervalMs));
          }
        });
      tails.set(key, turn);
      // Only the chain of a busy channel is kept; its next slot (one number) stays for the interval rule.
      void turn
        .catch(() => undefined)
        .then(() => {
          if (tails.get(key) === turn) tails.delete(key);
        });
      return turn;
    },
    holdOff(key, ms) {
      nextAt.set(key, Math.max(nextAt.get(key) ?? 0, clock.now() + ms));
    },
  };
}
