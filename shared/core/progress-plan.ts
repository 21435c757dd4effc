// Pure: what the progress reader does in one tick, within its stated budget. Per tick at most `maxJobs` watched
// running jobs are looked at (the ones looked at longest ago first, so every job gets its turn); each costs one
// listing of its stdouterr directory (sizes: the growth check), at most two ranged reads (the ends of stdout
// and stderr, only of a file that grew) and, at most once per `updateSeconds`, one job GET (its state, for the
// card) — or, once per stall, a job and a cluster GET for the stuck alert instead of reads: ≤ 4 requests per job
// looked at. A card is updated at most once per `updateSeconds`; a job whose logs did not grow for its stall
// window gets one stuck alert, cleared when it speaks again. Once per job, when it has ended, its final card
// reads its tails as the follow-up's does.
import { fractionDone, type TrainingProgress } from './progress-parse';
import type { StuckFacts } from './stuck-view';
import type { ProgressView } from './views';

export interface ProgressBudget {
  /** Jobs looked at per tick (each: 1 listing, at most 2 ranged reads, at most 1 job GET). */
  maxJobs: number;
  /** A card is updated at most this often. */
  updateSeconds: number;
  /** No growth of stdout and stderr this long is a stall. */
  stallMinutes: number;
}

/** Requests one tick may make at most: the figure bench/progress-reader.ts checks. */
export const requestsPerTickAtMost = (b: ProgressBudget, watched: number) => Math.min(b.maxJobs, watched) * 4;

/** What the reader remembers of a watched job between ticks. */
export interface WatchState {
  /** ISO; undefined: never looked at. */
  lookedAt?: string;
  stdoutSize: number;
  stderrSize: number;
  /** ISO: when a log last grew (or the watch began). */
  grewAt: string;
  /** ISO: when the card was last updated with progress. */
  updatedAt?: string;
  /** ISO: when the job's state was last read (a quiet job's is read once per updateSeconds too). */
  checkedAt?: string;
  /** ISO: the stuck alert of the current stall went out at this time. */
  stallAlertedAt?: string;
  /** The current stall's alert (its message, to update in place when someone chooses to keep waiting). */
  stallAlert?: StallAlert;
  /** ISO: someone chose [Keep waiting]: the stall window counts again from here (one more alert at most). */
  rearmedAt?: string;
  /** The template's own stall window, if it set one. */
  stallMinutes?: number;
}

/** A sent stuck alert: its message id and what it said (the card is drawn again from these). */
export interface StallAlert {
  id: string;
  facts: Omit<StuckFacts, 'now' | 'job'>;
  /** Who chose to keep waiting, and when (ISO). */
  keptWaiting?: { by: string; at: string };
}

/**
 * [Keep waiting] on a stuck alert: recorded on the alert, and the stall re-armed so that a job still silent one
 * more stall window from now gets exactly one more alert (look() sends it once; a job that speaks clears it).
 */
export function keepWaiting(s: WatchState, by: string, now: Date): WatchState {
  const { stallAlertedAt: _, ...rest } = s;
  const at = now.toISOString();
  return {
    ...rest,
    rearmedAt: at,
    ...(s.stallAlert ? { stallAlert: { ...s.stallAlert, keptWaiting: { by, at } } } : {}),
  };
}

/** The watches to look at this tick: least recently looked at first, at most `maxJobs`. */
export function pickWatches<T extends { state: WatchState }>(watches: readonly T[], b: ProgressBudget): T[] {
  const at = (w: T) => (w.state.lookedAt ? Date.parse(w.state.lookedAt) : 0);
  return [...watches].sort((a, z) => at(a) - at(z)).slice(0, b.maxJobs);
}

export interface Look {
  state: WatchState;
  /** Files to read the end of (those that grew). */
  read: Array<'stdout.txt' | 'stderr.txt'>;
  /** A stuck alert is due now (once per stall). */
  stuck: boolean;
  /** The stall ended: the job printed again after its stuck alert. */
  spokeAgain: boolean;
}

/** One job's look, given the sizes its listing gave now. */
export function look(prev: WatchState, sizes: { stdout: number; stderr: number }, now: Date, b: ProgressBudget): Look {
  const iso = now.toISOString();
  const read: Look['read'] = [];
  if (sizes.stdout > prev.stdoutSize) read.push('stdout.txt');
  if (sizes.stderr > prev.stderrSize) read.push('stderr.txt');
  const grew = read.length > 0 || sizes.stdout < prev.stdoutSize || sizes.stderr < prev.stderrSize;
  const state: WatchState = { ...prev, lookedAt: iso, stdoutSize: sizes.stdout, stderrSize: sizes.stderr };
  if (grew) {
    state.grewAt = iso;
    delete state.stallAlertedAt;
    delete state.stallAlert;
    delete state.rearmedAt;
    return { state, read, stuck: false, spokeAgain: prev.stallAlertedAt !== undefined };
  }
  const since = Math.max(Date.parse(prev.grewAt), prev.rearmedAt ? Date.parse(prev.rearmedAt) : 0);
  const quietMs = now.getTime() - since;
  const stuck = prev.stallAlertedAt === undefined && quietMs >= (prev.stallMinutes ?? b.stallMinutes) * 60_000;
  if (stuck) state.stallAlertedAt = iso;
  return { state, read, stuck, spokeAgain: false };
}

/** True when the card may be updated now (and has something new to show). */
export function updateDue(s: WatchState, changed: boolean, now: Date, b: ProgressBudget): boolean {
  if (!changed) return false;
  return !s.updatedAt || now.getTime() - Date.parse(s.updatedAt) >= b.updateSeconds * 1000;
}

/** The parser's reading as the card's view: metrics as a list, the chart's points merged with earlier ones. */
export function toProgressView(p: TrainingProgress, earlier: ReadonlyArray<{ x: number; y: number }> = []) {
  const view: ProgressView = { metrics: Object.entries(p.metrics).map(([name, value]) => ({ name, value })) };
  const fraction = fractionDone(p);
  if (fraction !== undefined) view.fraction = fraction;
  for (const k of ['step', 'totalSteps', 'epoch', 'totalEpochs', 'ratePerSecond', 'etaSeconds'] as const) {
    if (p[k] !== undefined) view[k] = p[k];
  }
  const points = mergePoints(earlier, p.series);
  if (p.mainMetric && points.length > 0) view.chart = { metric: p.mainMetric, points };
  return view;
}

/** Points kept per job across ticks (a tail only holds the newest ones). */
export const MAX_CHART_POINTS = 200;

/** Earlier points, then the new ones past the last earlier x; thinned evenly to MAX_CHART_POINTS. */
export function mergePoints(
  earlier: ReadonlyArray<{ x: number; y: number }>,
  fresh: ReadonlyArray<{ x: number; y: number }>,
): Array<{ x: number; y: number }> {
  const lastX = earlier.length ? earlier[earlier.length - 1]!.x : Number.NEGATIVE_INFINITY;
  const all = [...earlier, ...fresh.filter((p) => p.x > lastX)];
  if (all.length <= MAX_CHART_POINTS) return all;
  const step = all.length / MAX_CHART_POINTS;
  const thinned = Array.from({ length: MAX_CHART_POINTS - 1 }, (_, i) => all[Math.floor(i * step)]!);
  return [...thinned, all[all.length - 1]!];
}

/**
 * The run's time left from how far it is and how long it has run. A tool's own ETA is often its epoch's (Keras,
 * Lightning and per-epoch tqdm bars), so where the fraction of the whole run is known, this one is shown.
 */
export function withRunEta(p: ProgressView, elapsedSeconds: number | undefined): ProgressView {
  if (p.fraction === undefined || p.fraction <= 0 || p.fraction >= 1 || !elapsedSeconds) return p;
  return { ...p, etaSeconds: (elapsedSeconds * (1 - p.fraction)) / p.fraction };
}
