// Activities of any shape get a clear answer or are ignored: the messages endpoint never answers 500 (with an
// exception's text) for a body it can parse. Real ChatBot and CloudAdapter; the fake channel takes replies.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpRequest, InvocationContext, type HttpResponseInit } from '@azure/functions';
import { createBotFrameworkTransport } from '../../bot/botframework/adapter';
import { createBot } from '../../bot/bot';
import type { BotDeps } from '../../bot/deps';
import { createMessagesHandler } from '../../functions/messages';
import { startFakeChannel, type FakeChannel } from '../../local/harness/fake-channel';

let channel: FakeChannel;
let post: (body: unknown) => Promise<HttpResponseInit>;
beforeAll(async () => {
  channel = await startFakeChannel();
  // Only `help` runs here: it reads the conversation's prefs and the role grants; saving the conversation is
  // the turn's one write.
  const deps = {
    stores: {
      conversations: { save: async () => undefined },
      prefs: { get: async () => ({}) },
      roles: { list: async () => [] },
    },
    config: {
      compute: { workspaces: [{ resourceGroup: 'rg', workspace: 'ws' }], defaultExperiment: 'exp' },
      policy: { admins: [], approvers: [], defaultRole: 'operator' },
    },
    log: () => undefined,
    now: () => new Date(),
  } as unknown as BotDeps;
  const handler = createMessagesHandler(async () => ({
    bot: createBot(deps),
    transport: createBotFrameworkTransport({ appId: '', appPassword: '', appTenantId: '', appType: 'MultiTenant' }),
  }));
  post = (body) =>
    handler(
      new HttpRequest({
        method: 'POST',
        url: 'http://127.0.0.1/api/messages',
        headers: { 'content-type': 'application/json' },
        body: { string: JSON.stringify(body) },
      }),
      new InvocationContext(),
    );
});
afterAll(async () => {
  await channel?.stop();
});

let n = 0;
const base = (conversation: string) => ({
  id: `m${++n}`,
  channelId: 'webchat',
  serviceUrl: channel.serviceUrl,
  conversation: { id: conversation },
  from: { id: 'u' },
  recipient: { id: 'bot' },
});

test.each([
  ['text is a number', { type: 'message', text: 42 }],
  ['entities is null', { type: 'message', text: 'help', entities: null }],
  ['an entity is null', { type: 'message', text: 'help', entities: [null, { type: 'mention', mentioned: null }] }],
  [
    'the Slack action is null',
    { type: 'message', text: '', channelData: { Payload: { type: 'block_actions', actions: [null] } } },
  ],
  ['the Slack payload is null', { type: 'message', text: 'help', channelData: { Payload: null } }],
  ['value.command is an object', { type: 'message', value: { command: { a: 1 } } }],
])('%s: answered with the help card', async (_name, extra) => {
  const conv = `odd-${n + 1}`;
  const res = await post({ ...base(conv), ...extra });
  expect(res.status).toBe(200);
  const reply = await channel.waitFor(conv, () => true);
  expect(JSON.stringify(reply)).toContain('help');
});

test.each([
  ['no type', { type: undefined }, 'string "type"'],
  ['conversation is null', { type: 'message', text: 'help', conversation: null }, '"conversation"'],
  ['no serviceUrl', { type: 'message', text: 'help', serviceUrl: undefined }, 'serviceUrl'],
  ['serviceUrl is not a URL', { type: 'message', text: 'help', serviceUrl: 'not a url' }, 'serviceUrl'],
  ['from.id is a number', { type: 'message', text: 'help', from: { id: 7 } }, '"from.id" is a string'],
  ['from is a number', { type: 'message', text: 'help', from: 7 }, '"from"'],
  ['an invoke without an action', { type: 'invoke', name: 'adaptiveCard/action', value: {} }, '"action"'],
  ['an invoke with a null value', { type: 'invoke', name: 'adaptiveCard/action', value: null }, '"action"'],
  ['a NUL in conversation.id', { type: 'message', text: 'help', conversation: { id: 'a\u0000b' } }, 'printable'],
  ['a huge conversation.id', { type: 'message', text: 'help', conversation: { id: 'c'.repeat(5000) } }, '1,024'],
  // A lone surrogate passes JSON.parse and broke the reply's URL later, which was blamed on serviceUrl.
  [
    'a lone surrogate in conversation.id',
    { type: 'message', text: 'help', conversation: { id: 'a\ud800b' } },
    '"conversation.id" as well-formed Unicode text',
  ],
  [
    'a lone surrogate in from.id',
    { type: 'message', text: 'help', from: { id: '\udc00' } },
    '"from.id" as well-formed',
  ],
  ['a lone surrogate in the text', { type: 'message', text: 'help \ud83d' }, '"text" as well-formed'],
  [
    'a lone surrogate in a channelData id',
    { type: 'message', text: 'help', channelData: { tenant: { id: 't\ud800' } } },
    '"channelData.tenant.id" as well-formed',
  ],
  [
    'a NUL in recipient.id',
    { type: 'message', text: 'help', recipient: { id: 'b\u0000' } },
    '"recipient.id" is at most',
  ],
  [
    'a NUL in channelData.team.id',
    { type: 'message', text: 'help', channelData: { team: { id: '\u0001' } } },
    'team.id',
  ],
])('%s: 400 saying what was expected, nothing sent', async (_name, extra, words) => {
  const conv = `bad-${++n}`;
  const res = await post({ ...base(conv), ...extra });
  expect(res.status).toBe(400);
  expect((res.jsonBody as { error: { message: string } }).error.message).toContain(words);
  expect(channel.activities(conv)).toEqual([]);
});

test.each([[[1, 2]], [null], ['text'], [7]])('a JSON body that is no object (%j): 400', async (body) => {
  const res = await post(body);
  expect(res.status).toBe(400);
  expect(JSON.stringify(res.jsonBody)).toContain('a Bot Framework activity');
});

test("an invoke with an action of another verb gets the bot's own 400, not a 500", async () => {
  const res = await post({
    ...base('inv'),
    type: 'invoke',
    name: 'adaptiveCard/action',
    value: { action: { type: 'Action.Execute', verb: 'other' } },
  });
  expect(res.status).toBe(400);
  expect(JSON.stringify(res.jsonBody)).toContain("with verb 'command'");
});

test('a serviceUrl where some other service answers: 400 saying what was expected, none of its text', async () => {
  const other = createServer((_req, res) => {
    res.writeHead(500, { 'content-type': 'text/plain' }).end('internal detail of another service: db=prod-7');
  });
  await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
  try {
    const { port } = other.address() as AddressInfo;
    const res = await post({
      ...base('elsewhere'),
      type: 'message',
      text: 'help',
      serviceUrl: `http://127.0.0.1:${port}`,
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.jsonBody)).toContain("Expected a serviceUrl where the channel's Bot Connector");
    expect(JSON.stringify(res.jsonBody)).not.toMatch(/internal detail|prod-7|127\.0\.0\.1/);
  } finally {
    await new Promise((r) => other.close(r));
  }
});
