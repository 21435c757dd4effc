// Roles at the turn: the person's role in the conversation's workspace (core/roles.ts), and the refusal card
// that says which role a command needs and who holds it. One roles-table read per turn that needs it.
import type { Command } from '../shared/core/commands';
import { COMMANDS, type CommandSpec } from '../shared/core/command-table';
import {
  approvalRole,
  atLeast,
  effectiveRole,
  holders,
  type Role,
  type RoleGrant,
  type RolePolicy,
} from '../shared/core/roles';
import type { ErrorView } from '../shared/core/views';
import type { HandlerContext } from './handler';

export interface Access {
  role: Role;
  workspace: string;
  policy: RolePolicy;
  grants: RoleGrant[];
}

export async function accessOf(ctx: HandlerContext): Promise<Access> {
  const [scope, grants] = await Promise.all([ctx.scope(), ctx.deps.stores.roles.list()]);
  const { admins, approvers, defaultRole } = ctx.deps.config.policy;
  const policy: RolePolicy = { admins, approvers, defaultRole };
  const workspace = scope.ref.workspace.toLowerCase();
  return { role: effectiveRole(ctx.turn.userId, workspace, policy, grants), workspace, policy, grants };
}

/**
 * The role a row needs with these grants (approving depends on whether anyone is named an approver). Rejecting
 * someone else's request needs the same, which the handler checks once it knows whose request it is.
 */
export function neededRole(spec: CommandSpec, a: Access): Role {
  return spec.kind === 'approve' ? approvalRole(a.policy, a.grants) : spec.role;
}

export function specOf(cmd: Command): CommandSpec {
  // `use` has two rows with the same role; the first is as good as the other.
  return COMMANDS.find((c) => c.kind === cmd.kind)!;
}

export function mayRun(spec: CommandSpec, a: Access): boolean {
  return atLeast(a.role, neededRole(spec, a));
}

export function refusal(spec: CommandSpec, a: Access, userId: string, need: Role = neededRole(spec, a)): ErrorView {
  const who = holders(need, a.workspace, a.policy, a.grants);
  const ask = who.length
    ? `${who.length === 1 ? 'It is held by' : 'They are held by'} ${who.join(', ')}.`
    : 'Nobody is named for it yet (ADMINS setting).';
  return {
    kind: 'error',
    title: 'Not allowed',
    message:
      `${spec.verb} needs the ${need} role (or higher); ` +
      `${userId || 'you'} ${userId ? 'has' : 'have'} ${a.role} in workspace ${a.workspace}. ` +
      `${ask} An admin can run: roles grant ${userId || '<you>'} ${need}`,
    actions: [{ title: 'What can I run?', command: 'help' }],
  };
}
