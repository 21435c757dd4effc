// Approvers are told in their own conversation (DESIGN flow 4): when a request is created, each person who may
// approve it (core/roles.ts holders of the approver role in its workspace, the requester excepted) gets its
// card where they last talked to the bot (core/reach.ts: personal first), and each card sent is recorded with
// the request. Whenever the request changes (answered, run, expired) every recorded card is updated in place.
// One conversation failing never stops the others: each send or update stands alone and a failure is logged.
import { type Approval, approvalView, type StoredApproval } from '../core/approval-policy';
import { planCards } from '../core/reach';
import { redactText } from '../core/redact';
import { holders, type RolePolicy } from '../core/roles';
import { toError } from '../errors';
import type { ApprovalCard, Stores } from '../storage/index';
import type { ConversationSender } from './conversation-sender';

/** What updating the cards takes (the expiry timer has no more); telling approvers also reads roles and people. */
export interface CardUpdateDeps {
  stores: Pick<Stores, 'approvalCards' | 'conversations'>;
  sender: ConversationSender;
  log: (line: string) => void;
}

export interface ApprovalCardDeps extends CardUpdateDeps {
  stores: Pick<Stores, 'approvalCards' | 'conversations' | 'people' | 'roles'>;
}

export interface FanOutReport {
  done: number;
  failed: number;
}

/** Runs every task; counts and logs the failures instead of stopping at the first. */
async function fanOut<T>(
  deps: Pick<ApprovalCardDeps, 'log'>,
  items: readonly T[],
  task: (t: T) => Promise<void>,
  what: (t: T) => string,
): Promise<FanOutReport> {
  const results = await Promise.allSettled(items.map(task));
  let failed = 0;
  results.forEach((r, i) => {
    if (r.status === 'fulfilled') return;
    failed++;
    deps.log(`[approvals] ${what(items[i])} failed: ${redactText(toError(r.reason).message)}`);
  });
  return { done: results.length - failed, failed };
}

async function stored(deps: CardUpdateDeps, conversationId: string) {
  const conv = await deps.stores.conversations.get(conversationId);
  if (!conv) throw new Error(`conversation ${conversationId} has no stored reference`);
  return conv;
}

/** Sends pending request `a` (its card with `note`) to every approver who can be reached, and records each card. */
export async function tellApprovers(
  deps: ApprovalCardDeps,
  policy: RolePolicy,
  a: Approval,
  now: Date,
  note?: string,
): Promise<FanOutReport & { unreachable: string[] }> {
  const approvers = holders('approver', a.workspace.workspace.toLowerCase(), policy, await deps.stores.roles.list());
  const known = new Map(await Promise.all(approvers.map(async (u) => [u, await deps.stores.people.get(u)] as const)));
  const plan = planCards(approvers, a.requestedBy.id, a.conversationId, known);
  for (const u of plan.unreachable)
    deps.log(`[approvals] ${a.id}: approver ${u} has no known conversation (never talked to the bot): not told`);
  const view = approvalView(a, now, note);
  const report = await fanOut(
    deps,
    plan.send,
    async (t) => {
      const { id } = await deps.sender.send(await stored(deps, t.conversationId), view);
      if (!id) throw new Error('the channel gave the card no id: it cannot be updated later');
      await deps.stores.approvalCards.add(a.id, { conversationId: t.conversationId, activityId: id, userId: t.userId });
    },
    (t) => `${a.id}: telling ${t.userId} in ${t.conversationId}`,
  );
  return { ...report, unreachable: plan.unreachable };
}

/** Updates every approver's card of `a` in place to what `a` is now. Never rejects: the row stays the truth. */
export async function updateApprovalCards(deps: CardUpdateDeps, a: StoredApproval, now: Date): Promise<FanOutReport> {
  let cards: ApprovalCard[];
  try {
    cards = await deps.stores.approvalCards.list(a.id);
  } catch (e) {
    deps.log(`[approvals] ${a.id}: its cards could not be read, none updated: ${redactText(toError(e).message)}`);
    return { done: 0, failed: 1 };
  }
  const view = approvalView(a, now);
  return fanOut(
    deps,
    cards,
    async (c) => deps.sender.update(await stored(deps, c.conversationId), c.activityId, view),
    (c) => `${a.id}: updating card ${c.activityId} in ${c.conversationId}`,
  );
}
