// The notifier's digest on batched markers, on the real stack (Azurite, botbuilder's sender, a fake channel):
// a 250-event digest costs 3 claim and 3 mark transactions; a refused send releases them in 3 and the retry
// takes them over; a repeat of the events under another batchId writes nothing and sends nothing.
import { RestError } from '@azure/core-rest-pipeline';
import type { EventBatch, EventBatchRef, EventsMessage, JobEvent } from '../../shared/core/events';
import { createNotifier } from '../../shared/services/notifier';
import { EVENT_BATCHES_TABLE } from '../../shared/storage/event-batch-store';
import { cardText, conversation, startStack, WS, type Stack } from './harness';
import { useStarted } from '../support/use-started';

let stack: Stack;
const CONV = 'conv-digest';

const started = useStarted(
  'backend stack',
  () => startStack(),
  (s) => s.stop(),
);

beforeAll(async () => {
  stack = started.current;
  await stack.services.stores.conversations.save(conversation(stack.channel, CONV));
  await stack.services.stores.subscriptions.add(CONV, { workspace: 'ws' });
}, 60_000);

function events(n: number): JobEvent[] {
  return Array.from({ length: n }, (_, i) => ({
    kind: 'job',
    id: `ev${String(i).padStart(4, '0')}`,
    workspace: WS,
    resourceId: `/x/exp/j${i}`,
    experiment: 'exp',
    job: `j${i}`,
    from: 'running',
    to: 'succeeded',
    at: 't',
    outputDirectoryIds: ['stdouterr'],
    summary: {
      workspace: 'ws',
      experiment: 'exp',
      name: `j${i}`,
      state: 'succeeded',
      cluster: 'gpu',
      nodeCount: 1,
      exitCode: 0,
      errors: [],
    },
  }));
}
const message = (batchId: string, evs: JobEvent[]): EventBatch => ({
  v: 1,
  batchId,
  workspace: WS,
  tickAt: 't',
  events: evs,
});
const digests = () => stack.channel.activities(CONV).filter((a) => cardText(a).includes('250 updates in ws'));

test('refused 250-event digest: released in batch; retry claims, sends once, marks; a repeat sends none', async () => {
  const burst = events(250);
  stack.channel.failNext(403, 1);
  stack.writes.reset();
  await expect(stack.services.notifier.handle(message('b1', burst))).rejects.toThrow(/1 of 1 conversations failed/);
  expect(stack.writes.requests()).toBe(6); // 3 claim transactions, 3 release transactions
  expect(digests()).toHaveLength(0);

  stack.writes.reset();
  expect(await stack.services.notifier.handle(message('b1', burst))).toMatchObject({
    sent: 250,
    alreadySent: 0,
    cards: 1,
  });
  expect(stack.writes.requests()).toBe(9); // 3 failed inserts, 3 takeovers (after a read each), 3 marks
  expect(digests()).toHaveLength(1);

  stack.writes.reset();
  expect(await stack.services.notifier.handle(message('b2', burst))).toMatchObject({
    sent: 0,
    alreadySent: 250,
    cards: 0,
  });
  expect(stack.writes.requests()).toBe(3); // the failed inserts only
  expect(digests()).toHaveLength(1);
});

test('a retry that sends some, then fails, enqueues the message again; a first try is left to the queue', async () => {
  const requeued: EventsMessage[] = [];
  let sends = 0;
  const notifier = createNotifier({
    stores: stack.services.stores,
    markers: stack.services.backend.markers,
    batches: stack.services.backend.batches,
    compute: stack.services.compute,
    logs: stack.services.config.logs,
    log: () => {},
    // The second and the fourth post are refused (an answer, not a transient failure: not tried again here).
    sender: {
      send: (c, v) => (++sends % 2 === 0 ? Promise.reject(new Error('refused')) : stack.services.sender.send(c, v)),
    },
    requeue: { queue: { requeue: async (m) => void requeued.push(m) }, delaySeconds: 0 },
  });
  const three = events(3).map((e) => ({ ...e, id: `rq-${e.id}` }));
  await expect(notifier.handle(message('rq', three))).rejects.toThrow(/refused/);
  expect(requeued).toEqual([]);
  // The queue's retry sends one more, then fails: the message goes again as a new one and this try succeeds.
  expect(await notifier.handle(message('rq', three), { dequeueCount: 2 })).toMatchObject({
    requeued: '1 cards sent, then 1 of 1 conversations failed',
  });
  expect(requeued).toEqual([message('rq', three)]);
  expect(await notifier.handle(requeued[0])).toMatchObject({ sent: 1, alreadySent: 2 });
  expect(sends).toBe(5);
});

test('attempts in a try read the batch, routes and conversation once; a try that sent a card is requeued', async () => {
  const throttled = () => new RestError('throttled', { statusCode: 503 });
  const { stores, backend } = stack.services;
  const three = events(3).map((e) => ({ ...e, id: `tr-${e.id}` }));
  const { chunks } = await backend.batches.put('tr', { workspace: WS, tickAt: 't', events: three });
  const reads = { batch: 0, subscriptions: 0, conversation: 0 };
  const counted =
    <A extends unknown[], R>(read: keyof typeof reads, fn: (...args: A) => R) =>
    (...args: A): R => {
      reads[read]++;
      return fn(...args);
    };
  const requeued: EventsMessage[] = [];
  let sends = 0;
  let requeues = 0;
  const notifier = createNotifier({
    stores: {
      ...stores,
      subscriptions: { ...stores.subscriptions, all: counted('subscriptions', stores.subscriptions.all) },
      conversations: { ...stores.conversations, get: counted('conversation', stores.conversations.get) },
    },
    markers: backend.markers,
    batches: { ...backend.batches, get: counted('batch', backend.batches.get) },
    compute: stack.services.compute,
    logs: stack.services.config.logs,
    log: () => {},
    // The first card goes out, every later send is throttled; and so is the first requeue (all transient).
    sender: { send: (c, v) => (++sends === 1 ? stack.services.sender.send(c, v) : Promise.reject(throttled())) },
    requeue: {
      queue: {
        requeue: async (m) => {
          if (++requeues === 1) throw throttled();
          requeued.push(m);
        },
      },
      delaySeconds: 0,
    },
    transientTries: 4,
    transientPauseMs: 0,
  });
  const ref: EventBatchRef = {
    v: 2,
    batchId: 'tr',
    workspace: WS,
    tickAt: 't',
    count: 3,
    ref: { table: EVENT_BATCHES_TABLE, chunks },
  };
  // Attempt 1 sends a card, its requeue fails; attempt 2 sends nothing: the try still made progress, so the
  // message goes again as a new one rather than using up one of the queue's tries.
  expect(await notifier.handle(ref, { dequeueCount: 2 })).toMatchObject({
    requeued: '1 cards sent, then 1 of 1 conversations failed',
  });
  expect(requeued).toEqual([ref]);
  expect(sends).toBe(3);
  // The retry started at the claims: nothing it had read was read again.
  expect(reads).toEqual({ batch: 1, subscriptions: 1, conversation: 1 });
});
