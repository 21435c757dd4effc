// One budget of Slack file calls per minute for the workspace (the app has one bot token, so one workspace):
// every chart upload (files.getUploadURLExternal + files.completeUploadExternal: 2 calls) and every delete of a
// superseded chart (files.delete: 1) spends from it. Slack allows Tier 4 (100+ a minute) for the two upload
// methods and Tier 3 (50+) for files.delete; the default of 20 stays far below both and leaves the rest of the
// tiers to anything else the token does. A finished job's chart has priority: running charts and deletes
// spend only up to RUNNING_SHARE of the minute, the end-of-job upload may spend all of it. Per instance: the
// `progress` timer (running charts) runs on one instance at a time; an end-of-job upload from another instance
// may add to it, and a 429 then falls back to text like an empty budget.
import type { PacerClock } from './pacer';

export type FileSpend = 'final' | 'running';

/** The share of the minute running charts and deletes may spend; the rest waits for end-of-job uploads. */
export const RUNNING_SHARE = 0.7;

export interface FileBudget {
  /** Spends `calls` now if the minute allows `kind` that many; false (nothing spent) when it does not. */
  take(kind: FileSpend, calls: number): boolean;
  /** Calls spent in the last minute. */
  spent(): number;
}

export function createFileBudget(callsPerMinute: number, clock: Pick<PacerClock, 'now'>): FileBudget {
  /** The time of each call spent in the last minute, oldest first. */
  const times: number[] = [];
  const spent = () => {
    const since = clock.now() - 60_000;
    while (times.length > 0 && times[0]! <= since) times.shift();
    return times.length;
  };
  return {
    take(kind, calls) {
      const cap = kind === 'final' ? callsPerMinute : Math.floor(callsPerMinute * RUNNING_SHARE);
      if (spent() + calls > cap) return false;
      for (let i = 0; i < calls; i++) times.push(clock.now());
      return true;
    },
    spent,
  };
}
