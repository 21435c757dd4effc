// The settings of flows 4 and 5: approvers, request lifetime, idle grace, and the two timers' schedules.
import { loadConfig, parseUserIds } from '../../shared/config';

const base = {
  COMPUTE_WORKSPACES: 'rg/ws',
  COMPUTE_SUBSCRIPTION_ID: 'sub',
  AzureWebJobsStorage: 'UseDevelopmentStorage=true',
};

test('defaults: anyone but the requester approves, requests live 60 min, 10 min of grace, timers every minute', () => {
  expect(loadConfig(base).policy).toMatchObject({
    approvers: [],
    approvalTtlMinutes: 60,
    idleGraceMinutes: 10,
    idleMinutes: 30,
  });
  expect(loadConfig(base).schedules).toEqual({
    poll: '*/30 * * * * *',
    idle: '0 * * * * *',
    expireApprovals: '0 * * * * *',
    progress: '0 * * * * *',
    housekeeping: '0 */10 * * * *',
  });
  expect(loadConfig({ ...base, IDLE_SCHEDULE: '0 */5 * * * *' }).schedules.idle).toBe('0 */5 * * * *');
});

test.each([
  ['u1,u2', ['u1', 'u2']],
  [' u1 , ,u2,u1 ', ['u1', 'u2']],
  ['', []],
  [undefined, []],
])('APPROVERS=%j → %j', (raw, expected) => {
  expect(parseUserIds(raw)).toEqual(expected);
});

test('bad numbers say what was expected', () => {
  expect(() => loadConfig({ ...base, APPROVAL_TTL_MINUTES: '0' })).toThrow(
    /APPROVAL_TTL_MINUTES=0: expected a whole number ≥ 1/,
  );
  expect(() => loadConfig({ ...base, IDLE_GRACE_MINUTES: 'soon' })).toThrow(/IDLE_GRACE_MINUTES=soon/);
});
