// The `messages` function authenticates as CloudAdapter does: no app id = local mode (accepted), an app id =
// the channel's JWT is required (401 without it). The real Bot Framework transport (CloudAdapter), real
// Functions HttpRequest, fake channel; the bot is a neutral echo turn.
import { HttpRequest, InvocationContext } from '@azure/functions';
import { createBotFrameworkTransport } from '../../bot/botframework/adapter';
import type { ChatBot } from '../../bot/transport';
import { createMessagesHandler } from '../../functions/messages';
import { startFakeChannel, type FakeChannel } from '../../local/harness/fake-channel';

let channel: FakeChannel;
beforeAll(async () => {
  channel = await startFakeChannel();
});
afterAll(async () => {
  await channel?.stop();
});

function echoBot(): ChatBot {
  return {
    turn: async (input) => ({
      view: { kind: 'text', text: `echo: ${input.text}`, actions: [] },
      posted: async () => undefined,
    }),
    remember: async () => undefined,
  };
}

const bot = { appPassword: '', appTenantId: '', appType: 'MultiTenant' as const };

function request(body: string, headers: Record<string, string> = {}) {
  return new HttpRequest({
    method: 'POST',
    url: 'http://127.0.0.1/api/messages',
    headers: { 'content-type': 'application/json', ...headers },
    body: { string: body },
  });
}

function activity(conversationId: string) {
  return JSON.stringify({
    type: 'message',
    id: 'm1',
    channelId: 'webchat',
    serviceUrl: channel.serviceUrl,
    text: 'hi',
    conversation: { id: conversationId },
    from: { id: 'u' },
    recipient: { id: 'bot' },
  });
}

test('no app id: an unauthenticated activity is processed and the reply reaches the channel', async () => {
  const handler = createMessagesHandler(async () => ({
    bot: echoBot(),
    transport: createBotFrameworkTransport({ ...bot, appId: '' }),
  }));
  const res = await handler(request(activity('local')), new InvocationContext());
  expect(res.status).toBe(200);
  const reply = await channel.waitFor('local', (a) => a.replyToId === 'm1');
  expect(reply.summary).toBe('echo: hi');
});

test('with an app id: no Authorization header → 401 and nothing is sent', async () => {
  const handler = createMessagesHandler(async () => ({
    bot: echoBot(),
    transport: createBotFrameworkTransport({
      ...bot,
      appId: '11111111-2222-3333-4444-555555555555',
      appPassword: 'pw',
    }),
  }));
  // CloudAdapter logs the refusal itself (console.error); keep the test output quiet and check it did.
  const logged = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    const res = await handler(request(activity('secured')), new InvocationContext());
    expect(res.status).toBe(401);
    expect(String(logged.mock.calls[0]?.[0])).toMatch(/Unauthorized/);
  } finally {
    logged.mockRestore();
  }
  expect(channel.activities('secured')).toEqual([]);
});

test('a body that is not JSON → 400 saying what was expected', async () => {
  const handler = createMessagesHandler(async () => ({
    bot: echoBot(),
    transport: createBotFrameworkTransport({ ...bot, appId: '' }),
  }));
  const res = await handler(request('not json'), new InvocationContext());
  expect(res.status).toBe(400);
  expect(JSON.stringify(res.jsonBody)).toMatch(/Expected a Bot Framework activity as JSON/);
});

test('invokes: Action.Execute without the command verb → 400 saying what was expected; others → 501', async () => {
  const handler = createMessagesHandler(async () => ({
    bot: echoBot(),
    transport: createBotFrameworkTransport({ ...bot, appId: '' }),
  }));
  const invoke = (name: string, value: unknown) =>
    JSON.stringify({
      type: 'invoke',
      name,
      id: 'i1',
      channelId: 'msteams',
      serviceUrl: channel.serviceUrl,
      value,
      conversation: { id: 'invokes' },
      from: { id: 'u' },
      recipient: { id: 'bot' },
    });
  const wrongVerb = await handler(
    request(invoke('adaptiveCard/action', { action: { type: 'Action.Execute', verb: 'other', data: {} } })),
    new InvocationContext(),
  );
  expect(wrongVerb.status).toBe(400);
  expect(JSON.stringify(wrongVerb.jsonBody)).toMatch(/Expected an Action.Execute with verb 'command'/);
  const search = await handler(request(invoke('application/search', {})), new InvocationContext());
  expect(search.status).toBe(501);
  expect(channel.activities('invokes')).toEqual([]);
});
