// The bot signs in as its user-assigned managed identity (MicrosoftAppType=UserAssignedMSI): botbuilder's
// managed-identity credentials get a token for the Bot Framework from the platform's identity endpoint, asking
// for the identity by its client id, and send it to the channel. The identity endpoint (App Service's
// IDENTITY_ENDPOINT protocol) and the channel are fakes of their wire protocols; the adapter is botbuilder's own.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createCloudAdapter } from '../../bot/adapter';
import { createProactiveSender } from '../../bot/proactive';

const CLIENT_ID = '0c2c4f6e-5a7b-4b8e-9d41-1f2e3d4c5b6a';
const TENANT_ID = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const IDENTITY_HEADER = 'platform-identity-header';

interface Seen { method: string; path: string; query: URLSearchParams; headers: IncomingMessage['headers'] }
const seen: Seen[] = [];
let server: Server;
let url: string;
const saved = { IDENTITY_ENDPOINT: process.env.IDENTITY_ENDPOINT, IDENTITY_HEADER: process.env.IDENTITY_HEADER };

beforeAll(async () => {
  server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    seen.push({ method: req.method ?? '', path: u.pathname, query: u.searchParams, headers: req.headers });
    req.resume();
    res.setHeader('content-type', 'application/json');
    if (u.pathname === '/msi/token') {
      if (req.headers['x-identity-header'] !== IDENTITY_HEADER) return void res.writeHead(401).end('{}');
      const expires = Math.floor(Date.now() / 1000) + 3600;
      return void res.end(JSON.stringify({ access_token: 'token-of-the-identity', expires_on: String(expires), resource: u.searchParams.get('resource'), token_type: 'Bearer', client_id: u.searchParams.get('client_id') }));
    }
    if (req.method === 'POST' && /^\/v3\/conversations\/[^/]+\/activities/.test(u.pathname)) return void res.end(JSON.stringify({ id: 'sent-1' }));
    res.writeHead(404).end('{}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  process.env.IDENTITY_ENDPOINT = `${url}/msi/token`;
  process.env.IDENTITY_HEADER = IDENTITY_HEADER;
});

afterAll(async () => {
  for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
  await new Promise((r) => server?.close(r));
});

test('a proactive send carries a token the managed identity got for the Bot Framework', async () => {
  const adapter = createCloudAdapter({ appId: CLIENT_ID, appTenantId: TENANT_ID, appType: 'UserAssignedMSI', appPassword: '' });
  const sender = createProactiveSender(adapter, CLIENT_ID);
  const reference = { serviceUrl: url, channelId: 'msteams', conversation: { id: 'conv-1' }, bot: { id: `28:${CLIENT_ID}` }, user: { id: 'u1' } };
  const sent = await sender.send({ conversationId: 'conv-1', channelId: 'msteams', serviceUrl: url, reference }, { type: 'message', text: 'job finished' });
  expect(sent).toEqual({ id: 'sent-1' });

  const token = seen.find((s) => s.path === '/msi/token');
  expect(token?.query.get('client_id')).toBe(CLIENT_ID);
  expect(token?.query.get('resource')).toMatch(/^https:\/\/api\.botframework\.com/);
  const post = seen.find((s) => s.path.startsWith('/v3/conversations/conv-1/activities'));
  expect(post?.headers.authorization).toBe('Bearer token-of-the-identity');
});
