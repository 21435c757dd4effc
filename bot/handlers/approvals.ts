// `approve <id>`, `reject <id>` (DESIGN flow 4) and `keep-up <cluster> [hours]` (flow 5).
// Approve/reject read the request, let core/approval-policy.ts decide, and write the transition with the ETag
// they read: of two clicks at once one write wins; the other reads the row again and answers "already approved
// by X". Only the winner of pending → approved runs the scale request, so it runs once. Each written state is
// shown on every approver's card of the request (shared/services/approval-cards.ts).
import {
  approvalView,
  decide,
  finish,
  nameOf,
  scaleModeOf,
  shortTime,
  type Approval,
  type Person,
  type Verdict,
} from '../../shared/core/approval-policy';
import { toClusterView } from '../../shared/core/cluster-view';
import { InputError, ProtocolError, toError } from '../../shared/errors';
import { redactText } from '../../shared/core/redact';
import type { Handler, HandlerContext, Reply } from '../handler';
import { withCluster } from '../not-found';
import { approvalRole, atLeast, effectiveRole, sameUser } from '../../shared/core/roles';
import { accessOf, refusal, specOf } from '../access';
import { applyScale, scaleLabels } from './scale';
import { submitApproved } from './templates';
import { updateApprovalCards } from '../../shared/services/approval-cards';

/** Reads after a lost race before giving up (each loss means someone else's write landed). */
const MAX_TRIES = 3;

const me = (ctx: HandlerContext): Person => ({
  id: ctx.turn.userId,
  ...(ctx.turn.userName ? { name: ctx.turn.userName } : {}),
});

async function execute(ctx: HandlerContext, a: Approval, etag: string): Promise<Reply> {
  const { approvals } = ctx.deps.stores;
  const record = async (next: Approval) => {
    // The scale request already ran (or failed): a lost write only leaves the row at `approved`.
    if ((await approvals.replace(next, etag).catch(() => undefined)) === undefined)
      ctx.deps.log(`[bot] approval ${a.id}: could not record ${next.state}`);
    else await updateApprovalCards(ctx.deps, next, ctx.deps.now());
  };
  const r = a.request;
  const prefix = `Approved by ${nameOf(a.decidedBy ?? me(ctx))} (asked by ${nameOf(a.requestedBy)})`;
  try {
    let reply: Reply;
    if (r.kind === 'submit') {
      reply = await submitApproved(a, r, ctx);
    } else {
      const labels = scaleLabels(r);
      reply = await applyScale(ctx, { ...a.workspace, cluster: r.cluster }, scaleModeOf(r), {
        pending: `${prefix}: ${labels.pending}`,
        done: `${prefix}: ${labels.done}`,
      });
    }
    await record(finish(a, { ok: true }, ctx.deps.now()));
    return reply;
  } catch (e) {
    await record(finish(a, { ok: false, error: redactText(toError(e).message) }, ctx.deps.now()));
    throw e;
  }
}

async function answer(id: string, verdict: Verdict, ctx: HandlerContext): Promise<Reply> {
  const { approvals } = ctx.deps.stores;
  for (let attempt = 0; attempt < MAX_TRIES; attempt++) {
    const row = await approvals.get(id);
    if (!row)
      throw new InputError(
        'ApprovalNotFound',
        `No approval request ${id}. The id is on the approval card, e.g. approve a1b2c3.`,
      );
    const now = ctx.deps.now();
    // The gate checked the role in this conversation's workspace; the request may act in another one.
    const access = await accessOf(ctx);
    const there = row.value.workspace.workspace.toLowerCase();
    const role = effectiveRole(ctx.turn.userId, there, access.policy, access.grants);
    const need = approvalRole(access.policy, access.grants);
    // A requester may always withdraw their own request; any other answer takes the approver role there.
    const cancels = verdict === 'reject' && sameUser(row.value.requestedBy.id, ctx.turn.userId);
    if (!cancels && !atLeast(role, need))
      return {
        view: refusal(
          specOf({ kind: verdict, approval: id }),
          { ...access, workspace: there, role },
          ctx.turn.userId,
          need,
        ),
      };
    // Who may answer at all (the approver role, which APPROVERS grants) is checked above; decide keeps the rest.
    const d = decide(row.value, verdict, me(ctx), now, []);
    if (!d.ok) return { view: approvalView(row.value, now, d.message) };
    const etag = await approvals.replace(d.next, row.etag);
    if (etag === undefined) continue; // someone else's answer landed first: decide again on what it wrote
    await updateApprovalCards(ctx.deps, d.next, now);
    if (d.next.state === 'approved') return execute(ctx, d.next, etag);
    return { view: approvalView(d.next, now) };
  }
  throw new ProtocolError(`approval ${id} kept changing while it was being answered`);
}

export const approve: Handler<'approve'> = (cmd, ctx) => answer(cmd.approval, 'approve', ctx);
export const reject: Handler<'reject'> = (cmd, ctx) => answer(cmd.approval, 'reject', ctx);

export const keepUp: Handler<'keep-up'> = (cmd, ctx) =>
  withCluster(ctx, cmd.cluster, async (ref) => {
    const cluster = await ctx.deps.compute.getCluster(ref);
    const until = new Date(ctx.deps.now().getTime() + cmd.hours * 3_600_000).toISOString();
    const by = ctx.turn.userName ?? ctx.turn.userId;
    await ctx.deps.stores.policies.keepUp(ref, cmd.cluster, until, by);
    const headline = `Kept up until ${shortTime(until)} by ${by}: no idle scale-down before then.`;
    return { view: { ...toClusterView(cluster, ref.workspace, ctx.deps.compute.labels), headline } };
  });
