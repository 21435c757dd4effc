// The Slack app with the real @slack/bolt and @slack/web-api against the local Slack's Web API on the wire, and
// the real inbox on Azurite: signed requests in through the intake (acknowledged at once), the `slack-turns`
// queue drained as the queue function drains it, chat.postMessage / chat.update out. The bot here is a small
// recording ChatBot; test/slack/slack-local.test.ts runs the real one.
import { decodeQueueMessage } from '../../local/functions-host/queue-message';
import { createSlackIntake, type SlackIntake } from '../../bot/slack/intake';
import { createSlackTransport, type SlackTransport } from '../../bot/slack/transport';
import type { ChatBot, ChatRequest, ChatResponse, TurnInput } from '../../bot/transport';
import { urlVerificationBody } from '../../local/slack/payloads';
import { startLocalSlack, type LocalSlack } from '../../local/slack/local-slack';
import { turnInbox } from '../../shared/storage/turn-inbox';
import { openQueue, openTable } from '../../shared/storage/table';
import type { QueueClient } from '@azure/storage-queue';
import { useAzurite } from '../support/azurite';
import { waitFor } from '../support/wait-for';
import { BOT_TOKEN, requests, signed, SIGNING_SECRET } from './support/slack-requests';
import { virtualClock, type VirtualClock } from './support/virtual-clock';

const CHANNEL = { team: 'T0TEAM', user: 'U0ALICE', channel: 'C0GENERAL' };
const DM = { team: 'T0TEAM', user: 'U0ALICE', channel: 'D0ALICE' };

interface Recorder extends ChatBot {
  inputs: TurnInput[];
  posted: string[];
}

function recordingBot(): Recorder {
  const inputs: TurnInput[] = [];
  const posted: string[] = [];
  return {
    inputs,
    posted,
    async turn(input) {
      inputs.push(input);
      return {
        view: {
          kind: 'text',
          title: `You said: ${input.text}`,
          text: 'ok',
          actions: [{ title: 'Refresh', command: `job ${input.text}` }],
        },
        posted: async (id) => {
          posted.push(id);
        },
      };
    },
    async remember() {},
  };
}

const azurite = useAzurite();
let slack: LocalSlack;
let clock: VirtualClock;
let intake: SlackIntake;
let transport: SlackTransport;
let queue: QueueClient;
let logs: string[];
let n = 0;

beforeEach(async () => {
  clock = virtualClock();
  slack = await startLocalSlack({
    botToken: BOT_TOKEN,
    signingSecret: SIGNING_SECRET,
    now: clock.now,
    strictChannelRate: true,
  });
  logs = [];
  // A queue and table of its own per test: the same request signed at the same virtual time is one request.
  n++;
  queue = await openQueue(azurite.connectionString, `slack-turns-${n}`);
  const inbox = turnInbox(queue, await openTable(azurite.connectionString, `slackturns${n}`), { now: clock.now });
  const log = (l: string) => logs.push(l);
  intake = createSlackIntake({ signingSecret: SIGNING_SECRET, inbox, now: clock.now, log });
  transport = createSlackTransport({
    slack: {
      signingSecret: SIGNING_SECRET,
      botToken: BOT_TOKEN,
      apiUrl: slack.apiUrl,
      chartEverySeconds: 300,
      fileCallsPerMinute: 20,
    },
    inbox,
    clock,
    log,
  });
});

afterEach(() => slack.stop());

/** Runs every waiting `slack-turns` message as the queue function would, until the queue is empty. */
async function drainQueue(bot: ChatBot): Promise<void> {
  for (;;) {
    const got = await queue.receiveMessages({ numberOfMessages: 32 });
    if (got.receivedMessageItems.length === 0) return;
    for (const m of got.receivedMessageItems) {
      await transport.drain(decodeQueueMessage(m.messageText, 'base64'), bot);
      await queue.deleteMessage(m.messageId, m.popReceipt);
    }
  }
}

/** What Slack sees (the acknowledgement), then the turn the queue function runs. */
async function handle(request: ChatRequest, bot: ChatBot): Promise<ChatResponse> {
  const ack = await intake.handle(request);
  await drainQueue(bot);
  return ack;
}

test('url_verification: the challenge comes back', async () => {
  const r = await handle(signed(urlVerificationBody('abc123'), 'json', clock.now()), recordingBot());
  expect(r).toMatchObject({ status: 200, body: { challenge: 'abc123' } });
});

test('a mention in a channel runs its text for that person and posts the answer there, as Block Kit', async () => {
  const bot = recordingBot();
  const r = await handle(requests.mention(CHANNEL, 'jobs --mine', clock.now()), bot);
  expect(r.status).toBe(200);
  expect(bot.inputs).toEqual([
    {
      text: 'jobs --mine',
      user: { id: 'U0ALICE' },
      personal: false,
      conversation: {
        conversationId: 'slack:T0TEAM:C0GENERAL',
        channelId: 'slack-app',
        serviceUrl: slack.apiUrl,
        reference: { team: 'T0TEAM', channel: 'C0GENERAL' },
      },
    },
  ]);
  const [post] = slack.fake.messages('C0GENERAL');
  expect(post).toMatchObject({ bot: true, text: 'You said: jobs --mine' });
  expect(post.blocks).toContainEqual(expect.objectContaining({ type: 'header' }));
  expect(post.blocks).toContainEqual({
    type: 'actions',
    elements: [expect.objectContaining({ type: 'button', value: 'job jobs --mine' })],
  });
  expect(bot.posted).toEqual([post.ts]);
  // One call to Slack: no auth.test round trip before the answer.
  expect(slack.fake.calls().map((c) => c.method)).toEqual(['chat.postMessage']);
});

test("a direct message runs; the bot's own message in the DM does not", async () => {
  const bot = recordingBot();
  expect((await handle(requests.dm(DM, 'clusters', clock.now()), bot)).status).toBe(200);
  const own = JSON.parse(requests.dm(DM, 'You said: clusters', clock.now()).body) as { event: Record<string, unknown> };
  own.event.bot_id = 'B0LOCALBOT';
  own.event.user = 'U0LOCALBOT';
  expect((await handle(signed(JSON.stringify(own), 'json', clock.now()), bot)).status).toBe(200);
  // A DM is the person's own conversation with the bot: where approval requests reach them.
  expect(bot.inputs.map((i) => [i.text, i.conversation.conversationId, i.personal])).toEqual([
    ['clusters', 'slack:T0TEAM:D0ALICE', true],
  ]);
  expect(slack.fake.messages('D0ALICE').map((m) => m.text)).toEqual(['You said: clusters']);
});

test('the slash command runs its text, acks with an empty 200, and posts the answer in the channel', async () => {
  const bot = recordingBot();
  const r = await handle(requests.command(CHANNEL, 'submit hello greeting=hi', clock.now()), bot);
  expect(r).toEqual({ status: 200, body: '' });
  expect(bot.inputs[0]).toMatchObject({ text: 'submit hello greeting=hi', user: { id: 'U0ALICE', name: 'U0ALICE' } });
  expect(slack.fake.messages('C0GENERAL').map((m) => m.text)).toEqual(['You said: submit hello greeting=hi']);
});

test('a slash command whose answer cannot be posted tells the person alone, on its response_url', async () => {
  const bot = recordingBot();
  slack.fake.throttle(10, 120, 'chat.postMessage');
  const r = await handle(requests.command(CHANNEL, 'clusters', clock.now(), slack.responseUrl('C0GENERAL')), bot);
  expect(r).toEqual({ status: 200, body: '' });
  expect(slack.responses()).toEqual([
    {
      channel: 'C0GENERAL',
      body: expect.objectContaining({
        response_type: 'ephemeral',
        text: expect.stringMatching(/could not post in this channel/),
      }),
    },
  ]);
  expect(bot.posted).toEqual([]);
});

test("a button press runs the button's command and replaces the pressed message in place", async () => {
  const bot = recordingBot();
  await handle(requests.mention(CHANNEL, 'train-1', clock.now()), bot);
  const [card] = slack.fake.messages('C0GENERAL');
  clock.advance(2000);
  const r = await handle(
    requests.press(
      CHANNEL,
      { channel: 'C0GENERAL', ts: card.ts, text: card.text, blocks: card.blocks },
      'job train-1',
      clock.now(),
    ),
    bot,
  );
  expect(r.status).toBe(200);
  expect(bot.inputs.map((i) => i.text)).toEqual(['train-1', 'job train-1']);
  const after = slack.fake.messages('C0GENERAL');
  expect(after).toHaveLength(1);
  expect(after[0]).toMatchObject({ ts: card.ts, edits: 1, text: 'You said: job train-1' });
  expect(bot.posted).toEqual([card.ts, card.ts]);
});

describe('requests not signed by Slack within 5 minutes get 401 and nothing runs', () => {
  test('a bad signature', async () => {
    const bot = recordingBot();
    const r = await handle(
      signed(requests.mention(CHANNEL, 'clusters', clock.now()).body, 'json', clock.now(), 'another-secret'),
      bot,
    );
    expect(r.status).toBe(401);
    expect(bot.inputs).toEqual([]);
    expect(slack.fake.calls()).toEqual([]);
    expect(logs.join('\n')).toMatch(/signature mismatch/);
  });

  test('a body changed after signing', async () => {
    const bot = recordingBot();
    const req = requests.mention(CHANNEL, 'clusters', clock.now());
    const r = await handle({ ...req, body: req.body.replace('clusters', 'terminate train-1') }, bot);
    expect(r.status).toBe(401);
    expect(bot.inputs).toEqual([]);
  });

  test('no signature at all', async () => {
    const bot = recordingBot();
    const req = requests.mention(CHANNEL, 'clusters', clock.now());
    expect((await handle({ ...req, headers: { 'content-type': 'application/json' } }, bot)).status).toBe(401);
    expect(bot.inputs).toEqual([]);
  });

  test('a correctly signed request replayed more than 5 minutes later; the same within 5 minutes runs', async () => {
    const bot = recordingBot();
    const req = requests.command(CHANNEL, 'clusters', clock.now());
    clock.advance(5 * 60_000 + 1000);
    expect((await handle(req, bot)).status).toBe(401);
    expect(logs.join('\n')).toMatch(/stale or replayed/);
    expect(bot.inputs).toEqual([]);
    expect(slack.fake.calls()).toEqual([]);
    const fresh = requests.command(CHANNEL, 'clusters', clock.now());
    clock.advance(4 * 60_000);
    expect((await handle(fresh, bot)).status).toBe(200);
    expect(bot.inputs).toHaveLength(1);
  });
});

test('a redelivered event (same event_id, new signature) is acknowledged and runs nothing again', async () => {
  const bot = recordingBot();
  const req = requests.mention(CHANNEL, 'submit hello', clock.now());
  expect(await handle(req, bot)).toEqual({ status: 200, body: '' });
  clock.advance(60_000);
  // Slack's retry: the same body (same event_id), signed again at its own time.
  const retry = signed(req.body, 'json', clock.now(), SIGNING_SECRET, {
    'x-slack-retry-num': '1',
    'x-slack-retry-reason': 'http_timeout',
  });
  expect(await handle(retry, bot)).toEqual({ status: 200, body: '' });
  expect(bot.inputs.map((i) => i.text)).toEqual(['submit hello']);
  expect(logs.join('\n')).toMatch(/already accepted came again \(retry 1\): not run again/);
});

test('a slash command or button press replayed within the 5 minutes runs once', async () => {
  const bot = recordingBot();
  const command = requests.command(CHANNEL, 'submit hello', clock.now());
  clock.advance(4 * 60_000);
  expect((await handle(command, bot)).status).toBe(200);
  expect((await handle(command, bot)).status).toBe(200);
  expect(bot.inputs.map((i) => i.text)).toEqual(['submit hello']);
});

test("a conversation's turns run in the order they came, whatever order the queue delivers them in", async () => {
  const bot = recordingBot();
  for (const text of ['first', 'second', 'third']) {
    expect((await intake.handle(requests.mention(CHANNEL, text, clock.now()))).status).toBe(200);
    clock.advance(1);
  }
  // Three messages wait; the last one delivered first drains the conversation in arrival order.
  const got = await queue.receiveMessages({ numberOfMessages: 32 });
  expect(got.receivedMessageItems).toHaveLength(3);
  for (const m of got.receivedMessageItems.reverse()) {
    await transport.drain(decodeQueueMessage(m.messageText, 'base64'), bot);
    await queue.deleteMessage(m.messageId, m.popReceipt);
  }
  expect(bot.inputs.map((i) => i.text)).toEqual(['first', 'second', 'third']);
  expect(slack.fake.messages('C0GENERAL').map((m) => m.text)).toEqual([
    'You said: first',
    'You said: second',
    'You said: third',
  ]);
});

test('a conversation another instance drains waits: its message comes back later, nothing runs twice', async () => {
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  let started: () => void = () => undefined;
  const turnStarted = new Promise<void>((resolve) => {
    started = resolve;
  });
  const inputs: string[] = [];
  const slow: ChatBot = {
    ...recordingBot(),
    async turn(input) {
      inputs.push(input.text);
      if (input.text === 'slow') {
        started();
        await held;
      }
      return recordingBot().turn(input);
    },
  };
  await intake.handle(requests.mention(CHANNEL, 'slow', clock.now()));
  const [first] = (await queue.receiveMessages()).receivedMessageItems;
  const running = transport.drain(decodeQueueMessage(first.messageText, 'base64'), slow);
  await turnStarted;
  await intake.handle(requests.mention(CHANNEL, 'next', clock.now() + 1));
  const [second] = (await queue.receiveMessages()).receivedMessageItems;
  const busy = await transport.drain(decodeQueueMessage(second.messageText, 'base64'), slow);
  expect(busy).toEqual({ conversation: 'T0TEAM:C0GENERAL', outcome: 'busy' });
  expect(inputs).toEqual(['slow']);
  release();
  // The holder drains what came meanwhile: 'next' runs once, after 'slow'.
  expect(await running).toEqual({ conversation: 'T0TEAM:C0GENERAL', outcome: 'drained' });
  expect(inputs).toEqual(['slow', 'next']);
  await queue.deleteMessage(first.messageId, first.popReceipt);
  await queue.deleteMessage(second.messageId, second.popReceipt);
  // The busy message was sent again (delayed); when it comes, nothing is left to run.
  await drainQueueWhenVisible(slow);
  expect(inputs).toEqual(['slow', 'next']);
});

async function drainQueueWhenVisible(bot: ChatBot): Promise<void> {
  await waitFor(
    'the busy message back on the queue',
    async () => (await queue.peekMessages()).peekedMessageItems.length,
  );
  await drainQueue(bot);
}
