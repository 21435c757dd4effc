// A backend adapter's listings of a whole workspace's (account's) jobs, for services whose list has no experiment
// filter (Azure Batch, Azure ML): a poll makes one anew (listExperiments, first) and its every experiment's listJobs
// share it while it is being paged and for `ttlMs` after it is complete; a write drops it, and so does the poll
// when it is done with the workspace (ComputePort.releaseListing): a tick over 50 workspaces otherwise held every
// listing made in the last `ttlMs`, 25 of them, not the 4 it polls at once. Listings past their age are dropped
// when the next is made (those of callers that release nothing).

export interface Listing<T> {
  /** When the listing was complete (undefined while its pages are still being read). */
  at?: number;
  jobs: Promise<T>;
}

export interface Listings<L extends Listing<unknown>> {
  /** The workspace's listing: `make`'s new one when `fresh`, when there is none or it is past its age. */
  get(key: string, fresh: boolean, make: () => L): L;
  /** A complete listing younger than `ttlMs`, if there is one. */
  young(key: string): L | undefined;
  drop(key: string): void;
}

export function createListings<L extends Listing<unknown>>(ttlMs: number, now: () => number): Listings<L> {
  const listings = new Map<string, L>();
  const young = (l: L) => l.at !== undefined && now() - l.at < ttlMs;
  return {
    get(key, fresh, make) {
      const cur = listings.get(key);
      // A listing still being paged serves too: its age counts from when it was complete.
      if (cur && !fresh && (cur.at === undefined || young(cur))) return cur;
      for (const [k, l] of listings) if (l.at !== undefined && !young(l)) listings.delete(k);
      const next = make();
      listings.set(key, next);
      next.jobs.then(
        () => {
          next.at = now();
        },
        () => {
          if (listings.get(key) === next) listings.delete(key);
        },
      );
      return next;
    },
    young(key) {
      const l = listings.get(key);
      return l && young(l) ? l : undefined;
    },
    drop: (key) => void listings.delete(key),
  };
}
