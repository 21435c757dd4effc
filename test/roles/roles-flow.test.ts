// The "done when", end to end on the real stack (engine, Azurite, CloudAdapter, fake channel): with
// ADMINS=boss and DEFAULT_ROLE=viewer, eve's resize is refused naming the role; her help lacks resize; boss
// grants her operator; her resize runs; boss's audit lists it with her id and the result.
import { cardText, startBotStack, type BotStack } from '../../local/harness/bot-stack';
import type { ScaleMode } from '../../shared/compute/model';

let stack: BotStack;
beforeAll(async () => {
  // A second managed workspace (never created on the engine) only to scope a grant to it.
  stack = await startBotStack({
    nodes: 2,
    resizeApprovalThreshold: 3,
    env: { ADMINS: 'boss', DEFAULT_ROLE: 'viewer', COMPUTE_WORKSPACES: 'rg/ws,rg/other' },
  });
}, 60_000);
afterAll(async () => {
  await stack?.stop();
});

const as = (user: string, conversation: string, text: string) =>
  stack.say(conversation, text, { from: { id: user, name: user } });
const manualTarget = (s: ScaleMode) => (s.mode === 'manual' ? s.targetNodeCount : undefined);
const nodes = async () =>
  manualTarget(
    (await stack.services.deps.compute.getCluster({ resourceGroup: 'rg', workspace: 'ws', cluster: 'gpu' })).scale,
  );

test('refused → help without resize → granted → resize runs → audit shows it', async () => {
  const refused = cardText(await as('eve', 'c-eve', 'resize gpu 1'));
  expect(refused).toMatch(/Not allowed/);
  expect(refused).toMatch(/resize needs the operator role/);
  expect(refused).toMatch(/eve has viewer/);
  expect(refused).toMatch(/held by boss/);
  expect(await nodes()).toBe(2);

  const help = cardText(await as('eve', 'c-eve', 'help'));
  expect(help).toMatch(/clusters/);
  expect(help).not.toMatch(/resize/);
  expect(help).not.toMatch(/roles grant/);

  const evesGrant = cardText(await as('eve', 'c-eve', 'roles grant eve admin'));
  expect(evesGrant).toMatch(/roles grant needs the admin role/);

  const granted = cardText(await as('boss', 'c-boss', 'roles grant eve operator'));
  expect(granted).toMatch(/eve is operator everywhere now/);

  expect(cardText(await as('eve', 'c-eve', 'help'))).toMatch(/resize/);
  const resized = cardText(await as('eve', 'c-eve', 'resize gpu 1'));
  expect(resized).not.toMatch(/Not allowed/);
  expect(resized).toMatch(/Resiz/);
  expect(await nodes()).toBe(1);

  const audit = cardText(await as('boss', 'c-boss', 'audit'));
  expect(audit).toMatch(/eve \(eve\): resize gpu 1 → ok/);
  expect(audit).toMatch(/eve \(eve\): resize gpu 1 → refused RoleRequired/);
  expect(audit).toMatch(/boss \(boss\): roles grant eve operator → ok/);
  expect(cardText(await as('boss', 'c-boss', 'audit 5 --user eve --cluster gpu'))).not.toMatch(/boss \(boss\)/);

  // Viewers and operators do not read the audit.
  expect(cardText(await as('eve', 'c-eve', 'audit'))).toMatch(/audit needs the approver role/);
}, 60_000);

test('an approver of another workspace cannot approve a request here, whatever their conversation uses', async () => {
  expect(cardText(await as('boss', 'c-boss', 'roles grant olga approver --workspace other'))).toMatch(
    /olga is approver in other now/,
  );
  await as('olga', 'c-olga', 'use workspace other');
  const asked = cardText(await as('eve', 'c-eve', 'resize gpu 5'));
  const id = /\ba[0-9a-f]{6}\b/.exec(asked)?.[0];
  expect(id).toBeDefined();
  const refused = cardText(await as('olga', 'c-olga', `approve ${id}`));
  expect(refused).toMatch(/approve needs the approver role .*olga has viewer in workspace ws/);
  expect(await nodes()).not.toBe(5);
  expect(cardText(await as('boss', 'c-boss', `approve ${id}`))).toMatch(/Approved by boss/);
}, 60_000);

test('a requester cancels their own pending request without the approver role; others still need it', async () => {
  await as('boss', 'c-boss', 'roles grant eve operator');
  await as('boss', 'c-boss', 'roles grant bob operator');
  const asked = cardText(await as('eve', 'c-eve', 'resize gpu 4'));
  expect(asked).toMatch(/waits for/);
  const id = /\ba[0-9a-f]{6}\b/.exec(asked)?.[0];
  expect(id).toBeDefined();
  expect(cardText(await as('bob', 'c-bob', `reject ${id}`))).toMatch(/reject needs the approver role/);
  const cancelled = cardText(await as('eve', 'c-eve', `reject ${id}`));
  expect(cancelled).not.toMatch(/needs the approver role/);
  expect(cancelled).toMatch(/Cancelled by eve/);
  expect((await stack.services.deps.stores.approvals.get(id!))?.value.state).toBe('rejected');
  expect(await nodes()).not.toBe(4);
}, 60_000);
