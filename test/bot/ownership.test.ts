// Ownership that cannot be taken, on the real stack (engine, Azurite, CloudAdapter, fake channel): a name
// someone else submitted is refused saying who; the same person sending the same body again gets their job;
// the submitter record stays the first person's, so the other cannot terminate the job.
import { cardText, startBotStack, type BotStack } from '../../local/harness/bot-stack';

let stack: BotStack;
beforeAll(async () => {
  stack = await startBotStack({ nodes: 1 });
}, 60_000);
afterAll(async () => {
  await stack?.stop();
});

const as = (user: string, text: string) => stack.say(`c-${user}`, text, { from: { id: user, name: user } });
const owner = () => stack.services.deps.stores.submissions.get('ws', 'exp', 'victim-x');

test("another person's job name is refused; the same person and body is a retry; the record stays", async () => {
  expect(cardText(await as('ann', 'submit hello seconds=30 --name victim-x'))).toMatch(/Submitted/);
  expect((await owner())?.userId).toBe('ann');

  const taken = cardText(await as('mallory', 'submit hello seconds=30 --name victim-x'));
  expect(taken).toMatch(/Job exp\/victim-x exists, submitted by ann: expected a new name/);
  expect((await owner())?.userId).toBe('ann');
  expect(cardText(await as('mallory', 'terminate victim-x --yes'))).toMatch(/victim-x is ann's job/);

  // Ann again with other values is a different body: refused too, so nobody is told "Submitted" for it.
  expect(cardText(await as('ann', 'submit hello seconds=5 --name victim-x'))).toMatch(/exists, submitted by ann/);
  expect(cardText(await as('ann', 'submit hello seconds=30 --name victim-x'))).toMatch(/Submitted/);
  expect((await owner())?.userId).toBe('ann');
}, 60_000);

test('a job made outside chat is nobody here: its name is refused', async () => {
  const compute = stack.services.deps.compute;
  const ref = { resourceGroup: 'rg', workspace: 'ws', experiment: 'exp', job: 'outside-1' };
  await compute.ensureExperiment(ref);
  const body = {
    properties: {
      cluster: { id: await clusterId() },
      nodeCount: 1,
      stdOutErrPathPrefix: '$AZ_BATCHAI_MOUNT_ROOT/afs',
      customToolkitSettings: { commandLine: 'true' },
    },
  };
  await compute.submitJob(ref, body as never);
  expect(cardText(await as('mallory', 'submit hello --name outside-1'))).toMatch(
    /outside-1 exists, submitted by someone outside this chat/,
  );
  expect(await stack.services.deps.stores.submissions.get('ws', 'exp', 'outside-1')).toBeUndefined();
}, 60_000);

async function clusterId(): Promise<string> {
  const c = await stack.services.deps.compute.getCluster({ resourceGroup: 'rg', workspace: 'ws', cluster: 'gpu' });
  return c.id;
}
