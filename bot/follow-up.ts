// A long operation's follow-up: poll a resource until it settles and re-render the answered card whenever
// what it shows changes. Bounded by BotTiming.followUpMaxMs; aborts with the bot (tests, shutdown).
import { setTimeout as sleep } from 'node:timers/promises';
import type { View } from '../shared/core/views';
import type { BotTiming } from './deps';
import type { FollowUp } from './handler';

export interface Watch<T> {
  fetch(): Promise<T>;
  /** What the card shows of `t`: an update is sent only when this changes. */
  key(t: T): string;
  done(t: T): boolean;
  render(t: T, done: boolean): Promise<View> | View;
}

export function watch<T>(timing: BotTiming, w: Watch<T>, initialKey: string): FollowUp {
  return async (update, signal) => {
    const deadline = Date.now() + timing.followUpMaxMs;
    let last = initialKey;
    while (Date.now() < deadline) {
      await sleep(timing.pollMs, undefined, { signal });
      const t = await w.fetch();
      const done = w.done(t);
      const key = w.key(t);
      if (key !== last || done) {
        last = key;
        await update(await w.render(t, done));
      }
      if (done) return;
    }
  };
}
