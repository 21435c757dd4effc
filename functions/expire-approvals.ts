// Timer: approval requests nobody answered in time become `expired` (an ETag-guarded write, so an approve
// landing at the same moment wins or loses cleanly), and the conversation that asked gets the expired card.
// Only the tick that wrote the expiry sends it; a failed send is logged, not retried (the row stays the truth:
// `approve <id>` answers "expired").
import { expireApprovalsSchedule } from '../shared/config';
import { approvalView, expire } from '../shared/core/approval-policy';
import { toError } from '../shared/errors';
import type { AlertPort } from '../shared/services/notifier';
import type { Stores } from '../shared/storage/index';
import type { FunctionDefinition } from './definition';
import { getServices, type Services } from './services';

export interface ExpireDeps {
  stores: Pick<Stores, 'approvals' | 'conversations'>;
  sender: AlertPort;
  now: () => Date;
  log: (line: string) => void;
}

export interface ExpireReport { due: number; expired: number; notified: number }

export async function expireApprovals(deps: ExpireDeps): Promise<ExpireReport> {
  const now = deps.now();
  const due = await deps.stores.approvals.due(now);
  const report: ExpireReport = { due: due.length, expired: 0, notified: 0 };
  for (const row of due) {
    const next = expire(row.value, now);
    if (!next) continue;
    // Undefined: answered or expired by someone else since the query; their write stands.
    if ((await deps.stores.approvals.replace(next, row.etag)) === undefined) continue;
    report.expired++;
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

export function createExpireApprovalsFunction(
  services: () => Promise<Pick<Services, 'stores' | 'sender'>>,
  opts: { schedule?: string; now?: () => Date } = {},
): Extract<FunctionDefinition, { trigger: { type: 'timer' } }> {
  return {
    name: 'expire-approvals',
    trigger: { type: 'timer', schedule: opts.schedule ?? expireApprovalsSchedule(), runOnStartup: false },
    handler: async (_timer, context) => {
      const { stores, sender } = await services();
      const r = await expireApprovals({ stores, sender, now: opts.now ?? (() => new Date()), log: (l) => context.warn(l) });
      if (r.due > 0) context.log(`expire-approvals: ${r.expired} of ${r.due} due requests expired, ${r.notified} cards sent`);
    },
  };
}

export const expireApprovalsFunction: FunctionDefinition = createExpireApprovalsFunction(getServices);
