// The chat turns inbox on Azurite: a request key is accepted once; a request that could not be queued is not
// remembered (Slack's retry after our 500 is accepted); a long body survives the table's property limit; a turn
// whose run failed is gone (Slack) or delivered again (card actions: keepUntilRun).
import { QueueClient } from '@azure/storage-queue';
import { turnInbox, type QueuedTurn, type TurnInboxOptions } from '../../shared/storage/turn-inbox';
import { openTable } from '../../shared/storage/table';
import { useAzurite } from '../support/azurite';

const azurite = useAzurite();
let n = 0;

const turn = (over: Partial<QueuedTurn> = {}): QueuedTurn => ({
  conversation: 'T0TEAM:C0GENERAL',
  requestKey: 'event:Ev1',
  body: '{"type":"event_callback"}',
  contentType: 'application/json',
  ...over,
});

async function fresh(opts: TurnInboxOptions = {}) {
  n++;
  const queue = new QueueClient(azurite.connectionString, `inbox-${n}`);
  const table = await openTable(azurite.connectionString, `inbox${n}`);
  return { queue, inbox: turnInbox(queue, table, opts) };
}

test('a request that could not be queued is forgotten, so that its retry is accepted, and then only once', async () => {
  const { queue, inbox } = await fresh();
  // The queue does not exist yet: the send fails as Storage fails it (404).
  await expect(inbox.accept(turn())).rejects.toMatchObject({ statusCode: 404 });
  await queue.create();
  expect(await inbox.accept(turn())).toBe('queued');
  expect(await inbox.accept(turn())).toBe('duplicate');
  const ran: string[] = [];
  expect(await inbox.drain('T0TEAM:C0GENERAL', async (t) => void ran.push(t.requestKey))).toBe('drained');
  expect(ran).toEqual(['event:Ev1']);
});

test('a body longer than a table property holds comes back whole', async () => {
  const { queue, inbox } = await fresh();
  await queue.create();
  const body = `{"payload":"${'x'.repeat(70_000)}"}`;
  await inbox.accept(turn({ body, requestKey: 'signed:1:v0=abc' }));
  const bodies: string[] = [];
  await inbox.drain('T0TEAM:C0GENERAL', async (t) => void bodies.push(t.body));
  expect(bodies).toEqual([body]);
});

test.each([
  [{}, []],
  [{ keepUntilRun: true }, ['event:Ev1']],
])('a turn whose run failed (%j) is delivered again: %j', async (opts, again) => {
  const { queue, inbox } = await fresh(opts);
  await queue.create();
  await inbox.accept(turn());
  const failing = inbox.drain('T0TEAM:C0GENERAL', async () => {
    throw new Error('the instance stopped');
  });
  await expect(failing).rejects.toThrow('the instance stopped');
  const ran: string[] = [];
  await inbox.drain('T0TEAM:C0GENERAL', async (t) => void ran.push(t.requestKey));
  expect(ran).toEqual(again);
});
