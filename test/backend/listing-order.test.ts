// A poll tick lists first the experiments that can have news (core/listing-order.ts) and enqueues their events
// before it lists the rest: an alert does not wait for a workspace's quiet experiments. On a real Azurite and the
// engine's Batch AI API; the order is read from the calls themselves, and the poller's clock is injected.
import type { ComputePort } from '../../shared/compute/port';
import { RECENT_MS } from '../../shared/core/listing-order';
import type { EventQueue } from '../../shared/storage/event-queue';
import { createPoller } from '../../shared/services/poller';
import { useStarted } from '../support/use-started';
import { setupWorkspace, startStack, SUB, WS, type Stack } from './harness';

describe('a poll tick lists the experiments that can have news first', () => {
  const started = useStarted(
    'backend stack',
    () => startStack('rg/ws'),
    (s) => s.stop(),
  );
  let stack: Stack;
  beforeAll(async () => {
    stack = started.current;
    await setupWorkspace(stack.client);
  }, 60_000);

  const seed = (experiment: string, n: number, running = false) =>
    stack.engine.seedFinishedJobs({ ...WS, experiment, subscriptionId: SUB }, n, { cluster: 'gpu', running });

  test('news first, quiet later, recent moves first until RECENT_MS passes, running jobs first', async () => {
    let clock = new Date('2026-12-07T12:00:00Z');
    const calls: string[] = [];
    const ours = (e: string) => e === 'a-quiet' || e === 'z-fresh';
    const compute: ComputePort = {
      ...stack.services.compute,
      async *listJobs(ref) {
        if (ours(ref.experiment)) calls.push(`list ${ref.experiment}`);
        yield* stack.services.compute.listJobs(ref);
      },
    };
    const events: EventQueue = {
      ...stack.services.backend.events,
      enqueue(ws, found, at) {
        const experiments = new Set(
          found.flatMap((e) => (e.kind === 'job' && ours(e.experiment) ? [e.experiment] : [])),
        );
        calls.push(`enqueue ${[...experiments].sort().join(' ')}`);
        return stack.services.backend.events.enqueue(ws, found, at);
      },
    };
    const poller = createPoller({
      compute,
      workspaces: [WS],
      stores: { ...stack.services.backend, events },
      now: () => clock,
      log: () => {},
    });
    const tick = async () => {
      calls.length = 0;
      const r = (await poller.tick()).workspaces[0]!;
      expect(r.ok).toBe(true);
      return { messages: r.messages, calls: [...calls] };
    };

    await seed('a-quiet', 3);
    await tick(); // the baseline: a-quiet is seen, its jobs all final; it never moved
    await tick();

    // A new experiment is listed and sent before the quiet one that sorts first; the quiet one's news follows.
    await seed('z-fresh', 2);
    await seed('a-quiet', 1);
    expect(await tick()).toEqual({
      messages: 2,
      calls: ['list z-fresh', 'enqueue z-fresh', 'list a-quiet', 'enqueue a-quiet'],
    });

    // a-quiet moved just now: first, for RECENT_MS; z-fresh, seen once with every job final, waits.
    clock = new Date(clock.getTime() + 60_000);
    await seed('a-quiet', 1);
    expect(await tick()).toEqual({ messages: 1, calls: ['list a-quiet', 'enqueue a-quiet', 'list z-fresh'] });
    clock = new Date(clock.getTime() + RECENT_MS);
    await seed('a-quiet', 1);
    expect(await tick()).toEqual({ messages: 1, calls: ['list a-quiet', 'list z-fresh', 'enqueue a-quiet'] });

    // A job not final keeps its experiment first however long ago it moved; stored with the digest.
    await seed('z-fresh', 1, true);
    expect(await tick()).toEqual({ messages: 1, calls: ['list a-quiet', 'list z-fresh', 'enqueue z-fresh'] });
    expect((await stack.services.backend.snapshots.index(WS)).activity.get('z-fresh')).toEqual({
      active: true,
      movedAt: clock.toISOString(),
    });
    clock = new Date(clock.getTime() + 10 * RECENT_MS);
    await seed('a-quiet', 1);
    expect(await tick()).toEqual({ messages: 1, calls: ['list z-fresh', 'list a-quiet', 'enqueue a-quiet'] });

    // Its job ends: listed first one last time (its row said active), and its row says so no more.
    clock = new Date(clock.getTime() + RECENT_MS);
    expect(await stack.engine.endSeededJobs({ ...WS, experiment: 'z-fresh', subscriptionId: SUB })).toBe(1);
    expect(await tick()).toEqual({ messages: 1, calls: ['list z-fresh', 'enqueue z-fresh', 'list a-quiet'] });
    expect((await stack.services.backend.snapshots.index(WS)).activity.get('z-fresh')).toEqual({
      active: false,
      movedAt: clock.toISOString(),
    });
  }, 60_000);
});
