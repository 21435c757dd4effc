// Poll + notify end to end on real Azurite, the real engine running real jobs, botbuilder's CloudAdapter and
// a fake channel: one alert per subscribed conversation with the right tail; one digest per conversation for a
// burst; no writes when idle; a failing workspace reported once. On both compute backends (a workspace that
// goes missing at runtime is Batch AI's).
import { createNotifyFunction } from '../../functions/notify';
import { createPollFunction } from '../../functions/poll';
import { createHealthDetailsFunction } from '../../functions/health-details';
import { HttpRequest } from '@azure/functions';
import type { ComputeBackend } from '../../shared/compute/model';
import { secretPrints } from '../../shared/core/secret-prints';
import {
  batchRows,
  cardText,
  context,
  timer,
  conversation,
  drain,
  peekEvents,
  runJob,
  setupWorkspace,
  startStack,
  type Stack,
} from './harness';
import { useStarted } from '../support/use-started';

describe.each<ComputeBackend>(['batchai', 'azurebatch', 'azureml'])('on %s', (backend) => {
  // A workspace created at runtime is Batch AI's: with Azure Batch, workspaces are the configured accounts, so
  // such a case exists on Batch AI only (defined there, not skipped here).
  const batchAiOnly = (name: string, fn: jest.ProvidesCallback) => {
    if (backend === 'batchai') test(name, fn);
  };
  let stack: Stack;
  let clusterId: string;

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
    for (const id of ['conv-a', 'conv-b', 'conv-c']) await stores.conversations.save(conversation(stack.channel, id));
    await stores.subscriptions.add('conv-a', { workspace: 'ws' });
    // Overlaps the subscription above: still one alert.
    await stores.subscriptions.add('conv-a', { experiment: 'exp', states: ['failed', 'succeeded'] });
    await stores.subscriptions.add('conv-b', { experiment: 'exp', states: ['succeeded', 'failed'] });
    await stores.subscriptions.add('conv-c', { cluster: 'another' });
    // Baseline tick: the existing cluster is recorded, not announced.
    await createPollFunction(async () => stack.services, stack.services.config.schedules.poll).handler(
      timer,
      context(),
    );
  }, 60_000);

  const notify = () =>
    drain(stack.queue, (m) => createNotifyFunction(async () => stack.services).handler(m, context()));
  const poll = () =>
    createPollFunction(async () => stack.services, stack.services.config.schedules.poll).handler(timer, context());

  test('a finished job: one card per subscribed conversation, with the stdout tail and output links', async () => {
    await runJob(stack.services.compute, clusterId, 'hello', { lines: 30 });
    // The engine's Batch facade uploads outputs just after the task ends (the service does so before).
    await stack.engine.batch?.settle();
    await poll();
    expect((await notify()).ok).toBeGreaterThan(0);
    for (const id of ['conv-a', 'conv-b']) {
      const cards = stack.channel.activities(id);
      expect(cards).toHaveLength(1);
      const text = cardText(cards[0]);
      expect(text).toContain('exp/hello');
      expect(text).toContain('line-030');
      // LOG_TAIL_LINES=5. Azure ML keeps stdout and stderr in one log (std_log.txt): the job's stderr line is last.
      expect(text).toContain(backend === 'azureml' ? 'line-027' : 'line-026');
      expect(text).not.toContain(backend === 'azureml' ? 'line-026' : 'line-025');
      expect(text).toContain('weights.bin');
      expect(text).toMatch(/stdout\.txt/);
      expect(text).not.toContain('a2V5'); // the share key never reaches a card
    }
    expect(stack.channel.activities('conv-c')).toHaveLength(0);
    // Polling and notifying again changes nothing.
    await poll();
    await notify();
    expect(stack.channel.activities('conv-a')).toHaveLength(1);
  });

  test('a failed job carries its exit code and the stderr tail', async () => {
    await runJob(stack.services.compute, clusterId, 'broken', { lines: 3, exitCode: 3 });
    await poll();
    await notify();
    const card = stack.channel.activities('conv-b').find((a) => cardText(a).includes('exp/broken'));
    expect(cardText(card)).toContain('oops');
    expect(cardText(card)).toMatch(/exit code 3/);
  });

  test("a failed job that prints its submit's secret: the alert shows it masked, on both tails", async () => {
    const secret = 'S3cr3t-token-4f9a';
    await stack.services.stores.submissions.claim({
      workspace: 'ws',
      experiment: 'exp',
      job: 'leaks',
      userId: 'u',
      secrets: secretPrints([secret]),
    });
    await runJob(stack.services.compute, clusterId, 'leaks', { lines: 3, exitCode: 3, print: `token=${secret}` });
    await stack.engine.batch?.settle();
    await poll();
    await notify();
    const card = stack.channel.activities('conv-a').find((a) => cardText(a).includes('exp/leaks'));
    // Azure ML's one log is cut inside the second print: a tail cut mid-file masks its first characters too.
    expect(cardText(card)).toMatch(backend === 'azureml' ? /"text":"\*\*\*"/ : /"text":"token=\*\*\*"/);
    expect(cardText(card)).toContain('oops');
    expect(cardText(card)).not.toContain(secret.slice(0, 6));
  });

  test('a tick where nothing changed writes nothing to Table Storage and enqueues nothing', async () => {
    await poll(); // settle anything pending
    await notify();
    stack.writes.reset();
    await poll();
    expect(stack.writes.requests()).toBe(0);
    expect((await stack.queue.getProperties()).approximateMessagesCount).toBe(0);
  });

  test('200 finished jobs: one queue message, one digest card per subscribed conversation; batch deleted', async () => {
    const before = { a: stack.channel.activities('conv-a').length, b: stack.channel.activities('conv-b').length };
    if (backend === 'azurebatch') stack.engine.batch!.seedFinishedJobs(200, ['gpu'], 'exp');
    else
      await stack.engine.seedFinishedJobs(
        { resourceGroup: 'rg', workspace: 'ws', experiment: 'exp', subscriptionId: stack.client.subscriptionId },
        200,
        { cluster: 'gpu' },
      );
    await poll();
    const [message, ...others] = await peekEvents(stack);
    expect(others).toHaveLength(0);
    expect(message.v).toBe(2);
    expect(message.events.filter((e) => e.kind === 'job' && e.to === 'succeeded')).toHaveLength(200);
    expect(await batchRows(stack)).not.toEqual([]);

    expect(await notify()).toEqual({ ok: 1, failed: 0 });
    for (const [id, n] of [
      ['conv-a', before.a],
      ['conv-b', before.b],
    ] as const) {
      const added = stack.channel.activities(id).slice(n);
      expect(added).toHaveLength(1);
      expect(cardText(added[0])).toContain('200 updates in ws');
      expect(cardText(added[0])).toContain('… and 180 more');
    }
    expect(stack.channel.activities('conv-c')).toHaveLength(0);
    expect(await batchRows(stack)).toEqual([]);
  });

  batchAiOnly('a failing workspace is reported once when it starts failing and once when it recovers', async () => {
    const services = await stack.build({}, 'rg/ws,rg/missing');
    const tick = () =>
      createPollFunction(async () => services, services.config.schedules.poll).handler(timer, context());
    stack.logs.length = 0;
    await tick();
    await tick();
    await tick();
    expect(stack.logs.filter((l) => /workspace rg\/missing is failing/.test(l))).toHaveLength(1);
    const health = await createHealthDetailsFunction(async () => services).handler(
      new HttpRequest({ url: 'http://x/api/health', method: 'GET' }),
      context(),
    );
    expect(health.jsonBody).toMatchObject({ status: 'degraded', failingWorkspaces: [{ workspace: 'rg/missing' }] });

    await stack.client.createWorkspace({ resourceGroup: 'rg', workspace: 'missing' }, { location: 'eastus' });
    await tick();
    await tick();
    expect(stack.logs.filter((l) => /workspace rg\/missing recovered/.test(l))).toHaveLength(1);
    expect(
      (
        await createHealthDetailsFunction(async () => services).handler(
          new HttpRequest({ url: 'http://x/api/health', method: 'GET' }),
          context(),
        )
      ).jsonBody,
    ).toMatchObject({ status: 'ok', failingWorkspaces: [] });
  });
});
