// The audit trail around a mutating command: the row is written before the handler sends anything and
// completed after with the outcome (ok, failed with its code, or waiting for an approval). A failed audit
// write stops the command: an operation that cannot be recorded is not run.
import { commandText } from '../shared/core/command-text';
import { REDACTED } from '../shared/core/redact';
import { parseTemplate, secretParameters } from '../shared/templates/templates';
import type { Command } from '../shared/core/commands';
import type { AuditResult } from '../shared/storage';
import { CodedError, toError } from '../shared/errors';
import type { HandlerContext, Reply } from './handler';

/** What a command acts on, for the row (and `audit --cluster`). */
function targetOf(cmd: Command): { target: string; cluster?: string } {
  switch (cmd.kind) {
    case 'resize':
    case 'autoscale':
    case 'scale-to-zero':
    case 'keep-up':
      return { target: cmd.cluster, cluster: cmd.cluster };
    case 'terminate':
    case 'keep-waiting':
      return { target: cmd.job.experiment ? `${cmd.job.experiment}/${cmd.job.job}` : cmd.job.job };
    case 'submit':
      return cmd.cluster ? { target: cmd.template, cluster: cmd.cluster } : { target: cmd.template };
    case 'approve':
    case 'reject':
      return { target: cmd.approval };
    case 'roles-grant':
    case 'roles-revoke':
      return { target: cmd.user };
    default:
      return { target: '' };
  }
}

/** The names of the submit's parameters that fill a secret; all of them when the template cannot be read. */
async function secretNames(cmd: Extract<Command, { kind: 'submit' }>, ctx: HandlerContext): Promise<Set<string>> {
  const all = new Set(Object.keys(cmd.params));
  try {
    const raw = await ctx.deps.stores.templates.get(cmd.template);
    return raw === undefined ? all : secretParameters(parseTemplate(raw, cmd.template));
  } catch {
    return all;
  }
}

/** The command as the row keeps it: a submit's secret values masked (the row is read by `audit`). */
async function shownCommand(cmd: Command, ctx: HandlerContext): Promise<string> {
  if (cmd.kind !== 'submit') return commandText(cmd);
  const secret = await secretNames(cmd, ctx);
  const params = Object.fromEntries(Object.entries(cmd.params).map(([k, v]) => [k, secret.has(k) ? REDACTED : v]));
  return commandText({ ...cmd, params });
}

async function firstRecord(cmd: Command, ctx: HandlerContext, workspace: string) {
  return {
    at: ctx.deps.now().toISOString(),
    userId: ctx.turn.userId,
    ...(ctx.turn.userName ? { userName: ctx.turn.userName } : {}),
    command: await shownCommand(cmd, ctx),
    kind: cmd.kind,
    ...targetOf(cmd),
    workspace,
    conversationId: ctx.turn.conversationId,
  };
}

/** A change that was not run (the person lacks the role): one complete row. */
export async function auditRefusal(cmd: Command, ctx: HandlerContext, workspace: string, code: string): Promise<void> {
  await ctx.deps.stores.audit.start({
    ...(await firstRecord(cmd, ctx, workspace)),
    result: 'refused',
    errorCode: code,
  });
}

export async function audited(
  cmd: Command,
  ctx: HandlerContext,
  workspace: string,
  run: () => Promise<Reply>,
): Promise<Reply> {
  const { audit } = ctx.deps.stores;
  const now = () => ctx.deps.now().toISOString();
  const id = await audit.start(await firstRecord(cmd, ctx, workspace));
  let reply: Reply;
  try {
    reply = await run();
  } catch (e) {
    const err = toError(e);
    const code = err instanceof CodedError ? err.code : err.name;
    await audit.complete(id, { result: 'failed', at: now(), errorCode: code }).catch(() => undefined);
    throw e;
  }
  // A scale request above the threshold answers with its approval card, which follows the request's row.
  const target = reply.followUp?.target;
  const approvalId =
    target?.kind === 'approval'
      ? target.approval
      : cmd.kind === 'approve' || cmd.kind === 'reject'
        ? cmd.approval
        : undefined;
  const result: AuditResult =
    reply.view.kind === 'error'
      ? 'failed'
      : target?.kind === 'approval' && cmd.kind !== 'approve' && cmd.kind !== 'reject'
        ? 'pending-approval'
        : 'ok';
  await audit.complete(id, { result, at: now(), ...(approvalId ? { approvalId } : {}) }).catch((e: unknown) => {
    ctx.deps.log(`[bot] audit ${id}: could not complete: ${toError(e).message}`);
  });
  return reply;
}
