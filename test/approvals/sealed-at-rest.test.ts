// Secret values at rest (issue 17): a waiting submit's request and a Slack turn's body are sealed with
// SECRETS_KEY (AES-256-GCM) in their tables, on Azurite. A row sealed under another key, or a submit stored in
// plain text before sealing, is refused on read with a clear error, never its cipher text or its values.
import { randomBytes } from 'node:crypto';
import { QueueClient } from '@azure/storage-queue';
import type { Approval } from '../../shared/core/approval-policy';
import { InputError } from '../../shared/errors';
import { approvalStore } from '../../shared/storage/approval-store';
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
  // Expiry passes a row it cannot open by; the reader with the key still sees it due.
  expect(await other.due(new Date('2026-12-07T07:00:00Z'))).toEqual([]);
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
  const inbox = turnInbox(queue, table, { secretsKey: KEY });
  expect(await inbox.drain('T1:D2', async (t) => void ran.push(t.body))).toBe('drained');
  expect(ran).toEqual([]);
  await inbox.accept({ ...turn, requestKey: 'event:Ev3' });
  await inbox.drain('T1:D2', async (t) => void ran.push(t.body));
  expect(ran).toEqual(['{}']);
});
