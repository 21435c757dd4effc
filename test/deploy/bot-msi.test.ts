// The bot signs in as its user-assigned managed identity (MicrosoftAppType=UserAssignedMSI): botbuilder's
// managed-identity credentials get a token for the Bot Framework from the platform's identity endpoint, asking
// for the identity by its client id, and send it to the channel. The identity endpoint and the channel are fakes
// of their wire protocols; the adapter is botbuilder's own.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createBotFrameworkTransport } from '../../bot/botframework/adapter';
import { useFakeIdentityEndpoint } from './support/fake-identity-endpoint';

const CLIENT_ID = '0c2c4f6e-5a7b-4b8e-9d41-1f2e3d4c5b6a';
const TENANT_ID = '72f988bf-86f1-41af-91ab-2d7cd011db47';

const identity = useFakeIdentityEndpoint();
const posts: Array<{ path: string; headers: IncomingMessage['headers'] }> = [];
let channel: Server;
let serviceUrl: string;

beforeAll(async () => {
  channel = createServer((req, res) => {
    posts.push({ path: req.url ?? '', headers: req.headers });
    req.resume();
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ id: 'sent-1' }));
  });
  await new Promise<void>((r) => channel.listen(0, '127.0.0.1', r));
  serviceUrl = `http://127.0.0.1:${(channel.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => channel?.close(r));
});

test('a proactive send carries a token the managed identity got for the Bot Framework', async () => {
  const { sender } = createBotFrameworkTransport({
    appId: CLIENT_ID,
    appTenantId: TENANT_ID,
    appType: 'UserAssignedMSI',
    appPassword: '',
  });
  const reference = {
    serviceUrl,
    channelId: 'msteams',
    conversation: { id: 'conv-1' },
    bot: { id: `28:${CLIENT_ID}` },
    user: { id: 'u1' },
  };
  const sent = await sender.send(
    { conversationId: 'conv-1', channelId: 'msteams', serviceUrl, reference },
    { kind: 'text', text: 'job finished', actions: [] },
  );
  expect(sent).toEqual({ id: 'sent-1' });

  expect(identity.requests).toHaveLength(1);
  expect(identity.requests[0].clientId).toBe(CLIENT_ID);
  expect(identity.requests[0].resource).toMatch(/^https:\/\/api\.botframework\.com/);
  const post = posts.find((p) => p.path.startsWith('/v3/conversations/conv-1/activities'));
  expect(post?.headers.authorization).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
});
