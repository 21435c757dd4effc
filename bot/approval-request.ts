// Turning a request that needs an approver into a pending row and its card (DESIGN flow 4): shared by the
// scale commands and submit. The card follows the row until it is answered, expires or has run; approvers get
// the card in their own conversations (shared/services/approval-cards.ts).
import type { ClusterRef } from '../shared/compute/model';
import { approvalView, type ApprovalRequest } from '../shared/core/approval-policy';
import type { CostEstimate } from '../shared/core/prices';
import { redactText } from '../shared/core/redact';
import { toError } from '../shared/errors';
import { tellApprovers } from '../shared/services/approval-cards';
import type { HandlerContext, Reply } from './handler';

export async function requestApproval(
  ctx: HandlerContext,
  request: ApprovalRequest,
  ref: ClusterRef,
  note: string,
  estimate: CostEstimate,
): Promise<Reply> {
  const { resourceGroup, workspace } = ref;
  const now = ctx.deps.now();
  const { value } = await ctx.deps.stores.approvals.create({
    state: 'pending',
    request,
    workspace: { resourceGroup, workspace },
    requestedBy: { id: ctx.turn.userId, ...(ctx.turn.userName ? { name: ctx.turn.userName } : {}) },
    conversationId: ctx.turn.conversationId,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + ctx.deps.config.policy.approvalTtlMinutes * 60_000).toISOString(),
    estimate,
  });
  // The request stands once stored: not reaching an approver is logged (each failure by tellApprovers itself).
  const { admins, approvers, defaultRole } = ctx.deps.config.policy;
  await tellApprovers(ctx.deps, { admins, approvers, defaultRole }, value, now, note).catch((e: unknown) =>
    ctx.deps.log(`[approvals] ${value.id}: approvers could not be told: ${redactText(toError(e).message)}`),
  );
  // Followed at least until it expires: its card then says so.
  return {
    view: approvalView(value, now, note),
    followUp: { target: { kind: 'approval', approval: value.id }, key: 'pending', until: value.expiresAt },
  };
}

/** The budget part of the approval rule, as approval-policy's approvalReason takes it. */
export function costRule(
  ctx: HandlerContext,
  estimate: CostEstimate,
): { estimate: CostEstimate; budgetPerHour?: number } {
  const budget = ctx.deps.config.policy.approvalBudgetPerHour;
  return budget === undefined ? { estimate } : { estimate, budgetPerHour: budget };
}
