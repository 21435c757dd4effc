// Timer `expire-approvals`: expires approval requests nobody answered in time, and settles approved ones a dead
// host cut off (shared/services/approval-expiry.ts).
import type { FunctionDefinition } from './definition';
import type { Services } from './services';

export function createExpireApprovalsFunction(
  services: () => Promise<Pick<Services, 'approvalExpiry'>>,
  opts: { schedule: string; now?: () => Date },
): Extract<FunctionDefinition, { trigger: { type: 'timer' } }> {
  return {
    name: 'expire-approvals',
    trigger: { type: 'timer', schedule: opts.schedule, runOnStartup: false },
    handler: async (_timer, context) => {
      const r = await (await services()).approvalExpiry.run(opts.now?.() ?? new Date());
      if (r.due > 0)
        context.log(`expire-approvals: ${r.expired} of ${r.due} due requests expired, ${r.notified} cards sent`);
      if (r.settled) context.log(`expire-approvals: ${r.settled} approved requests cut off by a dead host settled`);
    },
  };
}
