// `roles`, `roles grant <user> <role> [--workspace w]`, `roles revoke <user> [--workspace w]` (admins only:
// the gate in bot.ts checks the role before these run).
import type { TextView } from '../../shared/core/views';
import { InputError } from '../../shared/errors';
import type { Handler, HandlerContext } from '../handler';
import { requireWorkspace } from '../scope';

/** A --workspace must be one the bot manages: a grant for a typo would silently grant nothing. */
function workspaceName(ctx: HandlerContext, name: string | undefined): string | undefined {
  return name === undefined
    ? undefined
    : requireWorkspace(ctx.deps.config.compute.workspaces, name).workspace.toLowerCase();
}

async function rolesView(ctx: HandlerContext, headline?: string): Promise<TextView> {
  const { admins, approvers, defaultRole } = ctx.deps.config.policy;
  const grants = (await ctx.deps.stores.roles.list()).sort((a, b) => a.userId.localeCompare(b.userId));
  const facts = [
    { title: 'Everyone else', value: `${defaultRole} (DEFAULT_ROLE)` },
    ...(admins.length ? [{ title: 'ADMINS', value: admins.join(', ') }] : []),
    ...(approvers.length ? [{ title: 'APPROVERS', value: approvers.join(', ') }] : []),
    ...grants.map((g) => ({
      title: g.userId,
      value:
        `${g.role} ${g.workspace ? `in ${g.workspace}` : 'everywhere'}` +
        `${g.grantedBy ? ` (by ${g.grantedBy})` : ''}`,
    })),
  ];
  return {
    kind: 'text',
    title: 'Roles',
    text: headline ?? (grants.length ? 'Settings and grants:' : 'No grants yet: roles grant <user> <role>.'),
    facts,
    actions: [],
  };
}

export const roles: Handler<'roles'> = async (_cmd, ctx) => ({ view: await rolesView(ctx) });

export const rolesGrant: Handler<'roles-grant'> = async (cmd, ctx) => {
  const workspace = workspaceName(ctx, cmd.workspace);
  await ctx.deps.stores.roles.grant({
    userId: cmd.user,
    role: cmd.role,
    ...(workspace ? { workspace } : {}),
    grantedBy: ctx.turn.userName ?? ctx.turn.userId,
    grantedAt: ctx.deps.now().toISOString(),
  });
  return {
    view: await rolesView(ctx, `${cmd.user} is ${cmd.role} ${workspace ? `in ${workspace}` : 'everywhere'} now.`),
  };
};

export const rolesRevoke: Handler<'roles-revoke'> = async (cmd, ctx) => {
  const workspace = workspaceName(ctx, cmd.workspace);
  if (!(await ctx.deps.stores.roles.revoke(cmd.user, workspace))) {
    throw new InputError(
      'GrantNotFound',
      `${cmd.user} has no grant ${workspace ? `in ${workspace}` : 'that applies everywhere'}: see roles.`,
    );
  }
  return {
    view: await rolesView(ctx, `${cmd.user}'s ${workspace ? `grant in ${workspace}` : 'global grant'} is revoked.`),
  };
};
