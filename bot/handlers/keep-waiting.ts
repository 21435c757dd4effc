// `keep-waiting <job>`: the [Keep waiting] button of a stuck-job alert. Records who chose it on the watch of each
// of the job's cards in this conversation whose stall was alerted, re-arms the stall (one more alert if the job
// is still silent one stall window from now: shared/core/progress-plan.ts keepWaiting), and updates the alert
// in place to say so. The write carries the ETag it read: the progress reader's tick may write the same row, and
// of the two the later retries on a fresh read (the reader's own lost write is only its tick's sizes).
import { keepWaiting as rearmed } from '../../shared/core/progress-plan';
import { stuckAlertView } from '../../shared/core/stuck-view';
import type { View } from '../../shared/core/views';
import { type ProgressWatch, WatchChangedError } from '../../shared/storage/progress-watch-store';
import type { Handler, HandlerContext } from '../handler';
import { jobRef } from '../not-found';

/** Fresh reads after a lost race before giving up (each loss means the reader's tick wrote the row). */
const MAX_TRIES = 3;

/** The alert of the watch's current stall, drawn again with who chose to keep waiting. */
function alertView(ctx: HandlerContext, w: ProgressWatch): View | undefined {
  const alert = w.state.stallAlert;
  if (!alert?.keptWaiting || !w.state.rearmedAt) return undefined;
  const stallMs = (w.state.stallMinutes ?? ctx.deps.config.progress.stallMinutes) * 60_000;
  const nextAlertAt = new Date(Date.parse(w.state.rearmedAt) + stallMs).toISOString();
  return stuckAlertView(
    { ...alert.facts, job: { experiment: w.job.experiment, job: w.job.job }, now: ctx.deps.now() },
    { ...alert.keptWaiting, nextAlertAt },
  );
}

/** Keeps waiting on one watch; undefined when its stall is no longer open (it spoke, or ended). */
async function choose(ctx: HandlerContext, first: ProgressWatch, by: string): Promise<ProgressWatch | undefined> {
  const store = ctx.deps.progressWatches!;
  let w: ProgressWatch | undefined = first;
  for (let attempt = 1; w && !w.endedAt && w.state.stallAlertedAt; attempt++) {
    const next = { ...w, state: rearmed(w.state, by, ctx.deps.now()) };
    try {
      await store.save(next);
      return next;
    } catch (e) {
      if (!(e instanceof WatchChangedError) || attempt >= MAX_TRIES) throw e;
      w = await store.get(w);
    }
  }
  return undefined;
}

export const keepWaiting: Handler<'keep-waiting'> = (cmd, ctx) =>
  jobRef(ctx, cmd.job).then(async (ref) => {
    const name = `${ref.experiment}/${ref.job}`;
    const by = ctx.turn.userName ?? ctx.turn.userId;
    const watches = (await ctx.deps.progressWatches?.forJob(ref, ctx.turn.conversationId)) ?? [];
    const chosen = (await Promise.all(watches.map((w) => choose(ctx, w, by)))).filter((w) => w !== undefined);
    const views = chosen.flatMap((w) => {
      const v = alertView(ctx, w);
      return v ? [{ id: w.state.stallAlert!.id, view: v }] : [];
    });
    if (views.length === 0) {
      return {
        view: {
          kind: 'text',
          title: `Nothing to wait for: ${name}`,
          text: `${name} has no open stuck alert here: it printed again since, or it has ended.`,
          actions: [{ title: 'Show job', command: `job ${name}` }],
        },
      };
    }
    // In place wherever the alert is (web chat and Bot Service's Slack post a button's answer as a new message;
    // Teams and the Slack app also put the answer in place of the pressed card: the same view).
    const conv = await ctx.deps.stores.conversations.get(ctx.turn.conversationId);
    if (conv) {
      const sent = await Promise.allSettled(views.map((v) => ctx.deps.sender.update(conv, v.id, v.view)));
      for (const r of sent)
        if (r.status === 'rejected') ctx.deps.log(`[bot] keep-waiting ${name}: the alert was not updated in place`);
    }
    return { view: views[0]!.view };
  });
