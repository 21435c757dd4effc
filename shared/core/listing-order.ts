// Pure: which experiments a poll tick lists first. Jobs end where jobs run: an experiment with a job not yet final,
// one the tick has never seen, or one that moved lately. A tick lists those first and sends their events before it
// lists the rest, so an alert waits for the few experiments that can have news, not for a workspace's every
// experiment (Batch AI lists each experiment with its own requests). The rest is listed in the same tick: nothing
// is skipped, a quiet experiment's news (a job added to it, a job deleted) only comes a moment later.

/** What an experiment's digest row says of its activity (storage/snapshot-store.ts). */
export interface ExperimentActivity {
  /** Some job of its last listing was not in a final state; absent on rows written before this was kept. */
  active?: boolean;
  /** When its digest last moved from a stored one (not its first listing), ISO 8601. */
  movedAt?: string;
}

/** An experiment that moved this recently is listed first: sweeps and retries come in waves. */
export const RECENT_MS = 15 * 60_000;

/** True when a tick should list this experiment first; `activity` undefined: never seen by a tick. */
export function listsFirst(activity: ExperimentActivity | undefined, now: Date): boolean {
  if (activity?.active !== false) return true;
  if (activity.movedAt === undefined) return false;
  const moved = Date.parse(activity.movedAt);
  return Number.isNaN(moved) || now.getTime() - moved < RECENT_MS;
}

/** The experiments in the order a tick lists them: first those that can have news, each part in the given order. */
export function listingOrder(
  experiments: string[],
  activity: ReadonlyMap<string, ExperimentActivity>,
  now: Date,
): { first: string[]; rest: string[] } {
  const first: string[] = [];
  const rest: string[] = [];
  for (const e of experiments) (listsFirst(activity.get(e), now) ? first : rest).push(e);
  return { first, rest };
}
