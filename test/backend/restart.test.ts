// Stopping and restarting the host half-way loses no alert and duplicates none — for single alerts and for a
// burst's digest; a redelivered or duplicated message sends nothing twice; a batch nobody will read is swept;
// a message that keeps failing ends in the poison queue (moved there by the local Functions dev host, as
// Azure's host does). On both compute backends.
import { QueueClient } from '@azure/storage-queue';
import { startFunctionsHost, readHostJson } from '../../local/functions-host/index';
import { createNotifyFunction } from '../../functions/notify';
import { createPoller } from '../../shared/services/poller';
import type { EventBatch } from '../../shared/core/events';
import { eventQueue } from '../../shared/storage/event-queue';
import { decodeQueueMessage } from '../../local/functions-host/queue-message';
import type { ComputeBackend } from '../../shared/compute/model';
import {
  batchRows,
  cardText,
  context,
  conversation,
  drain,
  peekEvents,
  runJob,
  setupWorkspace,
  startStack,
  WS,
  type Stack,
} from './harness';
import { waitFor } from '../support/wait-for';
import { useStarted } from '../support/use-started';

describe.each<ComputeBackend>(['batchai', 'azurebatch', 'azureml'])('on %s', (backend) => {
  let stack: Stack;
  let clusterId: string;
  const CONVS = ['conv-a', 'conv-b'];

  const started = useStarted(
    'backend stack',
    // The queue's path: the tick leaves its messages to the queue (as it does when delivering them fails).
    () => startStack('rg/ws', backend, undefined, { handoff: false }),
    (s) => s.stop(),
  );

  beforeAll(async () => {
    stack = started.current;
    clusterId = await setupWorkspace(stack.client);
    const { stores } = stack.services;
    for (const id of CONVS) await stores.conversations.save(conversation(stack.channel, id));
    await stores.subscriptions.add('conv-a', { experiment: 'exp' });
    await stores.subscriptions.add('conv-b', { workspace: 'ws' });
    await stack.services.poller.tick(); // baseline
  }, 60_000);

  const notify = () =>
    drain(stack.queue, (m) => createNotifyFunction(async () => stack.services).handler(m, context()));
  const cardsAbout = (conv: string, job: string) =>
    stack.channel.activities(conv).filter((a) => cardText(a).includes(`exp/${job}`));
  const expectOneCardEach = (job: string) => {
    for (const c of CONVS) expect(cardsAbout(c, job)).toHaveLength(1);
  };

  test('poll died after enqueue, before snapshot: the retried tick emits the same ids, one alert each', async () => {
    await runJob(stack.services.compute, clusterId, 'crash-poll');
    const dying = createPoller({
      compute: stack.services.compute,
      workspaces: [WS],
      log: () => {},
      stores: {
        ...stack.services.backend,
        snapshots: {
          ...stack.services.backend.snapshots,
          write: async () => {
            throw new Error('host stopped');
          },
        },
      },
    });
    expect((await dying.tick()).workspaces[0]).toMatchObject({ ok: false, error: 'host stopped' });
    expect((await stack.services.poller.tick()).workspaces[0]).toMatchObject({ ok: true, messages: 1 });

    const peeked = await peekEvents(stack);
    expect(peeked).toHaveLength(2);
    expect(peeked[1].events.map((e) => e.id)).toEqual(peeked[0].events.map((e) => e.id));
    expect(peeked[1].batchId).not.toBe(peeked[0].batchId);

    expect(await notify()).toEqual({ ok: 2, failed: 0 });
    expectOneCardEach('crash-poll');
  });

  test('notify died after claiming its markers, before sending: the redelivered message sends once', async () => {
    await runJob(stack.services.compute, clusterId, 'crash-send');
    await stack.services.poller.tick();
    let reached!: () => void;
    const sendReached = new Promise<void>((r) => {
      reached = r;
    });
    // A sender that never answers: the host process is gone mid-send.
    const dead = await stack.build({
      sender: {
        send: () => {
          reached();
          return new Promise(() => {});
        },
      },
    });
    const {
      receivedMessageItems: [msg],
    } = await stack.queue.receiveMessages({ numberOfMessages: 1, visibilityTimeout: 1 });
    void dead.notifier.handle(decodeQueueMessage(msg.messageText, 'base64'));
    await sendReached;
    // The queue gives the message back after its visibility timeout; a fresh host handles it.
    await waitFor(
      'message visible again',
      async () => (await stack.queue.peekMessages()).peekedMessageItems.length,
      (n) => n > 0,
      { timeoutMs: 5000 },
    );
    expect(await notify()).toEqual({ ok: 1, failed: 0 });
    expectOneCardEach('crash-send');
    expect(await notify()).toEqual({ ok: 0, failed: 0 });
  });

  test('a send the channel refuses is retried by the queue and delivered once', async () => {
    await runJob(stack.services.compute, clusterId, 'refused');
    await stack.services.poller.tick();
    stack.channel.failNext(403, 1);
    expect(await notify()).toEqual({ ok: 0, failed: 1 });
    expect(await notify()).toEqual({ ok: 1, failed: 0 });
    expectOneCardEach('refused');
  });

  const digestsIn = (conv: string) =>
    stack.channel.activities(conv).filter((a) => /\d+ updates in ws/.test(cardText(a)));
  // Finished jobs on the backend the services read: Batch AI jobs, or Batch jobs labelled with the experiment.
  const burst = async (n: number) =>
    backend === 'azurebatch'
      ? stack.engine.batch!.seedFinishedJobs(n, ['gpu'], 'exp')
      : stack.engine.seedFinishedJobs({ ...WS, experiment: 'exp', subscriptionId: stack.client.subscriptionId }, n, {
          cluster: 'gpu',
        });

  test('notify died after claiming a 200-update digest, before sending: one digest each; a copy: none', async () => {
    await burst(200);
    await stack.services.poller.tick();
    const before = CONVS.map(digestsIn).map((d) => d.length);
    let reached = 0;
    let bothReached!: () => void;
    const stuck = new Promise<void>((r) => {
      bothReached = r;
    });
    const dead = await stack.build({
      sender: {
        send: () => {
          if (++reached === CONVS.length) bothReached();
          return new Promise(() => {});
        },
      },
    });
    const {
      receivedMessageItems: [msg],
    } = await stack.queue.receiveMessages({ numberOfMessages: 1, visibilityTimeout: 1 });
    void dead.notifier.handle(decodeQueueMessage(msg.messageText, 'base64'));
    await stuck; // both conversations' 200 markers are claimed and pending
    await waitFor(
      'message visible again',
      async () => (await stack.queue.peekMessages()).peekedMessageItems.length,
      (n) => n > 0,
      { timeoutMs: 5000 },
    );
    expect(await notify()).toEqual({ ok: 1, failed: 0 });
    CONVS.forEach((c, i) => {
      const added = digestsIn(c).slice(before[i]);
      expect(added).toHaveLength(1);
      expect(cardText(added[0])).toContain('200 updates in ws');
    });
    expect(await batchRows(stack)).toEqual([]);

    // The queue delivers the same message once more (at-least-once): its batch is gone, nothing is sent.
    await stack.queue.sendMessage(msg.messageText);
    stack.logs.length = 0;
    expect(await notify()).toEqual({ ok: 1, failed: 0 });
    CONVS.forEach((c, i) => expect(digestsIn(c).length - before[i]).toBe(1));
    expect(stack.logs.some((l) => /is gone: already delivered/.test(l))).toBe(true);
  });

  test('a digest one channel refuses is retried: that conversation gets it once, the other not again', async () => {
    await burst(10);
    await stack.services.poller.tick();
    const before = CONVS.map(digestsIn).map((d) => d.length);
    stack.channel.failNext(403, 1);
    expect(await notify()).toEqual({ ok: 0, failed: 1 });
    expect(
      CONVS.map(digestsIn)
        .map((d, i) => d.length - before[i])
        .sort(),
    ).toEqual([0, 1]);
    expect(await batchRows(stack)).not.toEqual([]); // kept for the retry
    expect(await notify()).toEqual({ ok: 1, failed: 0 });
    CONVS.forEach((c, i) => {
      const added = digestsIn(c).slice(before[i]);
      expect(added).toHaveLength(1);
      expect(cardText(added[0])).toContain('10 updates in ws');
    });
    expect(await batchRows(stack)).toEqual([]);
  });

  test('poll died after storing its batch, before enqueue: retry delivers once, sweep removes the orphan', async () => {
    await runJob(stack.services.compute, clusterId, 'crash-enqueue');
    // The queue is unreachable (no such queue): the batch is stored, the message never sent.
    const unreachable = eventQueue(
      new QueueClient(stack.azurite.connectionString, 'no-such-queue'),
      stack.services.backend.batches,
    );
    const dying = createPoller({
      compute: stack.services.compute,
      workspaces: [WS],
      log: () => {},
      stores: { ...stack.services.backend, events: unreachable },
    });
    expect((await dying.tick()).workspaces[0]).toMatchObject({ ok: false });
    const orphans = await batchRows(stack);
    expect(orphans).not.toEqual([]);
    expect(await peekEvents(stack)).toEqual([]);

    expect((await stack.services.poller.tick()).workspaces[0]).toMatchObject({ ok: true, messages: 1 });
    expect(await notify()).toEqual({ ok: 1, failed: 0 });
    expectOneCardEach('crash-enqueue');
    expect(await batchRows(stack)).toEqual(orphans); // the delivered batch is gone; the orphan is not referenced

    const sweeper = createPoller({
      compute: stack.services.compute,
      workspaces: [],
      stores: stack.services.backend,
      log: () => {},
      batchRetentionMs: 0,
    });
    // One orphan per pass of the dying tick that reached its enqueue (the second pass does a failed first's again).
    const orphanBatches = new Set(orphans.map((r) => r.split('/')[0])).size;
    expect((await sweeper.tick()).swept).toBe(orphanBatches);
    expect(await batchRows(stack)).toEqual([]);
  });

  test('an inline v1 message enqueued before the upgrade is still delivered once', async () => {
    await runJob(stack.services.compute, clusterId, 'from-v1');
    await stack.services.poller.tick();
    const [stored] = await peekEvents(stack);
    await stack.queue.clearMessages();
    const v1: EventBatch = {
      v: 1,
      batchId: 'old-message',
      workspace: WS,
      tickAt: new Date().toISOString(),
      events: stored.events,
    };
    await stack.queue.sendMessage(Buffer.from(JSON.stringify(v1)).toString('base64'));
    expect(await notify()).toEqual({ ok: 1, failed: 0 });
    expectOneCardEach('from-v1');
    await stack.services.backend.batches.delete(stored.batchId);
  });

  test('a message that always fails lands in events-poison after 5 tries; moved back, it is sent once', async () => {
    const poison = new QueueClient(stack.azurite.connectionString, 'events-poison');
    await poison.createIfNotExists();
    const hostJson = readHostJson(`${__dirname}/../../host.json`) as {
      extensions: { queues: Record<string, unknown> };
    };
    expect(hostJson.extensions.queues.maxDequeueCount).toBe(5);
    // Same settings as host.json, except no wait between tries so the test stays short.
    const fast = {
      ...hostJson,
      extensions: { queues: { ...hostJson.extensions.queues, visibilityTimeout: 0, maxPollingInterval: 50 } },
    };
    const host = await startFunctionsHost({
      definitions: [createNotifyFunction(async () => stack.services)],
      connectionString: stack.azurite.connectionString,
      hostJson: fast,
      httpPort: 0,
      log: () => {},
    });
    try {
      stack.channel.failNext(403, 1000);
      const refusedBefore = stack.channel.requests().filter((r) => r.status === 403).length;
      await runJob(stack.services.compute, clusterId, 'poisoned');
      await stack.services.poller.tick();
      await waitFor(
        'a poison message',
        async () => (await poison.peekMessages()).peekedMessageItems.length,
        (n) => n === 1,
        { timeoutMs: 20_000 },
      );
      // 5 tries × 2 conversations, each refused.
      expect(stack.channel.requests().filter((r) => r.status === 403).length - refusedBefore).toBe(10);
      expect(CONVS.map((c) => cardsAbout(c, 'poisoned').length)).toEqual([0, 0]);

      stack.channel.failNext(403, 0);
      const {
        receivedMessageItems: [msg],
      } = await poison.receiveMessages();
      await stack.queue.sendMessage(msg.messageText);
      await poison.deleteMessage(msg.messageId, msg.popReceipt);
      await waitFor(
        'cards after the replay',
        async () => CONVS.map((c) => cardsAbout(c, 'poisoned').length),
        (n) => n.every((x) => x === 1),
      );
    } finally {
      await host.stop();
    }
    expectOneCardEach('poisoned');
  }, 40_000);
});
