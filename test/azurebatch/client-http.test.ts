// The Batch client over real HTTP: Shared Key as the service checks it, bearer tokens for the Batch scope,
// OData paging with $select/$filter, OData errors → ComputeError, If-Match, and ranged tails.
import { collect } from '../../shared/core/collect';
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/core-auth';
import { createBatchClient } from '../../shared/azurebatch/client';
import { BATCH_SCOPE } from '../../shared/azurebatch/pipeline';
import { batchSignature, batchStringToSign, verifySharedKey } from '../../shared/azurebatch/shared-key';
import { ComputeError, ProtocolError } from '../../shared/errors';
import {
  startScriptedServer,
  type LoggedRequest,
  type ScriptedAnswer,
  type ScriptedServer,
} from '../batchai/support/scripted-server';

const KEY = Buffer.from('a local key of thirty-two bytes!').toString('base64');
let server: ScriptedServer;
beforeAll(async () => {
  server = await startScriptedServer(() => ({ status: 500 }));
});
afterAll(() => server.close());
beforeEach(() => {
  server.log.length = 0;
});

const keyed = () =>
  createBatchClient({
    endpoint: server.url,
    auth: { accountName: 'local', accountKey: KEY },
    retry: { maxRetries: 0 },
  });
const headerPairs = (r: LoggedRequest): [string, string][] =>
  Object.entries(r.headers)
    .filter(([k]) => k !== 'authorization')
    .map(([k, v]) => [k, String(v)]);

test('string to sign: verb, the eleven standard headers, sorted ocp-* headers, /account/path, sorted query', () => {
  const s = batchStringToSign('acct', {
    method: 'post',
    url: 'https://acct.westeurope.batch.azure.com/pools/p1/resize?timeout=30&api-version=2025-06-01.21.0',
    headers: [
      ['Content-Type', 'application/json; odata=minimalmetadata'],
      ['Content-Length', '27'],
      ['ocp-date', 'Tue, 01 Dec 2026 00:00:00 GMT'],
      ['If-Match', '"0x1"'],
      ['client-request-id', 'x'],
      ['OCP-Range', 'bytes=0-1'],
    ],
  });
  expect(s).toBe(
    [
      'POST',
      '',
      '',
      '27',
      '',
      'application/json; odata=minimalmetadata',
      '',
      '',
      '"0x1"',
      '',
      '',
      '',
      'ocp-date:Tue, 01 Dec 2026 00:00:00 GMT',
      'ocp-range:bytes=0-1',
      '/acct/pools/p1/resize',
      'api-version:2025-06-01.21.0',
      'timeout:30',
    ].join('\n'),
  );
  // Known answer from `printf x | openssl dgst -sha256 -binary -mac HMAC -macopt "key:<the raw key>" | base64`.
  expect(batchSignature(KEY, 'x')).toBe('RM+uvMgx/7Lu890lFNSpsw4fVWXiPWk9/hO9vMCyuvs=');
});

test('requests carry a Shared Key signature the checker accepts; a wrong key or changed request fails it', async () => {
  server.script = () => ({ status: 200, body: { id: 'p1', eTag: '0x1' } });
  await keyed().getPool('p1', { select: ['id', 'eTag'] });
  const r = server.log[0];
  const req = { method: r.method, url: `${server.url}${r.path}?${r.query}`, headers: headerPairs(r) };
  expect(r.headers['ocp-date']).toMatch(/GMT$/);
  expect(verifySharedKey('local', KEY, req, r.authorization!)).toBe(true);
  expect(verifySharedKey('local', Buffer.from('other').toString('base64'), req, r.authorization!)).toBe(false);
  expect(verifySharedKey('local', KEY, { ...req, method: 'DELETE' }, r.authorization!)).toBe(false);
  expect(verifySharedKey('other', KEY, req, r.authorization!)).toBe(false);
});

test('bearer tokens are asked for the Batch scope', async () => {
  const scopes: string[] = [];
  const credential: TokenCredential = {
    async getToken(s: string | string[], _o?: GetTokenOptions): Promise<AccessToken> {
      scopes.push(...[s].flat());
      return { token: 'tok', expiresOnTimestamp: Date.now() + 3_600_000 };
    },
  };
  server.script = () => ({ status: 200, body: { value: [] } });
  await collect(createBatchClient({ endpoint: server.url, auth: { credential } }).listPools());
  expect(scopes).toEqual([BATCH_SCOPE]);
  expect(server.log[0].authorization).toBe('Bearer tok');
});

test('lists follow odata.nextLink; $select, $filter and maxresults go with the first request only', async () => {
  server.script = (req) =>
    req.query.get('page') === '2'
      ? { status: 200, body: { value: [{ id: 'j2', state: 'completed' }] } }
      : {
          status: 200,
          body: {
            'odata.metadata': 'x',
            value: [{ id: 'j1', state: 'active' }],
            'odata.nextLink': `${server.url}/jobs?api-version=2025-06-01.21.0&page=2`,
          },
        };
  const jobs = await collect(keyed().listJobs({ select: ['id', 'state'], filter: "state eq 'active'", maxResults: 1 }));
  expect(jobs.map((j) => j.id)).toEqual(['j1', 'j2']);
  expect([...server.log[0].query]).toEqual(
    expect.arrayContaining([
      ['$select', 'id,state'],
      ['$filter', "state eq 'active'"],
      ['maxresults', '1'],
    ]),
  );
  expect(server.log[1].query.get('$select')).toBeNull();
  expect(server.log[1].query.get('page')).toBe('2');
});

test('a nextLink to another origin is refused before anything is sent there', async () => {
  server.script = () => ({ status: 200, body: { value: [], 'odata.nextLink': 'https://evil.example/jobs' } });
  await expect(collect(keyed().listJobs())).rejects.toThrow(ProtocolError);
  expect(server.log).toHaveLength(1);
});

test('OData error bodies become ComputeError with code, message and values; If-Match is sent', async () => {
  server.script = () => ({
    status: 412,
    body: {
      'odata.metadata': 'x',
      code: 'ConditionNotMet',
      message: { lang: 'en-US', value: 'The condition specified using HTTP conditional header(s) is not met.' },
      values: [{ key: 'RequestId', value: 'r1' }],
    },
  });
  const err = await keyed()
    .resizePool('p1', { targetDedicatedNodes: 2 }, { ifMatch: '0x1' })
    .catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ComputeError);
  expect(err).toMatchObject({
    code: 'ConditionNotMet',
    status: 412,
    backend: 'azurebatch',
    values: [{ key: 'RequestId', value: 'r1' }],
  });
  expect(server.log[0].headers['if-match']).toBe('0x1');
  expect(JSON.parse(server.log[0].body)).toEqual({ targetDedicatedNodes: 2 });
  expect(server.log[0].headers['content-type']).toBe('application/json; odata=minimalmetadata');
});

test('a gateway page is still a coded error, redacted', async () => {
  server.script = () => ({ status: 502, body: '<html><body>Bad gateway sig=SECRET</body></html>' });
  const err = (await keyed()
    .getJob('j')
    .catch((e: unknown) => e)) as ComputeError;
  expect(err).toMatchObject({ code: 'Http502', status: 502, backend: 'azurebatch' });
  expect(err.message).toContain('GET /jobs/j answered HTTP 502');
  expect(err.message).not.toContain('SECRET');
});

test('a 4 KiB tail of a large stdout.txt: HEAD for the size, one ranged GET for the end', async () => {
  const size = 1024 * 1024;
  server.script = (req): ScriptedAnswer => {
    if (req.method === 'HEAD')
      return { status: 200, headers: { 'Content-Length': size, 'ocp-batch-file-isdirectory': 'false' } };
    const [, a, b] = /^bytes=(\d+)-(\d+)$/.exec(String(req.headers['ocp-range']))!;
    return {
      status: 200,
      headers: { 'Content-Type': 'application/octet-stream' },
      body: 'x'.repeat(Number(b) - Number(a) + 1),
    };
  };
  const tail = await keyed().readTaskFileTail('j', 't', 'stdout.txt', 4096);
  expect(tail).toMatchObject({ size, requests: 2 });
  expect(tail.bytes.length).toBe(4096);
  expect(server.log.map((r) => [r.method, r.path, r.headers['ocp-range']])).toEqual([
    ['HEAD', '/jobs/j/tasks/t/files/stdout.txt', undefined],
    ['GET', '/jobs/j/tasks/t/files/stdout.txt', `bytes=${size - 4096}-${size - 1}`],
  ]);
});

test('the tail of an empty file costs one request', async () => {
  server.script = () => ({ status: 200, headers: { 'Content-Length': 0 } });
  await expect(keyed().readTaskFileTail('j', 't', 'stderr.txt', 4096)).resolves.toMatchObject({ size: 0, requests: 1 });
  expect(server.log).toHaveLength(1);
});

test('an unreachable account → ComputeError ServiceUnreachable naming the path, never the query', async () => {
  const gone = await startScriptedServer(() => ({ status: 200 }));
  const url = gone.url;
  await gone.close();
  const client = createBatchClient({
    endpoint: url,
    auth: { accountName: 'local', accountKey: KEY },
    retry: { maxRetries: 0 },
  });
  const e = await client.getTaskFileProperties('job-1', 'task-1', 'stdout.txt').then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toMatchObject({ name: 'ComputeError', code: 'ServiceUnreachable', status: 0, backend: 'azurebatch' });
  expect((e as Error).message).toMatch(
    new RegExp(
      /^HEAD \/jobs\/job-1\/tasks\/task-1\/files\/stdout\.txt: could not reach http:\/\//.source +
        /127\.0\.0\.1:\d+ \(ECONNREFUSED\)\.$/.source,
    ),
  );
});
