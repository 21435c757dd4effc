// A virtual clock for the Slack sender's pacing and the local Slack's per-channel rate: sleep() advances time
// at once, so a test of a 429 storm or of 1 message/s runs without waiting and sees the waits it asked for.
import type { PacerClock } from '../../../bot/slack/pacer';

export interface VirtualClock extends PacerClock {
  /** Every sleep asked for, in ms. */
  sleeps: number[];
  advance(ms: number): void;
}

export function virtualClock(startMs = Date.UTC(2026, 11, 1, 12)): VirtualClock {
  let t = startMs;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => t,
    advance(ms) {
      t += ms;
    },
    async sleep(ms) {
      sleeps.push(ms);
      t += ms;
    },
  };
}
