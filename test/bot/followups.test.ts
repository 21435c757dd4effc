// Card follow-ups as `followups` queue messages (REAL Azurite queue and table, the REAL engine, the Functions dev
// host): a card still reaches Finished when the bot's host is stopped mid-way and started again, and one step
// run twice, or run as a copy, never leaves two live successors.
import { QueueClient } from '@azure/storage-queue';
import { createBotServices, type BotServices } from '../../bot/create-bot-services';
import type { FollowUpReport } from '../../bot/follow-up-step';
import { decodeQueueMessage } from '../../local/functions-host/queue-message';
import { FOLLOWUPS_QUEUE, type FollowUpMessage } from '../../shared/storage/followup-queue';
import { cardText, startBotStack, WS, type BotStack } from '../../local/harness/bot-stack';
import { useStarted } from '../support/use-started';
import { waitFor } from '../support/wait-for';

let stack: BotStack;

const started = useStarted(
  'bot stack',
  () => startBotStack(),
  (s) => s.stop(),
);

beforeAll(() => {
  stack = started.current;
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test("a restart of the host mid-way: the submitted job's card still updates in place to Finished", async () => {
  const c = 'restart-1';
  const reply = await stack.say(c, 'submit hello seconds=1 --name across-restart');
  expect(cardText(reply)).toMatch(/Submitted/);
  await stack.stopBot();
  // The job ends while no bot runs: only what is stored (the queue message, the row) can bring the card there.
  const job = { ...WS, experiment: 'exp', job: 'across-restart' };
  const client = (await createBotServices(stack.config)).deps.compute;
  await waitFor(
    'the job to succeed',
    () => client.getJob(job),
    (j) => j.state === 'succeeded',
  );
  await sleep(1500);
  expect(stack.channel.activities(c).filter((a) => a.id === reply.id && /Finished/.test(cardText(a)))).toEqual([]);

  await stack.startBot();
  const finished = await stack.channel.waitFor(c, (a) => a.id === reply.id && /Finished/.test(cardText(a)), 20_000);
  expect(cardText(finished)).toMatch(/line 3[\s\S]*done/);
});

test("a failed job's card ends with the tails of both stdout.txt and stderr.txt", async () => {
  await stack.services.deps.stores.templates.put('fails', {
    description: 'Writes a line to each stream and exits 3.',
    properties: {
      nodeCount: 1,
      customToolkitSettings: { commandLine: 'echo "to stdout"; echo "to stderr" >&2; exit 3' },
      stdOutErrPathPrefix: '$AZ_BATCHAI_MOUNT_ROOT/afs',
    },
  });
  const c = 'failed-1';
  const reply = await stack.say(c, 'submit fails --name fails-once');
  const failed = await stack.channel.waitFor(c, (a) => a.id === reply.id && /Failed/.test(cardText(a)), 20_000);
  expect(cardText(failed)).toMatch(/stdout\.txt[\s\S]*to stdout[\s\S]*stderr\.txt[\s\S]*to stderr/);
  expect(cardText(failed)).toMatch(/Failed · exit code 3/);
});

describe('one step, delivered more than once', () => {
  let svc: BotServices;
  let queue: QueueClient;
  const c = 'dup-1';

  beforeAll(async () => {
    await stack.stopBot();
    svc = await createBotServices(stack.config);
    queue = new QueueClient(stack.config.storage.connectionString, FOLLOWUPS_QUEUE);
    await queue.clearMessages();
    await svc.deps.stores.conversations.save({
      conversationId: c,
      channelId: 'webchat',
      serviceUrl: stack.channel.serviceUrl,
      reference: {
        channelId: 'webchat',
        serviceUrl: stack.channel.serviceUrl,
        conversation: { id: c },
        bot: { id: 'bot' },
        user: { id: 'user-ada' },
      },
    });
  });

  afterAll(async () => {
    await stack.startBot();
  });

  /** Every message that becomes visible within `ms`, received (hidden for 30 s) but not deleted. */
  async function receiveAll(ms = 1300): Promise<Array<{ m: FollowUpMessage; id: string }>> {
    const out: Array<{ m: FollowUpMessage; id: string }> = [];
    for (const end = Date.now() + ms; Date.now() < end; await sleep(100)) {
      const { receivedMessageItems } = await queue.receiveMessages({ numberOfMessages: 32, visibilityTimeout: 30 });
      for (const r of receivedMessageItems)
        out.push({ m: decodeQueueMessage(r.messageText, 'base64') as FollowUpMessage, id: r.messageId });
    }
    return out;
  }

  const pendingApproval = () =>
    svc.deps.stores.approvals.create({
      state: 'pending',
      request: { kind: 'resize', cluster: 'gpu', nodes: 9 },
      workspace: WS,
      requestedBy: { id: 'user-ada', name: 'Ada' },
      conversationId: c,
      createdAt: new Date().toISOString(),
      expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
  const cardUpdates = (activityId: string) => stack.channel.activities(c).filter((a) => a.id === activityId);

  test('redelivery re-enqueues only its claimed successor; a copy: no-op; copies collapse at next claim', async () => {
    const { value: approval, etag } = await pendingApproval();
    const deadline = new Date(Date.now() + 600_000).toISOString();
    await svc.deps.followUps.start({
      target: { kind: 'approval', approval: approval.id },
      conversationId: c,
      activityId: 'card-a',
      key: 'pending',
      deadline,
    });
    const [first, ...none] = await receiveAll();
    expect(none).toEqual([]);
    expect(first.m).toMatchObject({ seq: 0, key: 'pending' });

    const step = (d: { m: FollowUpMessage; id: string }) => svc.followUpStep(d.m, d.id);
    expect((await step(first)).outcome).toBe('unchanged');
    // The same message again (its host died after enqueuing, before deleting it): it claimed step 1 itself.
    expect((await step(first)).outcome).toBe('recovered');
    // A copy of it under another message id: step 1 belongs to someone else.
    expect((await step({ ...first, id: 'a-copy' })).outcome).toBe('duplicate');
    const successors = await receiveAll();
    expect(successors.map((s) => s.m.seq)).toEqual([1, 1]);

    // Both copies of step 1 at once: one claim wins, so there is one step 2.
    const outcomes = (await Promise.all(successors.map(step))).map((r: FollowUpReport) => r.outcome).sort();
    expect(outcomes).toEqual(['duplicate', 'unchanged']);
    const [second, ...more] = await receiveAll();
    expect(more).toEqual([]);
    expect(second.m.seq).toBe(2);
    expect(cardUpdates('card-a')).toEqual([]);

    await svc.deps.stores.approvals.replace(
      { ...approval, state: 'rejected', decidedBy: { id: 'user-bob', name: 'Bob' } },
      etag,
    );
    expect(await step(second)).toEqual({ activityId: 'card-a', seq: 2, outcome: 'done' });
    expect(cardText(await stack.channel.waitFor(c, (a) => a.id === 'card-a'))).toMatch(/Rejected by Bob/);
    // Done: the row is gone, so a redelivery of the last message neither updates nor enqueues.
    expect((await step(second)).outcome).toBe('superseded');
    expect(await receiveAll()).toEqual([]);
    expect(cardUpdates('card-a')).toHaveLength(1);
  });

  test('past its deadline the card says it stopped updating; a newer follow-up retires the older one', async () => {
    const { value: approval } = await pendingApproval();
    const target = { kind: 'approval' as const, approval: approval.id };
    const past = new Date(Date.now() - 1000).toISOString();
    await svc.deps.followUps.start({ target, conversationId: c, activityId: 'card-b', key: 'pending', deadline: past });
    const [old] = await receiveAll();
    await svc.deps.followUps.start({ target, conversationId: c, activityId: 'card-b', key: 'pending', deadline: past });
    const [current] = await receiveAll();
    expect(current.m.chain).not.toBe(old.m.chain);
    expect((await svc.followUpStep(old.m, old.id)).outcome).toBe('superseded');
    expect((await svc.followUpStep(current.m, current.id)).outcome).toBe('stopped');
    const stopped = await stack.channel.waitFor(c, (a) => a.id === 'card-b');
    expect(cardText(stopped)).toMatch(/still pending; this card no longer updates/);
    expect(await receiveAll()).toEqual([]);
  });

  test('a message that is not a follow-up is refused with what was expected', async () => {
    await expect(svc.followUpStep({ v: 1, seq: -1 }, 'x')).rejects.toThrow(/Expected a follow-up message/);
  });
});
