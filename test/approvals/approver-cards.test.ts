// Approvers are told in their own conversation, end to end on the real stack (engine, Azurite, botbuilder's
// CloudAdapter behind the `messages` function, the `followups` host, a fake channel): ADMINS=boss (who never
// talks to the bot), APPROVERS=Bob (a personal chat and a channel) and Olga (a channel only). Their cards are
// real activities in their conversations, updated in place (PUT to the same activity id) as the request moves.
// The bot answering turns uses a Batch AI client over a counting transport: "executes once" is one PATCH.
import { HttpRequest, InvocationContext } from '@azure/functions';
import type { Activity } from 'botbuilder';
import { createBotServices, type BotServices } from '../../bot/create-bot-services';
import { createMessagesHandler } from '../../functions/messages';
import { createBatchAiClient } from '../../shared/batchai/client';
import { staticTokenCredential } from '../../shared/http/credential';
import { batchAiCompute } from '../../shared/batchai/compute';
import { createApprovalExpiry } from '../../shared/services/approval-expiry';
import { countingHttpClient, type SentRequest } from '../batchai/support/counting-http-client';
import { buttonCommands, cardText, message, startBotStack, SUB, type BotStack } from '../../local/harness/bot-stack';
import { useStarted } from '../support/use-started';

const ADA = { id: 'user-ada', name: 'Ada' };
const BOB = { id: 'user-bob', name: 'Bob' };
const OLGA = { id: 'user-olga', name: 'Olga' };
type User = typeof ADA;

const ADA_ROOM = 'c-ada';
const BOB_DM = 'dm-bob';
const BOB_TEAM = 'team-bob';
const OLGA_TEAM = 'team-olga';

let stack: BotStack;
let bot: BotServices;
let sent: SentRequest[];

const started = useStarted(
  'bot stack',
  () =>
    startBotStack({ nodes: 2, resizeApprovalThreshold: 3, env: { ADMINS: 'boss', APPROVERS: `${BOB.id},${OLGA.id}` } }),
  (s) => s.stop(),
);

beforeAll(async () => {
  stack = started.current;
  const counting = countingHttpClient();
  sent = counting.sent;
  const batchAi = createBatchAiClient({
    endpoint: stack.engine.url,
    subscriptionId: SUB,
    credential: staticTokenCredential('local-engine'),
    httpClient: counting.httpClient,
    pollIntervalMs: 100,
  });
  bot = await createBotServices(stack.config, {
    compute: batchAiCompute(batchAi),
    stores: stack.services.deps.stores,
    log: (l) => stack.logLines.push(l),
  });
  // Where Bob and Olga talk: Bob's personal chat wins over the channel he used after it.
  await say(BOB_DM, BOB, 'help', true);
  await say(BOB_TEAM, BOB, 'help');
  await say(OLGA_TEAM, OLGA, 'help');
}, 60_000);

const handler = () => createMessagesHandler(async () => bot);

/**
 * `as` presses a button sending `text` in conversation `c` (a personal chat when `personal`);
 * resolves with the reply.
 */
async function say(c: string, as: User, text: string, personal = false): Promise<Activity> {
  const conversation = { id: c, ...(personal ? { conversationType: 'personal' } : {}) } as Activity['conversation'];
  const a = message(c, '', stack.channel.serviceUrl, { from: as, conversation, value: { command: text } });
  const res = await handler()(
    new HttpRequest({
      method: 'POST',
      url: 'http://127.0.0.1/api/messages',
      headers: { 'content-type': 'application/json' },
      body: { string: JSON.stringify(a) },
    }),
    new InvocationContext({ functionName: 'messages' }),
  );
  if (res.status !== 200) throw new Error(`messages answered ${res.status}`);
  return stack.channel.waitFor(c, (r) => r.replyToId === a.id);
}

const patches = () => sent.filter((r) => r.method === 'PATCH' && /\/clusters\/gpu\?/i.test(r.url)).length;
const approvalId = (reply: Activity) =>
  buttonCommands(reply)
    .find((b) => b.startsWith('approve '))!
    .split(' ')[1];
/** The card of request `id` the bot posted unasked into conversation `c`. */
const cardIn = (c: string, id: string) => stack.channel.waitFor(c, (a) => buttonCommands(a).includes(`approve ${id}`));
/** Resolves once card `card` in `c` was replaced by one matching `re`, with no buttons left to answer it. */
async function updatedTo(c: string, card: Activity, re: RegExp): Promise<Activity> {
  const updated = await stack.channel.waitFor(c, (a) => a.id === card.id && re.test(cardText(a)), 20_000);
  expect(buttonCommands(updated).filter((b) => /^(approve|reject) /.test(b))).toEqual([]);
  return updated;
}

test('the latest conversation of each kind is kept per person', async () => {
  const people = stack.services.deps.stores.people;
  expect(await people.get(BOB.id)).toEqual({ personal: BOB_DM, channel: BOB_TEAM });
  expect(await people.get(OLGA.id)).toEqual({ channel: OLGA_TEAM });
  await say('team-other', OLGA, 'help');
  expect(await people.get(OLGA.id)).toEqual({ channel: 'team-other' });
  await say(OLGA_TEAM, OLGA, 'help');
  expect(await people.get(OLGA.id)).toEqual({ channel: OLGA_TEAM });
  expect(await people.get('boss')).toEqual({});
});

test('an approver learns of it in their personal chat, approves there once; every card updates in place', async () => {
  const request = await say(ADA_ROOM, ADA, 'resize gpu 5');
  const id = approvalId(request);
  const [bobs, olgas] = await Promise.all([cardIn(BOB_DM, id), cardIn(OLGA_TEAM, id)]);
  for (const card of [bobs, olgas]) {
    expect(cardText(card)).toMatch(/Resize gpu to 5 nodes\?/);
    expect(cardText(card)).toMatch(/Ada asked for this/);
    expect(buttonCommands(card)).toEqual([`approve ${id}`, `reject ${id}`]);
  }
  // Bob's channel gets nothing (his personal chat was told); boss never talked to the bot: skipped, said so.
  expect(stack.channel.activities(BOB_TEAM).filter((a) => buttonCommands(a).includes(`approve ${id}`))).toEqual([]);
  expect(stack.logLines).toContainEqual(expect.stringContaining(`${id}: approver boss has no known conversation`));
  // Ada's own conversation holds one card for it: hers.
  expect(
    stack.channel
      .activities(ADA_ROOM)
      .filter((a) => buttonCommands(a).includes(`approve ${id}`) && a.id !== request.id),
  ).toEqual([]);
  const stored = await stack.services.deps.stores.approvalCards.list(id);
  expect(stored.map((c) => `${c.userId} ${c.conversationId} ${c.activityId}`).sort()).toEqual([
    `${BOB.id} ${BOB_DM} ${bobs.id}`,
    `${OLGA.id} ${OLGA_TEAM} ${olgas.id}`,
  ]);

  const before = patches();
  expect(cardText(await say(BOB_DM, BOB, `approve ${id}`, true))).toMatch(/Approved by Bob \(asked by Ada\)/);
  expect(cardText(await say(OLGA_TEAM, OLGA, `approve ${id}`))).toMatch(/already approved by Bob/);
  expect(patches()).toBe(before + 1);

  await Promise.all([
    updatedTo(BOB_DM, bobs, /Resize gpu to 5 nodes: executed[\s\S]*Approved by Bob and done/),
    updatedTo(OLGA_TEAM, olgas, /Resize gpu to 5 nodes: executed[\s\S]*Approved by Bob and done/),
    updatedTo(ADA_ROOM, request, /Approved by Bob and done/),
  ]);
  expect((await stack.services.deps.stores.approvals.get(id))?.value).toMatchObject({
    state: 'executed',
    decidedBy: BOB,
  });
  expect(patches()).toBe(before + 1);
}, 60_000);

test('expiry updates every card in place; a card that cannot be updated does not stop the others', async () => {
  const request = await say(ADA_ROOM, ADA, 'resize gpu 7');
  const id = approvalId(request);
  const [bobs, olgas] = await Promise.all([cardIn(BOB_DM, id), cardIn(OLGA_TEAM, id)]);
  // A card whose conversation is no longer stored: its update fails first in the list.
  await stack.services.deps.stores.approvalCards.add(id, {
    conversationId: 'a-gone',
    activityId: 'act-gone',
    userId: 'ghost',
  });
  const expiry = createApprovalExpiry({
    stores: stack.services.deps.stores,
    sender: stack.services.deps.sender,
    log: (l: string) => stack.logLines.push(l),
  });
  const report = await expiry.run(new Date(Date.now() + 61 * 60_000));
  expect(report).toMatchObject({ expired: 1, notified: 1 });

  await Promise.all([
    updatedTo(BOB_DM, bobs, /Resize gpu to 7 nodes: expired[\s\S]*nobody answered/),
    updatedTo(OLGA_TEAM, olgas, /Resize gpu to 7 nodes: expired[\s\S]*nobody answered/),
    updatedTo(ADA_ROOM, request, /nobody answered/),
  ]);
  expect(stack.logLines).toContainEqual(
    expect.stringMatching(
      new RegExp(`${id}: updating card act-gone in a-gone failed: conversation a-gone has no stored reference`),
    ),
  );
  expect(cardText(await say(BOB_DM, BOB, `approve ${id}`, true))).toMatch(/expired at/);
}, 60_000);

test('a rejection from a channel updates the personal card too', async () => {
  const request = await say(ADA_ROOM, ADA, 'autoscale gpu 0 9');
  const id = approvalId(request);
  const [bobs, olgas] = await Promise.all([cardIn(BOB_DM, id), cardIn(OLGA_TEAM, id)]);
  const before = patches();
  expect(cardText(await say(OLGA_TEAM, OLGA, `reject ${id}`))).toMatch(/Rejected by Olga/);
  await Promise.all([updatedTo(BOB_DM, bobs, /Rejected by Olga/), updatedTo(OLGA_TEAM, olgas, /Rejected by Olga/)]);
  expect(patches()).toBe(before);
}, 60_000);
