// Secret values at rest (issue 17): a waiting submit's request and a Slack turn's body are sealed with
// SECRETS_KEY (AES-256-GCM) in their tables, on Azurite. A row sealed under another key, or a submit stored in
// plain text before sealing, is refused on read with a clear error, never its cipher text or its values.
import { randomBytes } from 'node:crypto';
import { QueueClient } from '@azure/storage-queue';
import type { Approval } from '../../shared/core/approval-policy';
import { InputError } from '../../shared/errors';
import type { View } from '../../shared/core/views';
import { createApprovalExpiry } from '../../shared/services/approval-expiry';
import { approvalStore } from '../../shared/storage/approval-store';
import { createStores } from '../../shared/storage/index';
import { turnInbox } from '../../shared/storage/turn-inbox';
import { openTable } from '../../shared/storage/table';
import { useAzurite } from '../support/azurite';

const azurite = useAzurite();
const SECRET = 'tok-3f9a81c2d7';
const KEY = randomBytes(32);

const submit: Omit<Approval, 'id'> = {
  state: 'pending',
  request: {
    kind: 'submit',
    template: 'train',
    params: { epochs: '3', api_token: SECRET },
    name: 'j1',
    experiment: 'default',
    cluster: 'gpu',
    nodes: 16,
  } as unknown as Approval['request'],
  workspace: { resourceGroup: 'rg', workspace: 'ws' },
  requestedBy: { id: 'u-ada' },
  conversationId: 'c1',
  createdAt: '2026-12-07T05:00:00.000Z',
  expiresAt: '2026-12-07T06:00:00.000Z',
};

const rawRows = async (table: Awaited<ReturnType<typeof openTable>>) => {
  const rows: string[] = [];
  for await (const e of table.listEntities()) rows.push(JSON.stringify(e));
  return rows.join('\n');
};

let n = 0;
test('an approval keeps its request sealed; the same key reads it back, another key or none is refused', async () => {
  const table = await openTable(azurite.connectionString, `sealedapprovals${++n}`);
  const store = approvalStore(table, KEY);
  const { value } = await store.create(submit);
  expect(await rawRows(table)).not.toContain(SECRET);
  expect((await store.get(value.id))?.value.request).toEqual(submit.request);

  const other = approvalStore(table, randomBytes(32));
  const refused = await other.get(value.id).catch((e: unknown) => e);
  expect(refused).toBeInstanceOf(InputError);
  expect((refused as InputError).code).toBe('ApprovalUnreadable');
  expect((refused as Error).message).toMatch(/another SECRETS_KEY.*submit it again/);
  expect((refused as Error).message).not.toMatch(/sealed:|tok-/);
  // Expiry sees a row it cannot open as due, without its request; the reader with the key sees it whole.
  const unread = (await other.due(new Date('2026-12-07T07:00:00Z'))).map((a) => a.value);
  expect(unread).toEqual([expect.objectContaining({ id: value.id, unreadable: expect.stringMatching(/another/) })]);
  expect(unread[0]).not.toHaveProperty('request');
  expect((await store.due(new Date('2026-12-07T07:00:00Z'))).map((a) => a.value.id)).toEqual([value.id]);
});

test('a submit stored in plain text before sealing is refused, asking to submit again; others still read', async () => {
  const table = await openTable(azurite.connectionString, `sealedapprovals${++n}`);
  const plain = (id: string, request: unknown) => ({
    partitionKey: 'approval',
    rowKey: id,
    state: 'pending',
    expiresAt: submit.expiresAt,
    body: JSON.stringify({ ...submit, id, request }),
  });
  await table.createEntity(plain('aold01', submit.request));
  await table.createEntity(plain('aold02', { kind: 'resize', cluster: 'gpu', nodes: 12 }));
  const store = approvalStore(table, KEY);
  await expect(store.get('aold01')).rejects.toThrow(/stored before requests were encrypted at rest.*submit it again/);
  expect((await store.get('aold02'))?.value.request).toEqual({ kind: 'resize', cluster: 'gpu', nodes: 12 });
});

test('a Slack turn (a submit typed in chat) is kept sealed, and read back whole by the drainer', async () => {
  const queue = new QueueClient(azurite.connectionString, `sealedturns-${++n}`);
  await queue.create();
  const table = await openTable(azurite.connectionString, `sealedturns${n}`);
  const inbox = turnInbox(queue, table, { secretsKey: KEY });
  const body = JSON.stringify({ type: 'event_callback', event: { text: `submit train api_token=${SECRET}` } });
  await inbox.accept({ conversation: 'T1:D1', requestKey: 'event:Ev1', body, contentType: 'application/json' });
  expect(await rawRows(table)).not.toContain(SECRET);
  const bodies: string[] = [];
  await inbox.drain('T1:D1', async (t) => void bodies.push(t.body));
  expect(bodies).toEqual([body]);
});

test('a Slack turn sealed under another key is dropped, not run and not stuck', async () => {
  const queue = new QueueClient(azurite.connectionString, `sealedturns-${++n}`);
  await queue.create();
  const table = await openTable(azurite.connectionString, `sealedturns${n}`);
  const turn = { conversation: 'T1:D2', requestKey: 'event:Ev2', body: '{}', contentType: 'application/json' };
  await turnInbox(queue, table, { secretsKey: randomBytes(32) }).accept(turn);
  const ran: string[] = [];
  const lines: string[] = [];
  const inbox = turnInbox(queue, table, { secretsKey: KEY, log: (l) => void lines.push(l) });
  expect(await inbox.drain('T1:D2', async (t) => void ran.push(t.body))).toBe('drained');
  expect(ran).toEqual([]);
  expect(lines).toEqual([
    expect.stringMatching(/^\[sealedturns\d+\] turn turn-\S+\/\d+-\w+ dropped unrun: .*another SECRETS_KEY/),
  ]);
  await inbox.accept({ ...turn, requestKey: 'event:Ev3' });
  await inbox.drain('T1:D2', async (t) => void ran.push(t.body));
  expect(ran).toEqual(['{}']);
});

test('a turn stored in plain text before sealing is dropped with one log line naming it, not its content', async () => {
  const queue = new QueueClient(azurite.connectionString, `sealedturns-${++n}`);
  await queue.create();
  const table = await openTable(azurite.connectionString, `sealedturns${n}`);
  const body = JSON.stringify({ event: { text: `submit train api_token=${SECRET}` } });
  await table.createEntity({
    partitionKey: 'turn-T1:D4',
    rowKey: '000000000000001-old',
    conversation: 'T1:D4',
    requestKey: 'event:Ev4',
    contentType: 'application/json',
    body0: body,
  });
  const lines: string[] = [];
  const ran: string[] = [];
  const inbox = turnInbox(queue, table, { secretsKey: KEY, log: (l) => void lines.push(l) });
  expect(await inbox.drain('T1:D4', async (t) => void ran.push(t.body))).toBe('drained');
  expect(ran).toEqual([]);
  expect(lines).toEqual([
    `[${table.tableName}] turn turn-T1:D4/000000000000001-old dropped unrun: ` +
      'it was stored in plain text before turns were sealed',
  ]);
  expect(lines.join('\n')).not.toContain(SECRET);
  expect(await rawRows(table)).not.toContain(SECRET);
});

test('expiry ends requests it cannot open (another key, plain text) like any other, saying they expired', async () => {
  const stores = await createStores({ connectionString: azurite.connectionString, secretsKey: KEY });
  const table = await openTable(azurite.connectionString, 'approvals');
  const { value: other } = await approvalStore(table, randomBytes(32)).create(submit);
  await table.createEntity({
    partitionKey: 'approval',
    rowKey: 'aold09',
    state: 'pending',
    expiresAt: submit.expiresAt,
    body: JSON.stringify({ ...submit, id: 'aold09' }),
  });
  const conv = { conversationId: 'c1', channelId: 'msteams', serviceUrl: 'http://x', reference: {} };
  await stores.conversations.save(conv);
  await stores.approvalCards.add(other.id, { conversationId: 'c1', activityId: 'm1', userId: 'u-bob' });
  const sent: View[] = [];
  const updated: View[] = [];
  const sender = {
    send: async (_c: unknown, v: View) => {
      sent.push(v);
      return {};
    },
    update: async (_c: unknown, _id: string, v: View) => void updated.push(v),
  };
  const lines: string[] = [];
  const expiry = createApprovalExpiry({ stores, sender, log: (l) => void lines.push(l) });
  const now = new Date('2026-12-07T07:00:00Z');
  expect(await expiry.run(now)).toEqual({ due: 2, expired: 2, notified: 2 });
  const texts = [...sent, ...updated].map((v) => JSON.stringify(v));
  expect(texts).toHaveLength(3);
  expect(lines).toEqual([]);
  for (const t of texts)
    expect(t).toMatch(/: expired.*Expired at 2026-12-07 06:00 UTC: nobody answered\..*cannot be read here/);
  expect(texts.join('\n')).toMatch(/another SECRETS_KEY/);
  expect(texts.join('\n')).toMatch(/stored before requests were encrypted at rest/);
  expect(texts.join('\n')).not.toMatch(/tok-|sealed:/);
  // Expired for good: nothing is due again, `approve` still refuses it, and the plain values left the table.
  expect(await expiry.run(now)).toEqual({ due: 0, expired: 0, notified: 0 });
  await expect(stores.approvals.get('aold09')).rejects.toThrow(/stored before requests were encrypted/);
  expect(await rawRows(table)).not.toContain(SECRET);
  expect((await table.getEntity('approval', other.id)).state).toBe('expired');
});
