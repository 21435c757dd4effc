// The Slack sender with the real @slack/web-api against the local Slack's Web API: one post per second per
// channel (the fake answers 429 to anything faster), 429 + Retry-After honoured, and a storm longer than the
// sender waits ends in an error (so the caller's queue retries) with nothing posted.
import { slackConversation } from '../../bot/slack/conversation';
import { createSlackClient, createSlackSender } from '../../bot/slack/sender';
import type { View } from '../../shared/core/views';
import type { ConversationSender } from '../../shared/services/conversation-sender';
import { startLocalSlack, type LocalSlack } from '../../local/slack/local-slack';
import { BOT_TOKEN, SIGNING_SECRET } from './support/slack-requests';
import { virtualClock, type VirtualClock } from './support/virtual-clock';

const view = (n: number): View => ({ kind: 'text', title: `Alert ${n}`, text: `job ${n} succeeded`, actions: [] });

let slack: LocalSlack;
let clock: VirtualClock;
let sender: ConversationSender;
const conv = (channel: string) => slackConversation({ team: 'T0TEAM', channel }, slack.apiUrl);

beforeEach(async () => {
  clock = virtualClock();
  slack = await startLocalSlack({
    botToken: BOT_TOKEN,
    signingSecret: SIGNING_SECRET,
    now: clock.now,
    strictChannelRate: true,
  });
  sender = createSlackSender({ client: createSlackClient(BOT_TOKEN, slack.apiUrl), clock });
});

afterEach(() => slack.stop());

test('posts to one channel go one per second, in order; another channel does not wait for them', async () => {
  const ids = await Promise.all([1, 2, 3, 4].map((n) => sender.send(conv('C0ONE'), view(n))));
  const other = await sender.send(conv('C0TWO'), view(9));
  expect(slack.fake.calls('chat.postMessage').map((c) => c.status)).toEqual([200, 200, 200, 200, 200]);
  const posts = slack.fake.messages('C0ONE');
  expect(posts.map((m) => m.text)).toEqual(['Alert 1', 'Alert 2', 'Alert 3', 'Alert 4']);
  expect(ids.map((i) => i.id)).toEqual(posts.map((m) => m.ts));
  const at = slack.fake
    .calls('chat.postMessage')
    .filter((c) => c.args.channel === 'C0ONE')
    .map((c) => c.at);
  expect(at.slice(1).map((t, i) => t - at[i])).toEqual([1000, 1000, 1000]);
  expect(other.id).toBe(slack.fake.messages('C0TWO')[0].ts);
});

test('a 429 is waited out for its Retry-After and the post goes through once', async () => {
  slack.fake.throttle(3, 2, 'chat.postMessage');
  const r = await sender.send(conv('C0ONE'), view(1));
  expect(slack.fake.calls('chat.postMessage').map((c) => c.status)).toEqual([429, 429, 429, 200]);
  expect(clock.sleeps.filter((ms) => ms >= 2000)).toHaveLength(3);
  expect(slack.fake.messages('C0ONE')).toEqual([expect.objectContaining({ ts: r.id, text: 'Alert 1' })]);
});

test('a storm longer than the sender waits fails the send, with nothing posted; the next send works', async () => {
  slack.fake.throttle(10, 1, 'chat.postMessage');
  await expect(sender.send(conv('C0ONE'), view(1))).rejects.toMatchObject({
    code: 'slack_webapi_rate_limited_error',
    retryAfter: 1,
  });
  expect(slack.fake.calls('chat.postMessage')).toHaveLength(4);
  expect(slack.fake.messages('C0ONE')).toEqual([]);
  slack.fake.throttle(0, 1);
  await sender.send(conv('C0ONE'), view(1));
  expect(slack.fake.messages('C0ONE').map((m) => m.text)).toEqual(['Alert 1']);
});

test('a Retry-After longer than the sender waits fails at once', async () => {
  slack.fake.throttle(1, 600, 'chat.postMessage');
  await expect(sender.send(conv('C0ONE'), view(1))).rejects.toMatchObject({ retryAfter: 600 });
  expect(slack.fake.calls('chat.postMessage')).toHaveLength(1);
  expect(clock.sleeps.every((ms) => ms < 600_000)).toBe(true);
});

test("update replaces the message in place (chat.update on its ts); other transports' chats are refused", async () => {
  const { id } = await sender.send(conv('C0ONE'), view(1));
  await sender.update(conv('C0ONE'), id!, view(2));
  expect(slack.fake.messages('C0ONE')).toEqual([expect.objectContaining({ ts: id, text: 'Alert 2', edits: 1 })]);
  const botFramework = {
    conversationId: 'a:1',
    channelId: 'slack',
    serviceUrl: 'https://slack.botframework.com',
    reference: {},
  };
  await expect(sender.send(botFramework, view(3))).rejects.toThrow(/not a Slack Web API conversation/);
});
