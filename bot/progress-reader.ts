// The progress reader: one tick of the `progress` timer (functions/progress.ts), apart from the poll tick and its
// budget. For each watched card of a running job (picked within the budget: shared/core/progress-plan.ts) it
// lists the job's stdouterr once (the sizes tell growth), reads the end of each log that grew (one ranged read
// each), parses progress, and updates the card in place at most once per `updateSeconds` (one job GET then, to
// show its state). A job whose logs stay quiet for its stall window gets one stuck alert. When the job has
// ended, the card gets its final form (tails, cause, chart); the watch is kept, marked ended, for an hour, so
// that the follow-up's own updates of the same card (bot/follow-up-step.ts) show the same progress and chart
// (cardProgress), whichever of the two comes last.
import type { ComputeJob, JobRef, OutputFile } from '../shared/compute/model';
import { isFinalState } from '../shared/compute/model';
import { parseProgress, type TrainingProgress } from '../shared/core/progress-parse';
import {
  look,
  pickWatches,
  type ProgressBudget,
  type StallAlert,
  toProgressView,
  updateDue,
  withRunEta,
} from '../shared/core/progress-plan';
import { pricePerNodeHour } from '../shared/core/prices';
import { redactText } from '../shared/core/redact';
import { stuckAlertView } from '../shared/core/stuck-view';
import type { JobView, ProgressView } from '../shared/core/views';
import { isNotFound, toError } from '../shared/errors';
import { priceTable } from '../shared/prices-file';
import { type ProgressWatch, type ProgressWatchStore, WatchChangedError } from '../shared/storage/progress-watch-store';
import type { BotDeps } from './deps';
import { jobView } from './job-card';
import { jobWatch } from './job-watch';
import { RETENTION } from '../shared/storage/retention';

/** Bytes of each log's end read per look: enough for a few hundred progress lines. */
export const PROGRESS_TAIL_BYTES = 64 * 1024;

export interface ProgressTickReport {
  watched: number;
  looked: number;
  /** Compute requests this tick made (listings, ranged reads, job GETs, cluster GETs). */
  requests: number;
  updated: number;
  stuck: number;
  ended: number;
  failures: string[];
}

export interface ProgressReaderDeps extends BotDeps {
  watches: ProgressWatchStore;
  budget: ProgressBudget;
  /** How long an ended job's watch is kept (RETENTION's progresswatches; default the retention table's). */
  endedKeptMs?: number;
}

export interface ProgressReader {
  tick(): Promise<ProgressTickReport>;
}

const jobName = (r: JobRef) => ({ experiment: r.experiment, job: r.job });

/** Later readings win field by field; a log that did not grow this time keeps what it said before. */
function merged(prev: ProgressView | undefined, next: ProgressView): ProgressView {
  if (!prev) return next;
  const names = new Map(prev.metrics.map((m) => [m.name, m.value]));
  for (const m of next.metrics) names.set(m.name, m.value);
  const { chart: _old, ...rest } = prev;
  return { ...rest, ...next, metrics: [...names].map(([name, value]) => ({ name, value })) };
}

export function createProgressReader(deps: ProgressReaderDeps): ProgressReader {
  const { compute, budget } = deps;

  async function readLog(ref: JobRef, file: OutputFile, count: () => void): Promise<string> {
    count();
    const t = await compute.readTail(ref, file, { maxBytes: PROGRESS_TAIL_BYTES, maxLines: 5000 });
    return t.lines.join('\n');
  }

  /** The follow-up's final card (tails, cause), from the job just read. */
  async function finalCard(w: ProgressWatch, job: ComputeJob): Promise<JobView> {
    const target = {
      kind: 'job' as const,
      job: w.job,
      headline: 'submit' as const,
      ...(w.submittedBy ? { submittedBy: w.submittedBy } : {}),
    };
    return (await jobWatch(deps, target).render(job, 'done')) as JobView;
  }

  /**
   * Sends the stuck alert and answers what it said and its message id (undefined when the channel gave none);
   * false when the job is not running (a queued job waiting for nodes is not stuck).
   */
  async function stuckAlert(
    w: ProgressWatch,
    read: ComputeJob | undefined,
    count: () => void,
  ): Promise<StallAlert | undefined | false> {
    if (!read) count();
    const job = read ?? (await compute.getJob(w.job));
    if (job.state !== 'running') return false;
    const conv = await deps.stores.conversations.get(w.conversationId);
    if (!conv) return undefined;
    let vmSize: string | undefined;
    let price: number | undefined;
    try {
      count();
      const c = await compute.getCluster({ ...w.job, cluster: job.cluster });
      vmSize = c.vmSize;
      price = pricePerNodeHour(priceTable(deps.config.policy.pricesFile), c.vmSize);
    } catch (e) {
      deps.log(`[progress] cluster of ${w.job.job} unknown for the stuck alert: ${redactText(toError(e).message)}`);
    }
    const facts: StallAlert['facts'] = {
      quietSince: w.state.grewAt,
      cluster: job.cluster,
      nodeCount: job.nodeCount,
      ...(vmSize ? { vmSize } : {}),
      ...(price === undefined ? {} : { pricePerNodeHour: price }),
    };
    const { id } = await deps.sender.send(conv, stuckAlertView({ ...facts, job: jobName(w.job), now: deps.now() }));
    return id ? { id, facts } : undefined;
  }

  /** A watch written since this tick read it ([Keep waiting] chose): that write stands; the next tick looks again. */
  async function save(w: ProgressWatch): Promise<void> {
    try {
      await deps.watches.save(w);
    } catch (e) {
      if (!(e instanceof WatchChangedError)) throw e;
      deps.log(`[progress] ${w.job.experiment}/${w.job.job}: its watch changed during the tick; kept that change`);
    }
  }

  /**
   * Writes this tick's reading to the watch before a card shows it: the follow-up, the card's other writer, draws
   * its updates from the watch and reads it again after each (bot/follow-up-step.ts), so whichever of the two
   * sends last, a card that showed progress keeps it. With the state as read (a send that then fails leaves the
   * logs to be read again next tick); `next` takes the row's new ETag for the tick's own save. False: the row
   * changed since this tick read it ([Keep waiting]); then nothing is sent and the next tick looks again.
   */
  async function publish(w: ProgressWatch, next: ProgressWatch): Promise<boolean> {
    try {
      const etag = await deps.watches.save({ ...next, state: w.state });
      if (etag) next.etag = etag;
      return true;
    } catch (e) {
      if (!(e instanceof WatchChangedError)) throw e;
      deps.log(`[progress] ${w.job.experiment}/${w.job.job}: its watch changed during the tick; looks again next tick`);
      return false;
    }
  }

  /** One watched job: returns what happened; throws only for what the next tick should retry. */
  async function lookAt(w: ProgressWatch, count: () => void): Promise<'updated' | 'stuck' | 'ended' | 'quiet'> {
    const now = deps.now();
    const files: OutputFile[] = [];
    count();
    try {
      for await (const f of compute.listOutputFiles(w.job, {
        outputDirectoryId: 'stdouterr',
        linkExpiryInMinutes: 10,
        maxResults: 100,
      })) {
        files.push(f);
      }
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
    const byName = (n: string) => files.find((f) => f.name === n && !f.isDirectory);
    const sizes = { stdout: byName('stdout.txt')?.size ?? 0, stderr: byName('stderr.txt')?.size ?? 0 };
    const seen = look(w.state, sizes, now, budget);
    const texts = await Promise.all(seen.read.map((n) => readLog(w.job, byName(n)!, count)));
    let reading: TrainingProgress | undefined;
    if (texts.length) reading = parseProgress(texts.join('\n'), w.mainMetric ? { mainMetric: w.mainMetric } : {});
    const next: ProgressWatch = { ...w, state: seen.state };
    let progress = w.progress;
    if (reading) {
      const view = toProgressView(reading, w.points);
      if (view.chart) next.points = view.chart.points;
      if (reading.mainMetric) next.chartMetric = reading.mainMetric;
      const { chart: _c, ...plain } = view;
      progress = merged(w.progress, plain);
      next.progress = progress;
    }
    // The job's state is read only when a card update is due (or the logs went quiet long enough to wonder).
    const due = updateDue(w.state, reading !== undefined, now, budget);
    const checked = w.state.checkedAt ?? w.state.updatedAt;
    const quietDue = !reading && (!checked || now.getTime() - Date.parse(checked) >= budget.updateSeconds * 1000);
    let outcome: 'updated' | 'stuck' | 'ended' | 'quiet' = 'quiet';
    let job: ComputeJob | undefined;
    if (due || quietDue) {
      count();
      job = await compute.getJob(w.job);
      const conv = await deps.stores.conversations.get(w.conversationId);
      next.state = { ...next.state, checkedAt: now.toISOString() };
      if (isFinalState(job.state)) {
        const view = await finalCard(next, job);
        if (progress) view.progress = cardProgress(progress, next, view);
        if (reading && !(await publish(w, next))) return 'quiet';
        if (conv) await deps.sender.update(conv, w.activityId, view);
        await save({ ...next, endedAt: now.toISOString() });
        return 'ended';
      }
      if (conv && progress && due) {
        const view = jobView(job, w.job.workspace, {
          now,
          labels: compute.labels,
          headline: 'Running',
          ...(w.submittedBy ? { submittedBy: w.submittedBy } : {}),
        });
        view.progress = cardProgress(progress, next, view);
        if (!(await publish(w, next))) return 'quiet';
        await deps.sender.update(conv, w.activityId, view);
        next.state = { ...next.state, updatedAt: now.toISOString() };
        outcome = 'updated';
      }
    }
    if (seen.stuck) {
      const alert = await stuckAlert(next, job, count);
      if (alert !== false) {
        outcome = 'stuck';
        // The alert of this stall replaces the last one's ([Keep waiting] updates the newest).
        const { rearmedAt: _, stallAlert: _a, ...state } = next.state;
        next.state = alert ? { ...state, stallAlert: alert } : state;
      } else {
        // Not running yet: its stall window starts when it does.
        const { stallAlertedAt: _, rearmedAt: _r, ...state } = next.state;
        next.state = { ...state, grewAt: now.toISOString() };
      }
    }
    await save(next);
    return outcome;
  }

  return {
    async tick() {
      const report: ProgressTickReport = {
        watched: 0,
        looked: 0,
        requests: 0,
        updated: 0,
        stuck: 0,
        ended: 0,
        failures: [],
      };
      const listed = await deps.watches.list((key, why) => deps.log(`[progress] skipped watch ${key}: ${why}`));
      const now = deps.now().getTime();
      // An ended job's watch is kept a while (the follow-up's final update reads its chart), then removed.
      const kept = deps.endedKeptMs ?? RETENTION.progresswatches.keepMs;
      const expired = listed.filter((w) => w.endedAt && now - Date.parse(w.endedAt) > kept);
      await Promise.allSettled(expired.map((w) => deps.watches.remove(w)));
      const all = listed.filter((w) => !w.endedAt);
      report.watched = all.length;
      const picked = pickWatches(all, budget);
      report.looked = picked.length;
      const count = () => {
        report.requests++;
      };
      const results = await Promise.allSettled(picked.map((w) => lookAt(w, count)));
      results.forEach((r, i) => {
        if (r.status === 'fulfilled') {
          if (r.value === 'updated') report.updated++;
          else if (r.value === 'stuck') report.stuck++;
          else if (r.value === 'ended') report.ended++;
          return;
        }
        const w = picked[i]!;
        const why = `${w.job.experiment}/${w.job.job}: ${redactText(toError(r.reason).message)}`;
        report.failures.push(why);
        deps.log(`[progress] ${why}`);
      });
      return report;
    },
  };
}

/** The watch's last reading with its chart, as a card shows it. */
function withChart(p: ProgressView, w: Pick<ProgressWatch, 'points' | 'chartMetric'>): ProgressView {
  return w.points.length && w.chartMetric ? { ...p, chart: { metric: w.chartMetric, points: w.points } } : p;
}

/**
 * The progress a job card shows, drawn the same way by both writers of the card (this reader and the follow-up,
 * bot/follow-up-step.ts): the watch's last reading with its chart and, while the job runs, the run's ETA.
 */
export function cardProgress(
  progress: ProgressView,
  w: Pick<ProgressWatch, 'points' | 'chartMetric'>,
  view: JobView,
): ProgressView {
  return withChart(isFinalState(view.job.state) ? progress : withRunEta(progress, view.job.durationSeconds), w);
}
