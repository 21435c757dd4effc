// A fake of the platform's managed-identity endpoint (App Service / Functions: IDENTITY_ENDPOINT and
// IDENTITY_HEADER, api-version 2019-08-01), which @azure/identity's ManagedIdentityCredential calls. It answers
// with a JWT-shaped token for the requested resource (claims Azurite's basic OAuth checks; unsigned) and
// records each request. Points the environment at itself while a test file runs.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TokenRequest {
  resource: string | null;
  clientId: string | null;
}

const HEADER = 'fake-identity-header';
const b64url = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');

/** An unsigned JWT for `aud`, valid for an hour (or already expired). */
export function fakeJwt(aud: string, opts: { expired?: boolean } = {}): string {
  const now = Math.floor(Date.now() / 1000);
  const [nbf, exp] = opts.expired ? [now - 7200, now - 3600] : [now - 60, now + 3600];
  const claims = {
    aud,
    iss: 'https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/',
    iat: nbf,
    nbf,
    exp,
    oid: 'identity-object-id',
  };
  return `${b64url({ alg: 'RS256', typ: 'JWT' })}.${b64url(claims)}.c2lnbmF0dXJl`;
}

export function useFakeIdentityEndpoint(): { readonly requests: TokenRequest[] } {
  const requests: TokenRequest[] = [];
  const saved = { IDENTITY_ENDPOINT: process.env.IDENTITY_ENDPOINT, IDENTITY_HEADER: process.env.IDENTITY_HEADER };
  let server: Server | undefined;
  beforeAll(async () => {
    server = createServer((req, res) => {
      const u = new URL(req.url ?? '/', 'http://x');
      req.resume();
      if (req.headers['x-identity-header'] !== HEADER) return void res.writeHead(401).end();
      const resource = u.searchParams.get('resource');
      requests.push({ resource, clientId: u.searchParams.get('client_id') });
      const expires = Math.floor(Date.now() / 1000) + 3600;
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          access_token: fakeJwt(resource ?? ''),
          expires_on: String(expires),
          resource,
          token_type: 'Bearer',
          client_id: u.searchParams.get('client_id'),
        }),
      );
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    process.env.IDENTITY_ENDPOINT = `http://127.0.0.1:${(server.address() as AddressInfo).port}/msi/token`;
    process.env.IDENTITY_HEADER = HEADER;
  });
  afterAll(async () => {
    for (const [k, v] of Object.entries(saved))
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    await new Promise((r) => (server ? server.close(r) : r(undefined)));
  });
  return { requests };
}
