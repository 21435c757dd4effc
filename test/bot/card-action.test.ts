// Teams card actions are answered before the operation runs, and the operation runs from the `card-actions` queue
// (in the stack's Functions host), never in the process that answered: the compute port's scale call is held (a
// hold point: it waits until the test releases it), and the Action.Execute invoke is answered meanwhile with the
// clicked card in a working state; released, the same card is updated in place with the result. The same invoke
// delivered again runs nothing (the inbox and the claim in the `sent` table), and says so; a failing call replaces
// the card with its error card. An instance stopped after the ack, or a run that died mid-way, still ends with
// the card updated and the operation run at most once; an action that could not be enqueued is refused and does
// not run. Real CloudAdapter, Azurite, Functions host and engine; the backend call is the real one once released.
import { QueueClient } from '@azure/storage-queue';
import type { Activity } from 'botbuilder';
import { shownCommand } from '../../bot/card-action';
import { cardText, message, startBotStack, type BotStack } from '../../local/harness/bot-stack';
import type { ComputePort } from '../../shared/compute/port';
import { ComputeError } from '../../shared/errors';
import { createCardActionClaims } from '../../shared/storage/card-action-claims';
import { CARD_ACTIONS_QUEUE } from '../../shared/storage/queue-names';
import { openTable } from '../../shared/storage/table';
import { useStarted } from '../support/use-started';

/** The scale calls that reached the backend, and the hold point they wait at while `held` is set. */
const scaleCalls: string[] = [];
let held: { reached: () => void; released: Promise<void> } | undefined;
let failNext = false;

function holding(compute: ComputePort): ComputePort {
  return {
    ...compute,
    async scaleCluster(ref, scale) {
      scaleCalls.push(`${ref.cluster} ${JSON.stringify(scale)}`);
      if (held) {
        held.reached();
        await held.released;
      }
      if (failNext) {
        failNext = false;
        throw new ComputeError('ClusterBusy', 'The cluster is being resized.', 409, { backend: 'batchai' });
      }
      return compute.scaleCluster(ref, scale);
    },
  };
}

/** Arms the hold point: resolves `reached` when a scale call waits at it, and lets it go on `release()`. */
function hold(): { reached: Promise<void>; release: () => void } {
  let reached!: () => void;
  let release!: () => void;
  const reachedP = new Promise<void>((r) => {
    reached = r;
  });
  held = { reached, released: new Promise<void>((r) => (release = r)) };
  return {
    reached: reachedP,
    release: () => {
      held = undefined;
      release();
    },
  };
}

const started = useStarted(
  'bot stack',
  () => startBotStack({ wrapCompute: holding }),
  (s) => s.stop(),
);
let stack: BotStack;
beforeAll(() => {
  stack = started.current;
});

function invoke(conversation: string, id: string, card: string, command: string): Partial<Activity> {
  return message(conversation, '', stack.channel.serviceUrl, {
    type: 'invoke',
    name: 'adaptiveCard/action',
    id,
    channelId: 'msteams',
    replyToId: card,
    value: { action: { type: 'Action.Execute', verb: 'command', data: { command } } },
  });
}

/** The invoke's answer: the card that replaces the clicked one (as text), or the message shown beside it. */
async function answer(activity: Partial<Activity>): Promise<{ card?: string; message?: string }> {
  const res = await stack.post(activity);
  expect(res.status).toBe(200);
  const body = res.jsonBody as { type: string; value: unknown };
  if (body.type === 'application/vnd.microsoft.activity.message') return { message: String(body.value) };
  expect(body.type).toBe('application/vnd.microsoft.card.adaptive');
  return { card: cardText({ attachments: [{ contentType: body.type, content: body.value }] }) };
}

const updatesOf = (conversation: string, card: string) =>
  stack.channel.activities(conversation).filter((a) => a.id === card);

test('answered with the working card while the backend call is held; the card updated in place after', async () => {
  const gate = hold();
  const first = invoke('teams-held', 'invoke-1', 'card-1', 'resize gpu 1');
  const working = await answer(first);
  expect(working.card).toMatch(/Working/);
  expect(working.card).toMatch(/resize gpu 1/);
  expect(working.card).toMatch(/Ada/);
  await gate.reached;
  expect(updatesOf('teams-held', 'card-1')).toEqual([]);

  // The channel delivers the same invoke again while it runs: told so, nothing runs.
  const again = await answer(first);
  expect(again.card).toMatch(/Already received/);

  gate.release();
  const updated = await stack.channel.waitFor('teams-held', (a) => a.id === 'card-1' && /Resiz/.test(cardText(a)));
  expect(cardText(updated)).not.toMatch(/Working/);
  // Once more after it ran: a message beside the card, which keeps its result.
  expect((await answer(first)).message).toMatch(/already ran/);
  expect(scaleCalls.filter((c) => c.startsWith('gpu'))).toHaveLength(1);
});

test('a failing backend call replaces the working card with its error card', async () => {
  const gate = hold();
  failNext = true;
  const working = await answer(invoke('teams-fails', 'invoke-2', 'card-2', 'resize gpu 2'));
  expect(working.card).toMatch(/Working/);
  await gate.reached;
  gate.release();
  const failed = await stack.channel.waitFor('teams-fails', (a) => a.id === 'card-2');
  expect(cardText(failed)).toMatch(/being resized/);
  expect(cardText(failed)).not.toMatch(/Working/);
});

test('an invoke without an activity id is refused, saying what is expected; the card names no value', async () => {
  const res = await stack.post({ ...invoke('teams-odd', 'x', 'card-3', 'clusters'), id: undefined });
  expect(res.status).toBe(400);
  expect(JSON.stringify(res.jsonBody)).toMatch(/activity id/);
  // Parameters and options may carry secrets: the card names the command up to them.
  expect(shownCommand('submit train token=s3cret --name run-1')).toBe('submit train');
  expect(shownCommand('  resize gpu 8 ')).toBe('resize gpu 8');
  expect(shownCommand('')).toBe('help');
});

/** An instance that answers the invoke and is stopped before it runs any queue message (no host). */
async function ackOnlyInstance(): Promise<void> {
  await stack.stopBot();
  await stack.startBot({ queues: false });
}

/** That instance dropped; fresh services and host on the same storage. */
async function freshInstance(): Promise<void> {
  await stack.stopBot();
  await stack.startBot();
}

test('stopped after the ack: fresh services on the same storage run it once and update the card', async () => {
  await ackOnlyInstance();
  const before = scaleCalls.length;
  const first = invoke('teams-killed', 'invoke-4', 'card-4', 'resize gpu 1');
  expect((await answer(first)).card).toMatch(/Working/);
  await freshInstance();
  const updated = await stack.channel.waitFor('teams-killed', (a) => a.id === 'card-4');
  expect(cardText(updated)).toMatch(/Resiz/);
  expect(cardText(updated)).not.toMatch(/Working|Interrupted/);
  // The run marked it done before the update: delivered again, the invoke runs nothing.
  expect((await answer(first)).message).toMatch(/already ran/);
  expect(scaleCalls.length - before).toBe(1);
});

test('a run that died mid-way: the queue delivers it again, nothing runs twice, the card says so', async () => {
  await ackOnlyInstance();
  const before = scaleCalls.length;
  expect((await answer(invoke('teams-died', 'invoke-5', 'card-5', 'resize gpu 2'))).card).toMatch(/Working/);
  // What a run leaves when its instance stops during the operation: the action's claim taken, its row and its
  // queue message still there (the queue makes the message visible again).
  const claims = await createCardActionClaims(stack.config.storage);
  expect((await claims.claim('teams-died', 'invoke-5')).status).toBe('claimed');
  // The waiting action is kept sealed: its command (which may carry a secret value) is not in the table.
  const rows = (await openTable(stack.config.storage, 'cardactions')).listEntities();
  const kept: unknown[] = [];
  for await (const row of rows) kept.push(row);
  expect(JSON.stringify(kept)).toMatch(/sealed:v1:/);
  expect(JSON.stringify(kept)).not.toMatch(/resize gpu/);
  await freshInstance();
  const card = await stack.channel.waitFor('teams-died', (a) => a.id === 'card-5');
  expect(cardText(card)).toMatch(/Interrupted/);
  expect(cardText(card)).toMatch(/does not run again/);
  expect(scaleCalls.length).toBe(before);
});

test('not enqueued: the invoke is refused with an error and nothing runs; its retry runs once', async () => {
  await ackOnlyInstance();
  const before = scaleCalls.length;
  const queue = new QueueClient(stack.config.storage.connectionString, CARD_ACTIONS_QUEUE);
  await queue.delete();
  const first = invoke('teams-no-queue', 'invoke-6', 'card-6', 'resize gpu 1');
  const refused = await stack.post(first);
  expect(refused.status).toBe(503);
  expect(JSON.stringify(refused.jsonBody)).toMatch(/not accepted.*did not run/);
  await freshInstance();
  // Nothing was kept: the same invoke, delivered again, is accepted and runs once.
  expect((await answer(first)).card).toMatch(/Working/);
  const updated = await stack.channel.waitFor('teams-no-queue', (a) => a.id === 'card-6');
  expect(cardText(updated)).toMatch(/Resiz/);
  expect(scaleCalls.length - before).toBe(1);
});
