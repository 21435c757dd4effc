// The approval flow end to end: the REAL engine (the cluster really resizes), REAL Azurite (the ETag-guarded
// approvals table), botbuilder's real CloudAdapter behind the `messages` function, a fake channel. The bot here
// uses a Batch AI client over a counting transport, so "executes once" is counted in PATCH requests.
import { batchAiCompute } from '../../shared/batchai/compute';
import { HttpRequest, InvocationContext } from '@azure/functions';
import type { Activity } from 'botbuilder';
import { createBotServices, type BotServices } from '../../bot/create-bot-services';
import { validateAdaptiveCard } from '../../cards/validate';
import { createApprovalExpiry } from '../../shared/services/approval-expiry';
import { createMessagesHandler } from '../../functions/messages';
import { createBatchAiClient, type BatchAiClient } from '../../shared/batchai/client';
import { staticTokenCredential } from '../../shared/http/credential';
import { countingHttpClient, type SentRequest } from '../batchai/support/counting-http-client';
import {
  buttonCommands,
  cardOf,
  cardText,
  message,
  startBotStack,
  SUB,
  WS,
  type BotStack,
} from '../../local/harness/bot-stack';
import { useStarted } from '../support/use-started';

const ADA = { id: 'user-ada', name: 'Ada' };
const BOB = { id: 'user-bob', name: 'Bob' };
const CAROL = { id: 'user-carol', name: 'Carol' };
type User = typeof ADA;

let stack: BotStack;
let bot: BotServices;
let client: BatchAiClient;
let sent: SentRequest[];
let n = 0;

const started = useStarted(
  'bot stack',
  () => startBotStack({ nodes: 2, resizeApprovalThreshold: 3 }),
  (s) => s.stop(),
);

beforeAll(async () => {
  stack = started.current;
  const counting = countingHttpClient();
  sent = counting.sent;
  client = createBatchAiClient({
    endpoint: stack.engine.url,
    subscriptionId: SUB,
    credential: staticTokenCredential('local-engine'),
    httpClient: counting.httpClient,
    pollIntervalMs: 100,
  });
  bot = await createBotServices(stack.config, {
    compute: batchAiCompute(client),
    stores: stack.services.deps.stores,
    log: (l) => stack.logLines.push(l),
  });
}, 60_000);

const handler = () => createMessagesHandler(async () => bot);
const post = (activity: Partial<Activity>) =>
  handler()(
    new HttpRequest({
      method: 'POST',
      url: 'http://127.0.0.1/api/messages',
      headers: { 'content-type': 'application/json' },
      body: { string: JSON.stringify(activity) },
    }),
    new InvocationContext({ functionName: 'messages' }),
  );

/** `as` types `text` (or presses a button sending it) in conversation `c`; resolves with the bot's reply. */
async function say(c: string, as: User, text: string): Promise<Activity> {
  const a = message(c, '', stack.channel.serviceUrl, { from: as, value: { command: text } });
  const res = await post(a);
  if (res.status !== 200) throw new Error(`messages answered ${res.status}`);
  return stack.channel.waitFor(c, (r) => r.replyToId === a.id);
}

const conv = () => `approvals-${++n}`;
const patches = () => sent.filter((r) => r.method === 'PATCH' && /\/clusters\/gpu\?/i.test(r.url)).length;
const gpu = () => client.getCluster({ ...WS, cluster: 'gpu' });
const approvalId = (reply: Activity) =>
  buttonCommands(reply)
    .find((b) => b.startsWith('approve '))!
    .split(' ')[1];

test('the requester cannot approve; another user can → the cluster resizes, both cards update in place', async () => {
  const c = conv();
  const request = await say(c, ADA, 'resize gpu 5');
  expect(cardText(request)).toMatch(/Resize gpu to 5 nodes\?/);
  expect(cardText(request)).toMatch(/Ada asked for this/);
  expect(validateAdaptiveCard(cardOf(request))).toEqual([]);
  const id = approvalId(request);
  expect(buttonCommands(request)).toEqual([`approve ${id}`, `reject ${id}`]);
  const before = patches();

  const own = await say(c, ADA, `approve ${id}`);
  expect(cardText(own)).toMatch(/someone else must approve/);
  expect(patches()).toBe(before);
  expect((await gpu()).properties?.scaleSettings?.manual?.targetNodeCount).toBe(2);

  const approved = await say(c, BOB, `approve ${id}`);
  expect(cardText(approved)).toMatch(/Approved by Bob \(asked by Ada\): Resiz/);
  expect(patches()).toBe(before + 1);
  await stack.channel.waitFor(
    c,
    (a) => a.id === approved.id && /Approved by Bob \(asked by Ada\): Resized to 5 nodes/.test(cardText(a)),
    20_000,
  );
  expect((await gpu()).properties).toMatchObject({ allocationState: 'steady', currentNodeCount: 5 });
  // The request card itself (Ada's) follows its row to the end.
  const updated = await stack.channel.waitFor(
    c,
    (a) => a.id === request.id && /Approved by Bob and done/.test(cardText(a)),
    20_000,
  );
  expect(buttonCommands(updated)).not.toContain(`approve ${id}`);
  expect((await stack.services.deps.stores.approvals.get(id))?.value).toMatchObject({
    state: 'executed',
    decidedBy: BOB,
    requestedBy: ADA,
  });
});

test('two approves at once execute once: the second gets "already approved by"', async () => {
  const c = conv();
  const id = approvalId(await say(c, ADA, 'resize gpu 6'));
  const before = patches();
  const replies = await Promise.all([say(c, BOB, `approve ${id}`), say(c, CAROL, `approve ${id}`)]);
  const texts = replies.map(cardText);
  const winners = texts.filter((t) => /Approved by (Bob|Carol) \(asked by Ada\)/.test(t));
  const losers = texts.filter((t) => /already approved by (Bob|Carol)/.test(t));
  expect([winners.length, losers.length]).toEqual([1, 1]);
  expect(patches()).toBe(before + 1);
  const row = (await stack.services.deps.stores.approvals.get(id))!.value;
  expect(losers[0]).toContain(`already approved by ${row.decidedBy!.name}`);
});

test('reject: nothing runs, later approvals refused; requester may cancel; Teams: card updated in place', async () => {
  const c = conv();
  const id = approvalId(await say(c, ADA, 'autoscale gpu 0 9'));
  const before = patches();
  const res = await post(
    message(c, '', stack.channel.serviceUrl, {
      type: 'invoke',
      name: 'adaptiveCard/action',
      channelId: 'msteams',
      from: BOB,
      replyToId: 'approval-card',
      value: { action: { type: 'Action.Execute', verb: 'command', data: { command: `reject ${id}` } } },
    }),
  );
  expect(JSON.stringify(res.jsonBody)).toMatch(/Working/);
  const updated = await stack.channel.waitFor(
    c,
    (a) => a.id === 'approval-card' && /Rejected by Bob/.test(cardText(a)),
  );
  expect(validateAdaptiveCard(cardOf(updated))).toEqual([]);
  expect(cardText(await say(c, CAROL, `approve ${id}`))).toMatch(/already rejected by Bob/);
  expect(patches()).toBe(before);
  expect((await gpu()).properties?.scaleSettings?.autoScale).toBeUndefined();

  const cancelled = approvalId(await say(c, ADA, 'resize gpu 9'));
  expect(cardText(await say(c, ADA, `reject ${cancelled}`))).toMatch(/Cancelled by Ada/);
  expect(cardText(await say(c, BOB, `approve ${cancelled}`))).toMatch(/already cancelled by Ada/);
  expect(patches()).toBe(before);
});

test('within the threshold there is no approval; an unknown id says so', async () => {
  const c = conv();
  const small = await say(c, ADA, 'resize gpu 3');
  expect(cardText(small)).toMatch(/Resizing to 3 nodes|Resized to 3 nodes/);
  expect(cardText(await say(c, BOB, 'approve azzzzz'))).toMatch(/No approval request azzzzz/);
});

test('expiry: the timer marks overdue requests expired, sends the card; approving afterwards is refused', async () => {
  const c = conv();
  const request = await say(c, ADA, 'resize gpu 7');
  const id = approvalId(request);
  const fresh = approvalId(await say(c, ADA, 'resize gpu 8'));
  const later = new Date(Date.now() + 61 * 60_000);
  const expiry = createApprovalExpiry({
    stores: stack.services.deps.stores,
    sender: stack.services.deps.sender,
    log: (l: string) => stack.logLines.push(l),
  });
  // The second request's expiry is pushed out, so at `later` only the first one is due.
  const store = stack.services.deps.stores.approvals;
  const row = (await store.get(fresh))!;
  await store.replace({ ...row.value, expiresAt: new Date(later.getTime() + 3_600_000).toISOString() }, row.etag);

  const report = await expiry.run(later);
  expect(report).toEqual({ due: 1, expired: 1, notified: 1 });
  expect((await store.get(id))?.value.state).toBe('expired');
  const steps = (await stack.services.deps.stores.audit.latest(50))
    .filter((e) => e.approvalId === id)
    .map((e) => `${e.kind} ${e.result}`);
  expect(steps).toEqual(expect.arrayContaining(['expire ok', 'resize pending-approval']));
  expect((await store.get(fresh))?.value.state).toBe('pending');
  const notice = await stack.channel.waitFor(
    c,
    (a) => a.id !== request.id && /Resize gpu to 7 nodes: expired/.test(cardText(a)),
  );
  expect(cardText(notice)).toMatch(/nobody answered/);
  // A second tick finds nothing left to do for it: one expiry, one card.
  await expiry.run(later);
  expect(
    stack.channel.activities(c).filter((a) => a.id !== request.id && /gpu to 7 nodes: expired/.test(cardText(a))),
  ).toHaveLength(1);
  expect(cardText(await say(c, BOB, `approve ${id}`))).toMatch(/expired at/);
  await stack.channel.waitFor(c, (a) => a.id === request.id && /nobody answered/.test(cardText(a)), 20_000);
});
