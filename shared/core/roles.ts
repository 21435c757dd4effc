// Who may run what. Four roles in one order — viewer < operator < approver < admin — so a role includes every
// lower one. A person's role in a workspace is the highest of: admin when listed in ADMINS, approver when
// listed in APPROVERS, their grants (global, or for that workspace) in the roles table, and DEFAULT_ROLE.
// Pure: the grants are read by the caller.

export const ROLES = ['viewer', 'operator', 'approver', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const isRole = (s: string): s is Role => (ROLES as readonly string[]).includes(s);
export const atLeast = (have: Role, need: Role): boolean => ROLES.indexOf(have) >= ROLES.indexOf(need);
const max = (a: Role, b: Role): Role => (atLeast(a, b) ? a : b);

export interface RoleGrant {
  userId: string;
  role: Role;
  /** The workspace label (`rg/ws`) it applies to; absent = every workspace. */
  workspace?: string;
  grantedBy?: string;
  grantedAt?: string;
}

export interface RolePolicy {
  /** Always admin (bootstrap). */
  admins: readonly string[];
  /** Always at least approver (the APPROVERS setting). */
  approvers: readonly string[];
  /** Everyone else's role. */
  defaultRole: Role;
}

/**
 * Whether two chat user ids name the same person, as a requester check needs: without regard to case or
 * surrounding space (ADMINS and APPROVERS are trimmed the same way), because one person's id reaches us in more than
 * one spelling (an AAD object id in either case; a Slack id typed in lower case). Used where treating two ids as one
 * person only takes rights away (no self-approval; cancelling one's own request), never to grant a role.
 */
export const sameUser = (a: string, b: string): boolean => a.trim().toLowerCase() === b.trim().toLowerCase();

const applies = (g: RoleGrant, workspace: string) => g.workspace === undefined || g.workspace === workspace;

export function effectiveRole(
  userId: string,
  workspace: string,
  policy: RolePolicy,
  grants: readonly RoleGrant[],
): Role {
  if (policy.admins.includes(userId)) return 'admin';
  let role = policy.approvers.includes(userId) ? max('approver', policy.defaultRole) : policy.defaultRole;
  for (const g of grants) if (g.userId === userId && applies(g, workspace)) role = max(role, g.role);
  return role;
}

/** The people named (by setting or grant) as holding at least `role` in `workspace`: whom to ask. */
export function holders(role: Role, workspace: string, policy: RolePolicy, grants: readonly RoleGrant[]): string[] {
  const named = new Set<string>([
    ...policy.admins,
    ...(atLeast('approver', role) ? policy.approvers : []),
    ...grants.filter((g) => applies(g, workspace)).map((g) => g.userId),
  ]);
  return [...named].filter((u) => atLeast(effectiveRole(u, workspace, policy, grants), role)).sort();
}

/**
 * Approving needs the approver role once anyone is named for it (ADMINS, APPROVERS or a grant of approver or
 * admin); before that, as before roles existed, any operator but the requester may approve.
 */
export function approvalRole(policy: RolePolicy, grants: readonly RoleGrant[]): Role {
  const named =
    policy.admins.length > 0 || policy.approvers.length > 0 || grants.some((g) => atLeast(g.role, 'approver'));
  return named ? 'approver' : 'operator';
}
