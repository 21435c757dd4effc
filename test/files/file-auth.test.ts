// Signatures, expiry, traversal, symlinks and the read-only rule: what the endpoint refuses, and that the
// refusals reach the SDK as RestErrors with Azure's codes.
import { RestError, ShareFileClient } from '@azure/storage-file-share';
import { readFile, symlink, mkdtemp, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../shared/errors';
import { ACCOUNT, SHARE, pathOf, rawRequest, startFixture, type Fixture } from './fixture';

let f: Fixture;
let outside: string;
const FILE = 'job1/stdout.txt';

beforeAll(async () => {
  f = await startFixture('auth-test-key');
  await f.put(FILE, 'secret-free log\n');
  await f.put('other/x.txt', 'other');
  outside = await mkdtemp(join(tmpdir(), 'files-outside-'));
  await writeFile(join(outside, 'passwd'), 'outside the root');
  await symlink(join(outside, 'passwd'), join(f.root, ACCOUNT, SHARE, 'job1', 'link-out'));
  await symlink(join(f.root, ACCOUNT, SHARE, FILE), join(f.root, ACCOUNT, SHARE, 'job1', 'link-in'));
});
afterAll(async () => {
  await f.close();
  await rm(outside, { recursive: true, force: true });
});

async function sdkError(url: string): Promise<RestError> {
  const e = await new ShareFileClient(url).getProperties().then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(RestError);
  return e as RestError;
}

/** Another first character: always a different signature (a fixed 'A' left one in 64 signatures unchanged). */
function changedFirst(sig: string): string {
  return (sig.startsWith('A') ? 'B' : 'A') + sig.slice(1);
}

function tamper(url: string, key: string, value: string): string {
  const u = new URL(url);
  u.searchParams.set(key, value);
  return u.toString();
}

test('a valid signature reads the file', async () => {
  expect((await new ShareFileClient(f.url(FILE)).getProperties()).contentLength).toBe(16);
});

test.each([
  ['a changed sig', (u: string) => tamper(u, 'sig', changedFirst(new URL(u).searchParams.get('sig')!))],
  ['a later expiry', (u: string) => tamper(u, 'se', '2099-01-01T00:00:00Z')],
  ['wider permissions', (u: string) => tamper(u, 'sp', 'rl')],
  ['a directory scope', (u: string) => tamper(tamper(u, 'sr', 'd'), 'sdd', '1')],
  ['another path', (u: string) => u.replace('/job1/stdout.txt', '/other/x.txt')],
  ['no signature', (u: string) => u.split('?')[0]!],
])('%s → 403 AuthenticationFailed through the SDK', async (_name, change) => {
  const e = await sdkError(change(f.url(FILE)));
  expect([e.statusCode, e.code]).toEqual([403, 'AuthenticationFailed']);
});

test('a URL signed with another key is refused', async () => {
  const other = await startFixture('another-key');
  try {
    const foreign = f.service.url + pathOf(other.url(FILE));
    expect((await sdkError(foreign)).statusCode).toBe(403);
  } finally {
    await other.close();
  }
});

test('an expired URL → 403 with the Azure XML error body', async () => {
  const url = f.url(FILE, 'r', new Date(Date.now() - 1000));
  expect((await sdkError(url)).code).toBe('AuthenticationFailed');
  const res = await fetch(url);
  expect(res.status).toBe(403);
  expect(res.headers.get('x-ms-error-code')).toBe('AuthenticationFailed');
  const body = await res.text();
  expect(body).toMatch(
    new RegExp(
      /^<\?xml version="1.0" encoding="utf-8"\?><Error><Code>AuthenticationFailed<\/Code>/.source +
        /<Message>Server failed to authenticate/.source,
    ),
  );
  expect(body).toContain('<AuthenticationErrorDetail>Signature not valid in the specified time frame');
});

test.each([
  ['..', `/${ACCOUNT}/${SHARE}/job1/../other/x.txt`],
  ['%2e%2e', `/${ACCOUNT}/${SHARE}/job1/%2e%2e/other/x.txt`],
  ['%2E%2E%2F', `/${ACCOUNT}/${SHARE}/%2E%2E%2F%2E%2E%2Fetc/passwd`],
  ['an encoded slash', `/${ACCOUNT}/${SHARE}/job1%2Fstdout.txt`],
  ['a backslash', `/${ACCOUNT}/${SHARE}/job1%5C..%5Cother`],
  ['an empty segment', `/${ACCOUNT}/${SHARE}//job1/stdout.txt`],
  ['bad percent-encoding', `/${ACCOUNT}/${SHARE}/job1/%E0%A4%A`],
])('traversal with %s → 400 InvalidUri, nothing served', async (_name, path) => {
  const res = await rawRequest(f.service.url, 'GET', path + '?' + new URL(f.url(FILE)).search.slice(1));
  expect([res.status, res.headers['x-ms-error-code']]).toEqual([400, 'InvalidUri']);
  expect(res.body).not.toContain('outside the root');
  expect(res.body).not.toContain('secret-free');
});

test('a symlink leading outside the share is refused (403), one inside it is followed', async () => {
  const out = await fetch(f.url('job1/link-out'));
  expect([out.status, out.headers.get('x-ms-error-code')]).toEqual([403, 'AuthorizationFailure']);
  expect(await out.text()).not.toContain('outside the root');
  const inside = await fetch(f.url('job1/link-in'));
  expect([inside.status, await inside.text()]).toEqual([200, 'secret-free log\n']);
});

test.each(['PUT', 'DELETE', 'POST', 'PATCH'])(
  '%s → 405 UnsupportedHttpVerb and the file is unchanged',
  async (method) => {
    const res = await rawRequest(f.service.url, method, pathOf(f.url(FILE)), {
      'x-ms-type': 'file',
      'content-length': '0',
    });
    expect([res.status, res.headers['x-ms-error-code'], res.headers.allow]).toEqual([
      405,
      'UnsupportedHttpVerb',
      'GET, HEAD',
    ]);
    expect(await readFile(join(f.root, ACCOUNT, SHARE, FILE), 'utf8')).toBe('secret-free log\n');
  },
);

test('operations the endpoint does not serve are 400 with what it does serve', async () => {
  const res = await fetch(f.url(FILE) + '&comp=rangelist');
  expect(res.status).toBe(400);
  expect(await res.text()).toContain('restype=directory&amp;comp=list');
});

test('the request log never holds a signature', async () => {
  const url = f.url(FILE);
  const sig = new URL(url).searchParams.get('sig')!;
  await fetch(url);
  await fetch(tamper(url, 'se', '2099-01-01T00:00:00Z'));
  const lines = f.log.slice(-2);
  expect(lines).toHaveLength(2);
  expect(lines[1]).toContain('403 AuthenticationFailed');
  for (const l of f.log) {
    expect(l).not.toContain(sig);
    expect(l).not.toContain(encodeURIComponent(sig));
  }
  expect(lines[0]).toContain('sig=REDACTED');
});

test('signUrl refuses paths that are not plain names, with a clear InputError', () => {
  const later = new Date(Date.now() + 60_000);
  expect(() => f.service.signUrl(`${ACCOUNT}/${SHARE}/../x`, later)).toThrow(InputError);
  expect(() => f.service.signUrl(`${ACCOUNT}/${SHARE}`, later, 'r')).toThrow(/<account>\/<share>\/<file>/);
  expect(() => f.service.signUrl(`${ACCOUNT}/${SHARE}/x`, new Date(NaN))).toThrow(/valid Date/);
});

test('a link beside the shares (`<account>/evil -> /`, which a job can make via its mount) is no share', async () => {
  await symlink('/', join(f.root, ACCOUNT, 'evil'));
  const url = f.service.signUrl(`${ACCOUNT}/evil/etc/hostname`, new Date(Date.now() + 60_000), 'r');
  const r = await fetch(url);
  expect(r.status).toBe(404);
  expect(r.headers.get('x-ms-error-code')).toBe('ShareNotFound');
});
