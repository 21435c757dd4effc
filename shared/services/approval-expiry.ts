// Approval expiry, run by the `expire-approvals` timer (functions/expire-approvals.ts): requests nobody
// answered in time become `expired` (an ETag-guarded write, so an approve landing at the same moment wins or
// loses cleanly), and the conversation that asked gets the expired card. Only the tick that wrote the expiry
// sends it; a failed send is logged, not retried (the row stays the truth: `approve <id>` answers "expired").
// Every approver's card of the request is updated in place to say it expired. A request this app cannot open
// (another SECRETS_KEY, or kept in plain text before sealing) expires the same way: expiry needs no content.
import { approvalView, expire } from '../core/approval-policy';
import { toError } from '../errors';
import type { Stores } from '../storage/index';
import { updateApprovalCards } from './approval-cards';
import type { ConversationSender } from './conversation-sender';

export interface ExpireDeps {
  stores: Pick<Stores, 'approvals' | 'approvalCards' | 'conversations' | 'audit'>;
  sender: ConversationSender;
  log: (line: string) => void;
}

export interface ExpireReport {
  due: number;
  expired: number;
  notified: number;
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
    try {
      const conv = await deps.stores.conversations.get(next.conversationId);
      if (!conv) {
        deps.log(`expire-approvals: ${next.id} expired; conversation ${next.conversationId} has no stored reference`);
        continue;
      }
      await deps.sender.send(conv, approvalView(next, now));
      report.notified++;
    } catch (e) {
      deps.log(`expire-approvals: ${next.id} expired but the card could not be sent: ${toError(e).message}`);
    }
  }
  return report;
}

export interface ApprovalExpiry {
  /** Expires every request due at `now` and sends each its expired card. */
  run(now: Date): Promise<ExpireReport>;
}

export function createApprovalExpiry(deps: ExpireDeps): ApprovalExpiry {
  return { run: (now) => expireDue(deps, now) };
}
