// The Bot Framework transport's proactive sender (bot/botframework/proactive.ts) through botbuilder's real
// CloudAdapter to a fake channel (Connector wire protocol).
import { createBotFrameworkTransport } from '../../bot/botframework/adapter';
import type { ProactiveOptions } from '../../bot/botframework/proactive';
import type { TextView } from '../../shared/core/views';
import type { StoredConversation } from '../../shared/storage';
import { startFakeChannel, type FakeChannel } from '../../local/harness/fake-channel';

const bot = { appId: '', appPassword: '', appTenantId: '', appType: 'MultiTenant' as const };
const senderOf = (opts?: ProactiveOptions) => createBotFrameworkTransport(bot, opts).sender;
const text = (t: string): TextView => ({ kind: 'text', text: t, actions: [] });

function conversation(channel: FakeChannel, id: string): StoredConversation {
  return {
    conversationId: id,
    channelId: 'webchat',
    serviceUrl: channel.serviceUrl,
    reference: {
      channelId: 'webchat',
      serviceUrl: channel.serviceUrl,
      conversation: { id },
      bot: { id: 'bot', name: 'bot' },
      user: { id: 'u1' },
    },
  };
}

describe('proactive sender', () => {
  let channel: FakeChannel;
  afterEach(async () => {
    await channel.stop();
  });

  it('sends into the stored conversation and updates the activity in place', async () => {
    channel = await startFakeChannel();
    const sender = senderOf();
    const conv = conversation(channel, 'conv:1/a');
    const { id } = await sender.send(conv, text('hello'));
    expect(id).toBe('act-1');
    await sender.update(conv, id!, text('hello again'));
    expect(channel.activities('conv:1/a').map((a) => [a.id, a.summary])).toEqual([
      ['act-1', 'hello'],
      ['act-1', 'hello again'],
    ]);
  });

  it("retries a channel answering 429 after its Retry-After, beyond the connector's own retries", async () => {
    channel = await startFakeChannel({ failWith429Times: 4, retryAfterSeconds: 1 });
    const sender = senderOf({ throttleRetries: 2 });
    const started = Date.now();
    await sender.send(conversation(channel, 'c429'), text('throttled'));
    const posts = channel.requests().filter((r) => r.method === 'POST');
    expect(posts.map((r) => r.status)).toEqual([429, 429, 429, 429, 200]);
    // Each refused try waited about its Retry-After (1 s) before the next.
    for (let i = 1; i < posts.length; i++) expect(posts[i].at - posts[i - 1].at).toBeGreaterThanOrEqual(900);
    expect(Date.now() - started).toBeGreaterThanOrEqual(3500);
    expect(channel.activities('c429')).toHaveLength(1);
  }, 20_000);

  it('gives up (throws) when the channel keeps throttling past the bound', async () => {
    channel = await startFakeChannel({ failWith429Times: 100, retryAfterSeconds: 0 });
    const sender = senderOf({ throttleRetries: 1 });
    await expect(sender.send(conversation(channel, 'c'), text('x'))).rejects.toMatchObject({ statusCode: 429 });
    expect(channel.activities('c')).toHaveLength(0);
  });
});
