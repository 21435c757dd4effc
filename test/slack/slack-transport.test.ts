// The Slack app transport with the real @slack/bolt and @slack/web-api against the local Slack's Web API on
// the wire: signed requests in (the transport's test door), chat.postMessage / chat.update out. The bot here
// is a small recording ChatBot; test/slack/slack-app.test.ts runs the real one.
import { createSlackTransport } from '../../bot/slack/transport';
import type { ChatBot, ChatTransport, TurnInput } from '../../bot/transport';
import { urlVerificationBody } from '../../local/slack/payloads';
import { startLocalSlack, type LocalSlack } from '../../local/slack/local-slack';
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

let slack: LocalSlack;
let clock: VirtualClock;
let transport: ChatTransport;
let logs: string[];

beforeEach(async () => {
  clock = virtualClock();
  slack = await startLocalSlack({
    botToken: BOT_TOKEN,
    signingSecret: SIGNING_SECRET,
    now: clock.now,
    strictChannelRate: true,
  });
  logs = [];
  transport = createSlackTransport({
    slack: { signingSecret: SIGNING_SECRET, botToken: BOT_TOKEN, apiUrl: slack.apiUrl },
    now: clock.now,
    clock,
    log: (l) => logs.push(l),
  });
});

afterEach(() => slack.stop());

test('url_verification: the challenge comes back', async () => {
  const r = await transport.handle(signed(urlVerificationBody('abc123'), 'json', clock.now()), recordingBot());
  expect(r).toMatchObject({ status: 200, body: { challenge: 'abc123' } });
});

test('a mention in a channel runs its text for that person and posts the answer there, as Block Kit', async () => {
  const bot = recordingBot();
  const r = await transport.handle(requests.mention(CHANNEL, 'jobs --mine', clock.now()), bot);
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
  expect((await transport.handle(requests.dm(DM, 'clusters', clock.now()), bot)).status).toBe(200);
  const own = JSON.parse(requests.dm(DM, 'You said: clusters', clock.now()).body) as { event: Record<string, unknown> };
  own.event.bot_id = 'B0LOCALBOT';
  own.event.user = 'U0LOCALBOT';
  expect((await transport.handle(signed(JSON.stringify(own), 'json', clock.now()), bot)).status).toBe(200);
  // A DM is the person's own conversation with the bot: where approval requests reach them.
  expect(bot.inputs.map((i) => [i.text, i.conversation.conversationId, i.personal])).toEqual([
    ['clusters', 'slack:T0TEAM:D0ALICE', true],
  ]);
  expect(slack.fake.messages('D0ALICE').map((m) => m.text)).toEqual(['You said: clusters']);
});

test('the slash command runs its text, acks with an empty 200, and posts the answer in the channel', async () => {
  const bot = recordingBot();
  const r = await transport.handle(requests.command(CHANNEL, 'submit hello greeting=hi', clock.now()), bot);
  expect(r).toEqual({ status: 200, body: '' });
  expect(bot.inputs[0]).toMatchObject({ text: 'submit hello greeting=hi', user: { id: 'U0ALICE', name: 'U0ALICE' } });
  expect(slack.fake.messages('C0GENERAL').map((m) => m.text)).toEqual(['You said: submit hello greeting=hi']);
});

test('a slash command whose answer cannot be posted tells the person alone, in the ack', async () => {
  const bot = recordingBot();
  slack.fake.throttle(10, 120, 'chat.postMessage');
  const r = await transport.handle(requests.command(CHANNEL, 'clusters', clock.now()), bot);
  expect(r).toMatchObject({
    status: 200,
    body: { response_type: 'ephemeral', text: expect.stringMatching(/could not post in this channel/) },
  });
  expect(bot.posted).toEqual([]);
});

test("a button press runs the button's command and replaces the pressed message in place", async () => {
  const bot = recordingBot();
  await transport.handle(requests.mention(CHANNEL, 'train-1', clock.now()), bot);
  const [card] = slack.fake.messages('C0GENERAL');
  clock.advance(2000);
  const r = await transport.handle(
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
    const r = await transport.handle(
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
    const r = await transport.handle({ ...req, body: req.body.replace('clusters', 'terminate train-1') }, bot);
    expect(r.status).toBe(401);
    expect(bot.inputs).toEqual([]);
  });

  test('no signature at all', async () => {
    const bot = recordingBot();
    const req = requests.mention(CHANNEL, 'clusters', clock.now());
    expect((await transport.handle({ ...req, headers: { 'content-type': 'application/json' } }, bot)).status).toBe(401);
    expect(bot.inputs).toEqual([]);
  });

  test('a correctly signed request replayed more than 5 minutes later; the same within 5 minutes runs', async () => {
    const bot = recordingBot();
    const req = requests.command(CHANNEL, 'clusters', clock.now());
    clock.advance(5 * 60_000 + 1000);
    expect((await transport.handle(req, bot)).status).toBe(401);
    expect(logs.join('\n')).toMatch(/stale or replayed/);
    expect(bot.inputs).toEqual([]);
    expect(slack.fake.calls()).toEqual([]);
    const fresh = requests.command(CHANNEL, 'clusters', clock.now());
    clock.advance(4 * 60_000);
    expect((await transport.handle(fresh, bot)).status).toBe(200);
    expect(bot.inputs).toHaveLength(1);
  });
});

test('a redelivered event (X-Slack-Retry-Num) is acknowledged and not run again', async () => {
  const bot = recordingBot();
  const req = requests.mention(CHANNEL, 'submit hello', clock.now());
  const retry = {
    ...req,
    headers: { ...req.headers, 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' },
  };
  expect(await transport.handle(retry, bot)).toMatchObject({ status: 200, headers: { 'x-slack-no-retry': '1' } });
  expect(bot.inputs).toEqual([]);
});
