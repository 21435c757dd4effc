// On the real stack: a resize or a submit under the node threshold but above APPROVAL_BUDGET_PER_HOUR waits
// for an approver, and its card carries the estimate; under the budget it runs at once. An approved submit
// runs as its requester.
import { cardText, startBotStack, type BotStack } from '../../local/harness/bot-stack';
import type { ScaleMode } from '../../shared/compute/model';

let stack: BotStack;
beforeAll(async () => {
  // The stack's cluster is STANDARD_NC6: $0.90 per node-hour in the shipped table.
  stack = await startBotStack({ nodes: 2, resizeApprovalThreshold: 8, env: { APPROVAL_BUDGET_PER_HOUR: '1' } });
}, 60_000);
afterAll(async () => {
  await stack?.stop();
});

const ws = { resourceGroup: 'rg', workspace: 'ws' };
const manualTarget = (s: ScaleMode) => (s.mode === 'manual' ? s.targetNodeCount : undefined);
const nodes = async () => manualTarget((await stack.services.deps.compute.getCluster({ ...ws, cluster: 'gpu' })).scale);
const jobExists = (job: string) =>
  stack.services.deps.compute.getJob({ ...ws, experiment: 'exp', job }).then(
    () => true,
    () => false,
  );

test('a resize to 3 nodes ($2.70/h) waits for an approver; to 1 node ($0.90/h) it runs', async () => {
  const asked = cardText(await stack.say('budget', 'resize gpu 3'));
  expect(asked).toMatch(/would cost \$2\.70\/h .*above the budget of \$1\.00\/h/);
  expect(asked).toMatch(/2 → 3/);
  expect(asked).toMatch(/STANDARD_NC6/);
  expect(asked).toMatch(/\$64\.80\/day/);
  expect(await nodes()).toBe(2);
  expect(cardText(await stack.say('budget', 'resize gpu 1'))).toMatch(/Resiz/);
  expect(await nodes()).toBe(1);
}, 60_000);

test('a 2-node submit ($1.80/h) waits; approved by someone else, it runs as the requester', async () => {
  await stack.services.deps.stores.templates.put('wide', {
    properties: {
      nodeCount: 2,
      customToolkitSettings: { commandLine: 'echo wide' },
      stdOutErrPathPrefix: '$AZ_BATCHAI_MOUNT_ROOT/afs',
    },
  });
  const asked = cardText(await stack.say('budget-submit', 'submit wide --name wide-1'));
  expect(asked).toMatch(/Submit wide as exp\/wide-1 on gpu \(2 nodes\)/);
  expect(asked).toMatch(/\$1\.80\/h/);
  expect(await jobExists('wide-1')).toBe(false);
  const id = /\ba[0-9a-f]{6}\b/.exec(asked)?.[0];
  expect(id).toBeDefined();
  const approved = cardText(await stack.say('budget-boss', `approve ${id}`, { from: { id: 'user-bob', name: 'Bob' } }));
  expect(approved).toMatch(/Submitted/);
  expect(await jobExists('wide-1')).toBe(true);
  expect(await stack.services.deps.stores.submissions.get('ws', 'exp', 'wide-1')).toMatchObject({ userId: 'user-ada' });
}, 60_000);
