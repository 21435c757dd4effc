// The housekeeping pass on a real Azurite: rows of cache and queue tables past their retention are deleted (the
// clock is injected), newer rows and the records (audit, roles) stay, a pass deletes at most its budget, and a
// table whose deletes fail neither stops the pass nor loses a row.
import { TableClient } from '@azure/data-tables';
import { QueueClient } from '@azure/storage-queue';
import { type PipelinePolicy, RestError } from '@azure/core-rest-pipeline';
import { followUpQueue } from '../../shared/storage/followup-queue';
import { housekeeping } from '../../shared/storage/housekeeping-store';
import { markerStore } from '../../shared/storage/marker-store';
import { defaultRetentionMs, parseRetention } from '../../shared/storage/retention';
import { turnInbox } from '../../shared/storage/turn-inbox';
import { openTable } from '../../shared/storage/table';
import { useAzurite } from '../support/azurite';

const azurite = useAzurite();
const DAY = 24 * 3600_000;
const T0 = Date.parse('2026-12-01T00:00:00Z');
const lines: string[] = [];
const log = (line: string) => {
  lines.push(line);
};

let n = 0;
/** Fresh tables per test (a prefix of their own), so counts are the test's. */
async function tables(policies: Record<string, PipelinePolicy[]> = {}) {
  const p = `t${++n}x`;
  const open = (name: string) =>
    openTable(azurite.connectionString, `${p}${name}`, { tablePolicies: policies[name] ?? [] });
  const [sent, slackturns, followups, approvals, approvalcards, audit, roles] = await Promise.all(
    ['sent', 'slackturns', 'followups', 'approvals', 'approvalcards', 'audit', 'roles'].map(open),
  );
  return { sent, slackturns, inboxes: [slackturns], followups, approvals, approvalcards, audit, roles };
}

async function keys(t: TableClient): Promise<string[]> {
  const out: string[] = [];
  for await (const r of t.listEntities()) out.push(`${r.partitionKey}/${r.rowKey}`);
  return out.sort();
}

/** Markers claimed and sent at `at` (the marker store's clock). */
async function markers(t: TableClient, at: number, conversation: string, count: number) {
  const store = markerStore(t, { now: () => at });
  for (let i = 0; i < count; i++) {
    const c = await store.claim(conversation, `e${i}`, 'owner');
    if (c.status === 'claimed') await store.markSent(conversation, `e${i}`, c.etag);
  }
}

async function approval(t: TableClient, id: string, state: string, expiresAt: number) {
  await t.createEntity({
    partitionKey: 'approval',
    rowKey: id,
    state,
    expiresAt: new Date(expiresAt).toISOString(),
    body: '{}',
  });
}

test('rows past retention go; newer rows, pending approvals, audit and roles stay', async () => {
  const t = await tables();
  const keep = defaultRetentionMs();
  await markers(t.sent, T0, 'conv-old', 3);
  await markers(t.sent, T0 + keep.sent, 'conv-new', 2);
  const queue = new QueueClient(azurite.connectionString, `q${n}x`);
  await queue.createIfNotExists();
  const inbox = (at: number) => turnInbox(queue, t.slackturns, { now: () => at });
  // An old turn nobody drained (its seen row and turn row), and one accepted a minute ago.
  await inbox(T0).accept({ conversation: 'T1:C1', requestKey: 'old', body: 'x', contentType: 'text/plain' });
  await inbox(T0 + 2 * DAY - 60_000).accept({
    conversation: 'T1:C1',
    requestKey: 'new',
    body: 'y',
    contentType: 'text/plain',
  });
  // A lease a dead drainer left (its `until` long past).
  await t.slackturns.createEntity({ partitionKey: 'turn-T1:C1', rowKey: '~lease', holder: 'h', until: T0 });
  await approval(t.approvals, 'aold', 'executed', T0);
  await t.approvalcards.createEntity({ partitionKey: 'aold', rowKey: 'conv', conversationId: 'conv' });
  await approval(t.approvals, 'apend', 'pending', T0);
  await approval(t.approvals, 'anew', 'rejected', T0 + 2 * DAY);
  await t.audit.createEntity({ partitionKey: 'audit', rowKey: 'r1', at: new Date(T0 - 400 * DAY).toISOString() });
  await t.roles.createEntity({ partitionKey: '*', rowKey: 'user-ada', role: 'admin' });

  const hk = housekeeping(t, { retention: keep, log });
  const now = new Date(T0 + keep.approvals + DAY);
  // Slack rows are aged by the inbox's clock: at T0 + 2 days the old turn (1 day retention) is due, the new not.
  const slack = await hk.run(new Date(T0 + 2 * DAY));
  expect(slack.tables.slackseen).toEqual({ deleted: 1, failed: 0, more: false });
  expect(slack.tables.slackturns).toEqual({ deleted: 2, failed: 0, more: false }); // the turn and the lease
  expect((await keys(t.slackturns)).filter((k) => k.startsWith('turn-'))).toHaveLength(1);
  expect((await keys(t.slackturns)).filter((k) => k.startsWith('seen-'))).toHaveLength(1);

  const r = await hk.run(new Date(T0 + keep.sent + 1));
  expect(r.tables.sent).toEqual({ deleted: 3, failed: 0, more: false });
  expect(await keys(t.sent)).toEqual(['conv-new/e0', 'conv-new/e1']);

  const later = await hk.run(now);
  expect(later.tables.approvals).toEqual({ deleted: 1, failed: 0, more: false });
  expect(await keys(t.approvals)).toEqual(['approval/anew', 'approval/apend']);
  expect(await keys(t.approvalcards)).toEqual([]);
  expect(await keys(t.audit)).toEqual(['audit/r1']);
  expect(await keys(t.roles)).toEqual(['*/user-ada']);
  expect(later.failures).toEqual([]);
});

test('a follow-up row expires a day after its chain last wrote it', async () => {
  const t = await tables();
  const queue = new QueueClient(azurite.connectionString, `q${n}x`);
  await queue.createIfNotExists();
  const target = { kind: 'approval' as const, approval: 'a1' };
  await followUpQueue(queue, t.followups, { delaySeconds: 60 }).start({
    target,
    conversationId: 'conv',
    activityId: 'act',
    key: 'pending',
    deadline: new Date().toISOString(),
  });
  const hk = housekeeping(t, { retention: defaultRetentionMs(), log });
  // The row's age is the service's own Timestamp: a day later (by the injected clock) it is due, not before.
  expect((await hk.run(new Date(Date.now() + DAY - 3600_000))).tables.followups?.deleted).toBe(0);
  expect((await hk.run(new Date(Date.now() + DAY + 3600_000))).tables.followups?.deleted).toBe(1);
  expect(await keys(t.followups)).toEqual([]);
});

test('a pass deletes at most its budget; the next pass goes on', async () => {
  const t = await tables();
  await markers(t.sent, T0, 'conv-a', 5);
  await markers(t.sent, T0, 'conv-b', 2);
  const hk = housekeeping(t, { retention: defaultRetentionMs(), maxRows: 4, log });
  const now = new Date(T0 + defaultRetentionMs().sent + 1);
  expect((await hk.run(now)).tables.sent).toEqual({ deleted: 4, failed: 0, more: true });
  expect(await keys(t.sent)).toHaveLength(3);
  expect((await hk.run(now)).tables.sent).toEqual({ deleted: 3, failed: 0, more: false });
  expect(await keys(t.sent)).toEqual([]);
});

test('a pass reads at most its pages; the next pass goes on from where it stopped', async () => {
  const t = await tables();
  await markers(t.sent, T0, 'conv', 5);
  const hk = housekeeping(t, { retention: defaultRetentionMs(), maxPages: 1, pageSize: 2, log });
  const now = new Date(T0 + defaultRetentionMs().sent + 1);
  expect((await hk.run(now)).tables.sent).toEqual({ deleted: 2, failed: 0, more: true });
  expect((await hk.run(now)).tables.sent).toEqual({ deleted: 2, failed: 0, more: true });
  expect((await hk.run(now)).tables.sent).toEqual({ deleted: 1, failed: 0, more: false });
  expect(await keys(t.sent)).toEqual([]);
});

test('failing deletes of one table are counted and logged; the pass goes on and nothing is lost', async () => {
  // Every delete of the `sent` table fails (a transaction and each row alone); its reads work.
  const failing: PipelinePolicy = {
    name: 'fail-deletes',
    async sendRequest(req, next) {
      if (req.method === 'DELETE' || req.url.includes('$batch')) throw new RestError('injected', { statusCode: 503 });
      return next(req);
    },
  };
  const t = await tables({ sent: [failing] });
  await markers(openTableFresh(t.sent), T0, 'conv', 2);
  await approval(t.approvals, 'aold', 'expired', T0);
  lines.length = 0;
  const r = await housekeeping(t, { retention: defaultRetentionMs(), log }).run(new Date(T0 + 365 * DAY));
  expect(r.tables.sent).toEqual({ deleted: 0, failed: 2, more: false });
  expect(r.tables.approvals).toEqual({ deleted: 1, failed: 0, more: false });
  expect(lines.filter((l) => l.includes('deleting'))).toHaveLength(2);
  expect(await keys(openTableFresh(t.sent))).toEqual(['conv/e0', 'conv/e1']);
});

test('RETENTION overrides a table and refuses what it cannot read', () => {
  expect(parseRetention('sent=10m, slackseen=2h').sent).toBe(600_000);
  expect(parseRetention('sent=10m, slackseen=2h').slackseen).toBe(7_200_000);
  expect(parseRetention('').followups).toBe(DAY);
  expect(() => parseRetention('audit=1d')).toThrow(/expected <table>=<number><s\|m\|h\|d>.*sent, slackseen/);
  expect(() => parseRetention('sent=10')).toThrow(/RETENTION: "sent=10"/);
});

/** The same table without the failing policy (to write and to check). */
function openTableFresh(t: TableClient): TableClient {
  return TableClient.fromConnectionString(azurite.connectionString, t.tableName, { allowInsecureConnection: true });
}
