// One step of a followed card, run by the `followups` queue function (functions/followups.ts) for each message:
// look at the resource once, update the card in place if what it shows changed, and hand over to the next
// step (a delayed message) until the resource settles or the deadline passes.
//
// Exactly one successor per step, under redelivery and crashes: the card's row (shared/storage/followup-queue.ts)
// says which step is due. A step first updates the card (the same content twice is harmless), then claims the
// row from seq to seq + 1 with its ETag, then enqueues seq + 1. A delivery that finds the row moved on is a
// duplicate and does nothing; of two concurrent deliveries one claim wins. The one gap, a crash between claim
// and enqueue, is closed by the claim naming the queue message: only a redelivery of that same message (same
// id) re-enqueues, and a spare copy this may produce loses the next claim like any other duplicate.
import { ProtocolError } from '../shared/errors';
import { parseFollowUpMessage, type FollowUpMessage, type FollowUpTarget } from '../shared/storage/followup-queue';
import type { BotDeps } from './deps';
import { observe, type Observation, type Phase } from './follow-up';
import { approvalWatch, clusterWatch } from './handlers/scale';
import { jobWatch } from './job-watch';
import { cardProgress } from './progress-reader';
import type { View } from '../shared/core/views';

export type FollowUpOutcome = 'updated' | 'unchanged' | 'done' | 'stopped' | 'duplicate' | 'superseded' | 'recovered';

export interface FollowUpReport {
  activityId: string;
  seq: number;
  outcome: FollowUpOutcome;
}

/** Runs one message; `deliveryId` is the queue message's id (the same on every redelivery of it). */
export type FollowUpStep = (message: unknown, deliveryId: string) => Promise<FollowUpReport>;

function observeTarget(deps: BotDeps, target: FollowUpTarget): Promise<Observation> {
  switch (target.kind) {
    case 'job':
      return observe(jobWatch(deps, target));
    case 'cluster':
      return observe(clusterWatch(deps, target));
    case 'approval':
      return observe(approvalWatch(deps, target.approval));
  }
}

const successor = (m: FollowUpMessage, key: string): FollowUpMessage => ({ ...m, seq: m.seq + 1, key });

export function createFollowUpStep(deps: BotDeps): FollowUpStep {
  const queue = deps.followUps;

  async function update(m: FollowUpMessage, seen: Observation, phase: Phase): Promise<void> {
    const conv = await deps.stores.conversations.get(m.conversationId);
    // The bot saves the conversation before it answers: a missing row is worth a retry, then the poison queue.
    if (!conv)
      throw new ProtocolError(`conversation ${m.conversationId} is not stored: cannot update card ${m.activityId}`);
    const view = await seen.render(phase);
    const sent = await withProgress(m, view);
    await deps.sender.update(conv, m.activityId, sent);
    // The progress reader's update may have reached the card while this one was on its way, and been overwritten
    // by it. The reader writes its reading to the watch before it sends (bot/progress-reader.ts), so a read now
    // sees every reading a card was sent before this update: if the card should show something else, send that.
    const again = await withProgress(m, view);
    if (JSON.stringify(again) !== JSON.stringify(sent)) await deps.sender.update(conv, m.activityId, again);
  }

  /**
   * A submitted job's card shows what the progress reader last read (bar, metrics, chart) in every update of this
   * follow-up, not only its final one: both write the same card, and an update without it (the job's state
   * changed while it runs, the deadline passed) took the bar and chart away until the reader's next update, a
   * minute later, or for good once the job ended before it. Whichever of the two writes last, the card keeps them.
   */
  async function withProgress(m: FollowUpMessage, view: View): Promise<View> {
    if (m.target.kind !== 'job' || view.kind !== 'job' || !deps.progressWatches) return view;
    const w = await deps.progressWatches.get({
      job: m.target.job,
      conversationId: m.conversationId,
      activityId: m.activityId,
    });
    return w?.progress ? { ...view, progress: cardProgress(w.progress, w, view) } : view;
  }

  return async (raw, deliveryId) => {
    const m = parseFollowUpMessage(raw);
    const report = (outcome: FollowUpOutcome): FollowUpReport => ({ activityId: m.activityId, seq: m.seq, outcome });
    const row = await queue.current(m);
    if (!row || row.value.chain !== m.chain) return report('superseded');
    if (row.value.seq === m.seq + 1 && row.value.claimedBy === deliveryId) {
      // This very message claimed its step before and may have stopped before the successor was enqueued.
      await queue.enqueue(successor(m, row.value.key));
      return report('recovered');
    }
    if (row.value.seq !== m.seq) return report('duplicate');

    const seen = await observeTarget(deps, m.target);
    const phase: Phase = seen.done ? 'done' : deps.now().getTime() >= Date.parse(m.deadline) ? 'stopped' : 'following';
    const changed = seen.key !== m.key || phase !== 'following';
    if (changed) await update(m, seen, phase);
    if (phase !== 'following') {
      await queue.finish(m, row.etag);
      return report(phase);
    }
    if (!(await queue.claim(m, seen.key, deliveryId, row.etag))) return report('duplicate');
    await queue.enqueue(successor(m, seen.key));
    return report(changed ? 'updated' : 'unchanged');
  };
}
