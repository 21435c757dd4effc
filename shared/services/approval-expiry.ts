// Approval expiry, run by the `expire-approvals` timer (functions/expire-approvals.ts): requests nobody
// answered in time become `expired` (an ETag-guarded write, so an approve landing at the same moment wins or
// loses cleanly), and the conversation that asked gets the expired card. Only the tick that wrote the expiry
// sends it; a failed send is logged, not retried (the row stays the truth: `approve <id>` answers "expired").
// Every approver's card of the request is updated in place to say it expired. A request this app cannot open
// (another SECRETS_KEY, or kept in plain text before sealing) expires the same way: expiry needs no content. The
// same pass settles approved requests whose run a dead host cut off (never running them again): executed if their
// effect is there, else failed with "nothing was changed", told like an expiry.
import {
  approvalView,
  expire,
  scaleModeOf,
  settleInterrupted,
  type Approval,
  type StoredApproval,
} from '../core/approval-policy';
import type { ScaleMode } from '../compute/model';
import type { ComputePort } from '../compute/port';
import { isNotFound, toError } from '../errors';
import type { Stores } from '../storage/index';
import { updateApprovalCards } from './approval-cards';
import type { ConversationSender } from './conversation-sender';

export interface ExpireDeps {
  stores: Pick<Stores, 'approvals' | 'approvalCards' | 'conversations' | 'audit'>;
  sender: ConversationSender;
  /** To see what a cut-off approval did (absent: those are left as they are). */
  compute?: Pick<ComputePort, 'getCluster' | 'getJob'>;
  log: (line: string) => void;
}

export interface ExpireReport {
  due: number;
  expired: number;
  notified: number;
  /** Approved requests whose run was cut off, settled by what they did (executed, or failed: not run). */
  settled?: number;
}

/**
 * An approved request still `approved` this long after it was approved was cut off: its run (the bot's turn or
 * function, at most host.json's functionTimeout of 5 min) is over.
 */
const CUT_OFF_MS = 10 * 60_000;

const sameScale = (a: ScaleMode, b: ScaleMode) =>
  a.mode === 'manual'
    ? b.mode === 'manual' && a.targetNodeCount === b.targetNodeCount
    : b.mode === 'auto' && a.min === b.min && a.max === b.max;

/** Whether the request's effect is there: the cluster at the requested scale, or the job submitted. */
async function effectOf(compute: NonNullable<ExpireDeps['compute']>, a: Approval): Promise<'done' | 'not-run'> {
  const r = a.request;
  if (r.kind !== 'submit') {
    const c = await compute.getCluster({ ...a.workspace, cluster: r.cluster });
    return sameScale(c.scale, scaleModeOf(r)) ? 'done' : 'not-run';
  }
  try {
    await compute.getJob({ ...a.workspace, experiment: r.experiment, job: r.name });
    return 'done';
  } catch (e) {
    if (isNotFound(e)) return 'not-run';
    throw e;
  }
}

/** Settles approved requests whose run was cut off; each is told in the conversation that asked. */
async function settleCutOff(deps: ExpireDeps, now: Date): Promise<number> {
  if (!deps.compute) return 0;
  let settled = 0;
  for (const row of await deps.stores.approvals.approved()) {
    const at = row.value.decidedAt;
    if (!at || now.getTime() - Date.parse(at) < CUT_OFF_MS) continue;
    const next = settleInterrupted(row.value, await effectOf(deps.compute, row.value), now);
    // Undefined: finished by its own run since the query (a slow one); its write stands.
    if (!next || (await deps.stores.approvals.replace(next, row.etag)) === undefined) continue;
    settled++;
    await updateApprovalCards(deps, next, now);
    await tell(deps, next, now, 'was cut off');
  }
  return settled;
}

/** Sends the request's card (its new state) to the conversation that asked; a failure is logged, not retried. */
async function tell(deps: ExpireDeps, next: StoredApproval, now: Date, what: string): Promise<boolean> {
  try {
    const conv = await deps.stores.conversations.get(next.conversationId);
    if (!conv) {
      deps.log(`expire-approvals: ${next.id} ${what}; conversation ${next.conversationId} has no stored reference`);
      return false;
    }
    await deps.sender.send(conv, approvalView(next, now));
    return true;
  } catch (e) {
    deps.log(`expire-approvals: ${next.id} ${what} but the card could not be sent: ${toError(e).message}`);
    return false;
  }
}

async function expireDue(deps: ExpireDeps, now: Date): Promise<ExpireReport> {
  const due = await deps.stores.approvals.due(now);
  const report: ExpireReport = { due: due.length, expired: 0, notified: 0 };
  for (const row of due) {
    const next = expire(row.value, now);
    if (!next) continue;
    // Undefined: answered or expired by someone else since the query; their write stands.
    if ((await deps.stores.approvals.replace(next, row.etag)) === undefined) continue;
    report.expired++;
    // An approval step like approve and reject: the timer is its actor.
    await deps.stores.audit
      .start({
        at: now.toISOString(),
        userId: 'expire-approvals',
        command: `expire ${next.id}`,
        kind: 'expire',
        target: next.id,
        ...(next.request?.cluster ? { cluster: next.request.cluster } : {}),
        workspace: next.workspace.workspace.toLowerCase(),
        conversationId: next.conversationId,
        result: 'ok',
        approvalId: next.id,
      })
      .catch((e: unknown) =>
        deps.log(`expire-approvals: ${next.id} expired but its audit row could not be written: ${toError(e).message}`),
      );
    await updateApprovalCards(deps, next, now);
    if (await tell(deps, next, now, 'expired')) report.notified++;
  }
  const settled = await settleCutOff(deps, now);
  return settled ? { ...report, settled } : report;
}

export interface ApprovalExpiry {
  /** Expires every request due at `now` and sends each its expired card. */
  run(now: Date): Promise<ExpireReport>;
}

export function createApprovalExpiry(deps: ExpireDeps): ApprovalExpiry {
  return { run: (now) => expireDue(deps, now) };
}
