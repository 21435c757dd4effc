// On the real stack: a resize under the node threshold but above APPROVAL_BUDGET_PER_HOUR waits for an
// approver, and its card carries the estimate; under the budget it runs at once.
import { cardText, startBotStack, type BotStack } from '../bot/support/bot-stack';

let stack: BotStack;
beforeAll(async () => {
  // The stack's cluster is STANDARD_NC6: $0.90 per node-hour in the shipped table.
  stack = await startBotStack({ nodes: 1, resizeApprovalThreshold: 8, env: { APPROVAL_BUDGET_PER_HOUR: '2' } });
}, 60_000);
afterAll(async () => { await stack?.stop(); });

const nodes = async () => (await stack.services.deps.batchAi.getCluster({ resourceGroup: 'rg', workspace: 'ws', cluster: 'gpu' })).properties?.scaleSettings?.manual?.targetNodeCount;

test('3 nodes ($2.70/h) wait for an approver; 2 nodes ($1.80/h) run', async () => {
  const asked = cardText(await stack.say('budget', 'resize gpu 3'));
  expect(asked).toMatch(/would cost \$2\.70\/h .*above the budget of \$2\.00\/h/);
  expect(asked).toMatch(/1 → 3/);
  expect(asked).toMatch(/STANDARD_NC6/);
  expect(asked).toMatch(/\$64\.80\/day/);
  expect(await nodes()).toBe(1);
  const ran = cardText(await stack.say('budget', 'resize gpu 2'));
  expect(ran).toMatch(/Resiz/);
  expect(await nodes()).toBe(2);
}, 60_000);
