// Upgrading from the version before the compute model (commit fccbd8d): the tables, queue messages and engine
// state it left (test/fixtures/upgrade-fccbd8d/, see fixture.ts) load into a fresh Azurite and engine; this
// version, configured with that version's setting names (BATCHAI_*), reads every row of every table through its
// stores, and its first poll and the delivery of the message left queued send nothing, on both backends.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueueClient } from '@azure/storage-queue';
import { createServices, type Services } from '../../functions/services';
import { startAzurite } from '../../local/azurite';
import { startEngine } from '../../local/engine/index';
import { decodeQueueMessage } from '../../local/functions-host/queue-message';
import { startFakeChannel, type FakeChannel } from '../../local/harness/fake-channel';
import { createStoppers } from '../../local/harness/stoppers';
import type { ComputeBackend, WorkspaceRef } from '../../shared/compute/model';
import { loadConfig } from '../../shared/config';
import { observeWorkspace } from '../../shared/services/observe';
import { decodeKey, EVENTS_QUEUE } from '../../shared/storage';
import { createFollowUpQueue } from '../../shared/storage/followup-queue';
import { createWriteCounter } from '../../shared/storage/write-counter';
import { FIXTURE_DIR, type Fixture, loadFixture, readFixture, relocateEngineDir } from './fixture';

const WS: WorkspaceRef = { resourceGroup: 'rg', workspace: 'ws' };
const wsRef = (label: string): WorkspaceRef => ({ resourceGroup: label.split('/')[0], workspace: label.split('/')[1] });

/** Every store reads every captured row; throws naming the first row it cannot read. Returns rows read per table. */
async function readEverything(s: Services, f: Fixture): Promise<Record<string, number>> {
  const { stores, backend } = s;
  const followUps = await createFollowUpQueue(s.config.storage, { delaySeconds: 1 });
  const queuedFollowUps = (f.queues.followups ?? []).map(
    (t) => decodeQueueMessage(t, 'base64') as { chain: string } & Parameters<typeof followUps.current>[0],
  );
  const n: Record<string, number> = {};
  for (const [table, rows] of Object.entries(f.tables)) {
    n[table] = 0;
    for (const r of rows) {
      const pk = decodeKey(r.partitionKey);
      const read: Record<string, () => Promise<unknown>> = {
        conversations: async () => r.rowKey !== 'ref' || stores.conversations.get(pk),
        prefs: () => stores.prefs.get(pk),
        subscriptions: async () => (await stores.subscriptions.list(pk)).some((x) => x.id === r.rowKey),
        templates: () => stores.templates.get(decodeKey(r.rowKey)),
        submissions: () => {
          const [experiment, job] = r.rowKey.split(':').map(decodeKey);
          return stores.submissions.get(pk, experiment, job);
        },
        approvals: () => stores.approvals.get(r.rowKey),
        approvalcards: async () => (await stores.approvalCards.list(pk)).length > 0,
        people: async () => Object.keys(await stores.people.get(pk)).length > 0,
        policies: async () => (await stores.policies.list(wsRef(pk))).size > 0,
        roles: async () => (await stores.roles.list()).some((g) => g.userId === decodeKey(r.rowKey)),
        audit: async () => (await stores.audit.latest(1000)).some((a) => a.id === r.rowKey),
        snapshots: async () => (await backend.snapshots.load(wsRef(pk))).baselined,
        pollstatus: async () => (await backend.pollStatus.failing()).some((x) => x.workspace === decodeKey(r.rowKey)),
        // Markers are read through claims, which would change them: every captured one is `sent`.
        sent: async () => r.properties.state?.value === 'sent',
        eventbatches: async () =>
          r.rowKey !== 'head' || backend.batches.get(r.partitionKey, Number(r.properties.chunks.value)),
        followups: async () => {
          const m = queuedFollowUps.find((x) => x.chain === r.properties.chain.value);
          return m && followUps.current(m);
        },
      };
      if (!read[table]) throw new Error(`table ${table}: this test has no reader for it`);
      if (!(await read[table]()))
        throw new Error(`table ${table}: row ${r.partitionKey}/${r.rowKey} did not read back`);
      n[table]++;
    }
  }
  return n;
}

/** Delivers every message of the events queue to the notifier, as the host does. */
async function notifyAll(
  conn: string,
  s: Services,
): Promise<Array<Awaited<ReturnType<Services['notifier']['handle']>>>> {
  const queue = new QueueClient(conn, EVENTS_QUEUE);
  const out = [];
  for (;;) {
    const { receivedMessageItems: items } = await queue.receiveMessages({
      numberOfMessages: 32,
      visibilityTimeout: 60,
    });
    if (items.length === 0) return out;
    for (const m of items) {
      out.push(await s.notifier.handle(decodeQueueMessage(m.messageText, 'base64')));
      await queue.deleteMessage(m.messageId, m.popReceipt);
    }
  }
}

describe.each<ComputeBackend>(['batchai', 'azurebatch'])('upgrade from fccbd8d on %s', (backend) => {
  test('every row reads, the old setting names work, and the first poll and delivery send nothing', async () => {
    const f = readFixture(backend);
    expect(f.capturedFrom).toMatch(/^fccbd8d/);
    const stoppers = createStoppers();
    try {
      const dataDir = mkdtempSync(join(tmpdir(), `upgrade-${backend}-`));
      stoppers.add('data dir', () => rmSync(dataDir, { recursive: true, force: true }));
      cpSync(join(FIXTURE_DIR, `engine-${backend}`), dataDir, { recursive: true });
      relocateEngineDir(dataDir, f.engine.capturedDataDir);
      const [azurite, engine, channel] = await Promise.all([
        stoppers.track('Azurite', startAzurite(), (a) => a.stop()),
        stoppers.track(
          'engine',
          startEngine({
            dataDir,
            timing: { allocationDelayMs: 100, operationDelayMs: 50, schedulerIntervalMs: 50 },
            batch:
              backend === 'azurebatch'
                ? { workspace: { ...WS, subscriptionId: f.subscriptionId }, account: WS.workspace }
                : undefined,
          }),
          (e) => e.stop(),
        ),
        stoppers.track('channel', startFakeChannel(), (c: FakeChannel) => c.stop()),
      ]);
      await loadFixture(azurite.connectionString, f, channel.serviceUrl);
      const env: Record<string, string> = { ...f.env };
      env.BATCHAI_ENDPOINT = engine.url;
      env.AzureWebJobsStorage = azurite.connectionString;
      if (engine.batch) {
        Object.assign(env, {
          COMPUTE_BACKEND: 'azurebatch',
          AZURE_BATCH_ACCOUNTS: `ws=${engine.batch.url},gone=${engine.batch.url}`,
          AZURE_BATCH_ACCOUNT_KEY: engine.batch.accountKey,
        });
      }
      const config = loadConfig(env);
      expect(config.deprecatedSettings.map((d) => d.name)).toEqual(
        expect.arrayContaining(['BATCHAI_WORKSPACES', 'BATCHAI_ENDPOINT']),
      );
      const writes = createWriteCounter();
      const logs: string[] = [];
      const services = await createServices(config, {
        storage: { tablePolicies: [writes.policy] },
        log: (l) => logs.push(l),
      });

      const counts = await readEverything(services, f);
      expect(counts).toEqual(Object.fromEntries(Object.entries(f.tables).map(([k, v]) => [k, v.length])));
      expect(Object.keys(counts).length).toBeGreaterThanOrEqual(16);
      // The engine came back with the jobs the old version saw, in the states it stored.
      const seen = (await observeWorkspace(services.compute, WS, 4)).jobs.map((j) => ({
        experiment: j.row.experiment,
        job: j.row.job,
        state: j.row.state,
        cluster: j.row.cluster,
      }));
      expect(seen).toEqual(f.engine.jobs);

      writes.reset();
      const poll = await services.poller.tick();
      const ws = poll.workspaces.find((w) => w.workspace === 'rg/ws');
      expect(ws).toMatchObject({ ok: true, events: 0, messages: 0 });
      // The first tick writes each experiment's digest, each job row again with its hash (same fields) and marks the
      // partition indexed (one transaction; Azure Batch rows also get the account's own ids in it). The next tick
      // writes nothing.
      expect(ws?.transactions).toBeLessThanOrEqual(1);
      if (backend === 'batchai') expect(writes.requests()).toBe(1);
      const delivered = await notifyAll(azurite.connectionString, services);
      expect(delivered.map((d) => [d.sent, d.cards])).toEqual([[0, 0]]);
      const second = (await services.poller.tick()).workspaces.find((w) => w.workspace === 'rg/ws');
      expect(second).toMatchObject({ ok: true, events: 0, messages: 0, transactions: 0 });
      expect(channel.requests()).toEqual([]);
    } finally {
      await stoppers.stopAll();
    }
  }, 120_000);
});
