// A tick delivers the news of its first pass itself (services/handoff.ts), with its queue message held as the
// fallback, and lists no quiet experiment of any workspace before that news is out. On a real Azurite, the engine's
// Batch AI API and the fake Connector; the order is read from the calls themselves.
import type { ComputePort } from '../../shared/compute/port';
import type { AlertPort } from '../../shared/services/notifier';
import { createPoller } from '../../shared/services/poller';
import { createHandoff } from '../../shared/services/handoff';
import { useStarted } from '../support/use-started';
import { conversation, drain, setupWorkspace, startStack, SUB, WS, type Stack } from './harness';

const WS2 = { resourceGroup: 'rg', workspace: 'ws2' };

describe('a tick hands its news to the notifier before it lists the quiet experiments', () => {
  const started = useStarted(
    'backend stack',
    () => startStack('rg/ws,rg/ws2'),
    (s) => s.stop(),
  );
  let stack: Stack;
  beforeAll(async () => {
    stack = started.current;
    await setupWorkspace(stack.client);
    await setupWorkspace(stack.client, WS2);
    await stack.services.stores.conversations.save(conversation(stack.channel, 'handoff'));
    await stack.services.stores.subscriptions.add('handoff', { experiment: 'sweep', states: ['succeeded'] });
  }, 60_000);

  const seed = (ws: typeof WS, experiment: string, n: number, running = false) =>
    stack.engine.seedFinishedJobs({ ...ws, experiment, subscriptionId: SUB }, n, { cluster: 'gpu', running });

  /** A poller whose listings, sends and hold checks are written to `calls`; `refuse`: sends that fail. */
  async function poller(calls: string[], refuse = { times: 0 }) {
    const compute: ComputePort = {
      ...stack.services.compute,
      async *listJobs(ref) {
        // exp: every workspace's own, from setupWorkspace.
        if (ref.experiment !== 'exp') calls.push(`list ${ref.workspace}/${ref.experiment}`);
        yield* stack.services.compute.listJobs(ref);
      },
    };
    const sender: AlertPort = {
      async send(conv, view) {
        // While the tick's process delivers it, its message is hidden from the queue trigger.
        const { peekedMessageItems } = await stack.queue.peekMessages({ numberOfMessages: 32 });
        calls.push(`send (${peekedMessageItems.length} visible)`);
        if (refuse.times-- > 0) throw new Error('the channel refused');
        return stack.services.sender.send(conv, view);
      },
    };
    const { notifier } = await stack.build({ sender });
    return createPoller({
      compute,
      workspaces: [WS, WS2],
      stores: stack.services.backend,
      log: () => {},
      handoff: createHandoff({
        notifier: async () => notifier,
        queue: stack.services.backend.events,
        log: (l) => calls.push(l.replace(/batch \S+/, 'batch B')),
      }),
    }).tick;
  }

  test('the news goes out in the tick, then the quiet experiments of every workspace are listed', async () => {
    const calls: string[] = [];
    const tick = await poller(calls);
    await seed(WS, 'sweep', 5, true);
    await seed(WS2, 'quiet', 2);
    await tick(); // the baseline
    await tick(); // sweep is running: listed first from now on
    expect(await stack.engine.endSeededJobs({ ...WS, experiment: 'sweep', subscriptionId: SUB })).toBe(5);
    calls.length = 0;
    const r = await tick();
    expect(r.workspaces.map((w) => [w.ok, w.events, w.messages])).toEqual([
      [true, 5, 1],
      [true, 0, 0],
    ]);
    expect(calls).toEqual(['list ws/sweep', 'send (0 visible)', 'list ws2/quiet']);
    const cards = stack.channel.activities('handoff').map((a) => JSON.stringify(a));
    expect(cards.filter((c) => c.includes('5 updates in ws')).length).toBe(1);
    // Delivered: nothing is left for the queue trigger, visible or held.
    expect((await stack.queue.peekMessages()).peekedMessageItems).toEqual([]);
    expect(await stack.queue.getProperties()).toMatchObject({ approximateMessagesCount: 0 });
  }, 60_000);

  test('a delivery that fails in the tick is the queue trigger’s at once, and goes out once', async () => {
    const calls: string[] = [];
    const refuse = { times: 1 };
    const tick = await poller(calls, refuse);
    await seed(WS, 'sweep', 1, true);
    // A poller's first tick has no first pass (it knows no workspace with news yet): its news go through the queue.
    await tick();
    expect(await drain(stack.queue, (m) => stack.services.notifier.handle(m))).toEqual({ ok: 1, failed: 0 });
    const before = stack.channel.activities('handoff').length;
    expect(await stack.engine.endSeededJobs({ ...WS, experiment: 'sweep', subscriptionId: SUB })).toBe(1);
    calls.length = 0;
    expect((await tick()).workspaces[0]).toMatchObject({ ok: true, events: 1, messages: 1 });
    expect(calls).toEqual([
      'list ws/sweep',
      'send (0 visible)',
      expect.stringMatching(/^poll: batch B goes to the notify queue: .*the channel refused/),
      'list ws2/quiet',
    ]);
    expect(stack.channel.activities('handoff').length).toBe(before);
    expect(await drain(stack.queue, (m) => stack.services.notifier.handle(m))).toEqual({ ok: 1, failed: 0 });
    const after = stack.channel.activities('handoff').slice(before);
    expect(after.map((a) => JSON.stringify(a).includes('succeeded'))).toEqual([true]);
    expect(await drain(stack.queue, (m) => stack.services.notifier.handle(m))).toEqual({ ok: 0, failed: 0 });
  }, 60_000);
});
