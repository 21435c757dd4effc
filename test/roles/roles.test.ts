import { loadConfig } from '../../shared/config';
import { approvalRole, effectiveRole, holders, type RoleGrant, type RolePolicy } from '../../shared/core/roles';

const policy: RolePolicy = { admins: ['boss'], approvers: ['ann'], defaultRole: 'viewer' };
const grants: RoleGrant[] = [
  { userId: 'eve', role: 'operator' },
  { userId: 'olga', role: 'approver', workspace: 'demo' },
];

test('the highest of setting, grants and default; a workspace grant only there', () => {
  expect(effectiveRole('boss', 'demo', policy, grants)).toBe('admin');
  expect(effectiveRole('ann', 'demo', policy, grants)).toBe('approver');
  expect(effectiveRole('eve', 'other', policy, grants)).toBe('operator');
  expect(effectiveRole('olga', 'demo', policy, grants)).toBe('approver');
  expect(effectiveRole('olga', 'other', policy, grants)).toBe('viewer');
  expect(effectiveRole('nobody', 'demo', policy, grants)).toBe('viewer');
  // A grant never lowers: an admin granted viewer stays admin.
  expect(effectiveRole('boss', 'demo', policy, [{ userId: 'boss', role: 'viewer' }])).toBe('admin');
});

test('holders: who to ask for a role', () => {
  expect(holders('operator', 'demo', policy, grants)).toEqual(['ann', 'boss', 'eve', 'olga']);
  expect(holders('approver', 'other', policy, grants)).toEqual(['ann', 'boss']);
  expect(holders('admin', 'demo', policy, grants)).toEqual(['boss']);
});

test('approving needs the approver role only once someone is named for it', () => {
  expect(approvalRole({ admins: [], approvers: [], defaultRole: 'operator' }, [])).toBe('operator');
  expect(
    approvalRole({ admins: [], approvers: [], defaultRole: 'operator' }, [{ userId: 'x', role: 'approver' }]),
  ).toBe('approver');
  expect(approvalRole(policy, [])).toBe('approver');
});

test('ADMINS and DEFAULT_ROLE: operator without an app id, viewer with one, a bad role refused', () => {
  const base = {
    COMPUTE_SUBSCRIPTION_ID: 's',
    COMPUTE_WORKSPACES: 'rg/ws',
    AzureWebJobsStorage: 'UseDevelopmentStorage=true',
  };
  expect(loadConfig(base).policy).toMatchObject({ admins: [], defaultRole: 'operator' });
  expect(loadConfig({ ...base, MicrosoftAppId: 'app' }).policy.defaultRole).toBe('viewer');
  expect(loadConfig({ ...base, ADMINS: 'boss, 29:1abc', DEFAULT_ROLE: 'Approver' }).policy).toMatchObject({
    admins: ['boss', '29:1abc'],
    defaultRole: 'approver',
  });
  expect(() => loadConfig({ ...base, DEFAULT_ROLE: 'root' })).toThrow(
    /DEFAULT_ROLE=root: expected one of viewer, operator, approver, admin/,
  );
});
