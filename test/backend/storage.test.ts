// Stores, snapshots and sent markers on a real Azurite.
import { randomBytes } from 'node:crypto';
import { TableClient } from '@azure/data-tables';
import { createBackendStores, createStores, type BackendStores, type Stores } from '../../shared/storage';
import type { JobRow } from '../../shared/core/diff';
import { createWriteCounter } from '../../shared/storage/write-counter';
import { useAzurite } from '../support/azurite';

const azurite = useAzurite();
let stores: Stores;
let backend: BackendStores;
const counter = createWriteCounter();
const ws = { resourceGroup: 'rg', workspace: 'ws' };

beforeAll(async () => {
  stores = await createStores(azurite.connectionString);
  backend = await createBackendStores(azurite.connectionString, {
    tablePolicies: [counter.policy],
    markerLeaseMs: 60_000,
  });
});

describe('chat stores', () => {
  it('saves and reads conversation references with ids full of forbidden key characters', async () => {
    const id = '19:abc/def#g?h\\i@thread.tacv2;messageid=1';
    await stores.conversations.save({
      conversationId: id,
      channelId: 'msteams',
      serviceUrl: 'http://x',
      reference: { conversation: { id } },
    });
    expect(await stores.conversations.get(id)).toEqual({
      conversationId: id,
      channelId: 'msteams',
      serviceUrl: 'http://x',
      reference: { conversation: { id } },
    });
    expect(await stores.conversations.get('nobody')).toBeUndefined();
  });

  it('adds, lists and removes subscriptions per conversation', async () => {
    const a = await stores.subscriptions.add('c/1', { experiment: 'exp', states: ['failed'] }, 'u1');
    await stores.subscriptions.add('c/1', { cluster: 'gpu' });
    await stores.subscriptions.add('c2', {});
    expect((await stores.subscriptions.list('c/1')).map((s) => s.filter)).toEqual([
      { experiment: 'exp', states: ['failed'] },
      { cluster: 'gpu' },
    ]);
    expect((await stores.subscriptions.all()).map((s) => s.conversationId).sort()).toEqual(['c/1', 'c/1', 'c2']);
    expect(await stores.subscriptions.remove('c/1', a.id)).toBe(1);
    expect(await stores.subscriptions.remove('c/1', a.id)).toBe(0);
    expect(await stores.subscriptions.remove('c/1')).toBe(1);
    expect(await stores.subscriptions.list('c/1')).toEqual([]);
  });

  it('keeps prefs, templates and submissions', async () => {
    await stores.prefs.set('c1', { workspace: 'ws' });
    await stores.prefs.set('c1', { experiment: 'e' });
    expect(await stores.prefs.get('c1')).toEqual({ workspace: 'ws', experiment: 'e' });
    await stores.templates.put('mnist', { jobName: 'x' });
    expect(await stores.templates.get('mnist')).toEqual({ jobName: 'x' });
    expect(await stores.templates.list()).toEqual([{ name: 'mnist', body: { jobName: 'x' } }]);
    // A default may be a secret's: the row keeps the template sealed; an older plain row still reads.
    const table = TableClient.fromConnectionString(azurite.connectionString, 'templates', {
      allowInsecureConnection: true,
    });
    await stores.templates.put('pw', { parameters: [{ name: 'pw', default: 'HiddenDefault0042' }] });
    const row = await table.getEntity<{ body0: string }>('template', 'pw');
    expect(row.body0).toMatch(/^sealed:v1:/);
    expect(JSON.stringify(row)).not.toContain('HiddenDefault0042');
    expect(await stores.templates.get('pw')).toEqual({ parameters: [{ name: 'pw', default: 'HiddenDefault0042' }] });
    await table.upsertEntity({ partitionKey: 'template', rowKey: 'old', body: '{"jobName":"o"}' }, 'Replace');
    expect(await stores.templates.get('old')).toEqual({ jobName: 'o' });
    // A row sealed under another SECRETS_KEY is listed with why, and the others still read.
    const other = (await createStores({ connectionString: azurite.connectionString, secretsKey: randomBytes(32) }))
      .templates;
    await other.put('foreign', { jobName: 'f' });
    const listed = await stores.templates.list();
    expect(listed.map((t) => t.name)).toEqual(['foreign', 'mnist', 'old', 'pw']);
    expect(listed[0]).toEqual({ name: 'foreign', unreadable: expect.stringMatching(/another SECRETS_KEY/) });
    expect(listed[1]).toEqual({ name: 'mnist', body: { jobName: 'x' } });
    await table.deleteEntity('template', 'foreign');
    const ann = { workspace: 'ws', experiment: 'e', job: 'j1', userId: 'u1', userName: 'Ann', body: 'd1' };
    expect(await stores.submissions.claim(ann)).toEqual({ userId: 'u1', userName: 'Ann', body: 'd1' });
    await stores.submissions.claim({ workspace: 'ws', experiment: 'e', job: 'j2', userId: 'u2' });
    // The first record stays: a later claim of the name answers the holder and changes nothing.
    expect(await stores.submissions.claim({ ...ann, userId: 'mallory', userName: 'M' })).toEqual({
      userId: 'u1',
      userName: 'Ann',
      body: 'd1',
    });
    expect(await stores.submissions.get('ws', 'e', 'j1')).toEqual({ userId: 'u1', userName: 'Ann', body: 'd1' });
    expect(await stores.submissions.listByUser('ws', 'u1')).toEqual([{ experiment: 'e', job: 'j1' }]);
    // Only the holder's own claim with the same body is released (its submit failed).
    await stores.submissions.release({ ...ann, userId: 'mallory' });
    await stores.submissions.release({ ...ann, body: 'other' });
    expect(await stores.submissions.get('ws', 'e', 'j1')).toBeDefined();
    await stores.submissions.release(ann);
    expect(await stores.submissions.get('ws', 'e', 'j1')).toBeUndefined();
  });
});

describe('snapshots', () => {
  const row = (i: number): JobRow => ({
    kind: 'job',
    key: `job:exp:j${i}`,
    resourceId: `/x/exp/j${i}`,
    experiment: 'exp',
    job: `j${i}`,
    state: 'queued',
    at: 't0',
    cluster: 'gpu',
    nodeCount: 1,
  });

  it('writes 250 rows in transactions of at most 100 and reads them back', async () => {
    counter.reset();
    const upserts = Array.from({ length: 250 }, (_, i) => row(i));
    expect(await backend.snapshots.write(ws, [{ upserts, deletes: [] }], { markIndexed: true })).toBe(3);
    expect(counter.requests()).toBe(3);
    const loaded = await backend.snapshots.load(ws);
    expect(loaded.baselined).toBe(true);
    expect(loaded.rows.size).toBe(250);
    expect(loaded.rows.get('job:exp:j7')).toEqual(row(7));
    expect(await backend.snapshots.write(ws, [{ upserts: [], deletes: [row(1)] }])).toBe(1);
    expect((await backend.snapshots.load(ws)).rows.has('job:exp:j1')).toBe(false);
  });

  it('writes nothing when there is nothing to write', async () => {
    counter.reset();
    expect(await backend.snapshots.write(ws, [{ upserts: [], deletes: [] }])).toBe(0);
    expect(counter.requests()).toBe(0);
  });
});

describe('sent markers', () => {
  it('claims once; a second claimer by another message is told busy, then sent', async () => {
    const first = await backend.markers.claim('conv', 'e1', 'msgA');
    expect(first.status).toBe('claimed');
    expect((await backend.markers.claim('conv', 'e1', 'msgB')).status).toBe('busy');
    if (first.status !== 'claimed') throw new Error('unreachable');
    await backend.markers.markSent('conv', 'e1', first.etag, 'act-1');
    expect((await backend.markers.claim('conv', 'e1', 'msgA')).status).toBe('sent');
  });

  it('lets the same message take over its own pending marker (host died mid-send), once', async () => {
    const first = await backend.markers.claim('conv', 'e2', 'msgA');
    const again = await backend.markers.claim('conv', 'e2', 'msgA');
    expect(again.status).toBe('claimed');
    if (first.status !== 'claimed' || again.status !== 'claimed') throw new Error('unreachable');
    // The dead attempt's ETag no longer works: it cannot mark sent over the live one.
    await expect(backend.markers.markSent('conv', 'e2', first.etag)).rejects.toMatchObject({ statusCode: 412 });
  });

  it('released markers can be claimed again', async () => {
    const c = await backend.markers.claim('conv', 'e3', 'msgA');
    if (c.status !== 'claimed') throw new Error('expected a claim');
    await backend.markers.release('conv', 'e3', c.etag);
    expect((await backend.markers.claim('conv', 'e3', 'msgB')).status).toBe('claimed');
  });
});
