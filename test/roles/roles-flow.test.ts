// The "done when", end to end on the real stack (engine, Azurite, CloudAdapter, fake channel): with
// ADMINS=boss and DEFAULT_ROLE=viewer, eve's resize is refused naming the role; her help lacks resize; boss
// grants her operator; her resize runs; boss's audit lists it with her id and the result.
import { cardText, startBotStack, type BotStack } from '../bot/support/bot-stack';

let stack: BotStack;
beforeAll(async () => {
  stack = await startBotStack({ nodes: 2, env: { ADMINS: 'boss', DEFAULT_ROLE: 'viewer' } });
}, 60_000);
afterAll(async () => { await stack?.stop(); });

const as = (user: string, conversation: string, text: string) => stack.say(conversation, text, { from: { id: user, name: user } });
const nodes = async () => (await stack.services.deps.batchAi.getCluster({ resourceGroup: 'rg', workspace: 'ws', cluster: 'gpu' })).properties?.scaleSettings?.manual?.targetNodeCount;

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
