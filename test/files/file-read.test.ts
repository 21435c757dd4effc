// File properties and content through the real SDK (HEAD, ranged GET), plus raw requests for the headers
// and edge cases the SDK never sends.
import { RestError, ShareDirectoryClient, ShareFileClient } from '@azure/storage-file-share';
import { startFixture, type Fixture } from './fixture';

let f: Fixture;
const CONTENT = 'line one\nline two\nline three\n'; // 29 bytes

beforeAll(async () => {
  f = await startFixture();
  await f.put('job1/stdouterr/stdout.txt', CONTENT);
  await f.put('job1/empty.txt', '');
});
afterAll(() => f.close());

async function text(stream: NodeJS.ReadableStream | undefined): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream!) chunks.push(Buffer.from(c));
  return Buffer.concat(chunks).toString('utf8');
}

async function restError(p: Promise<unknown>): Promise<RestError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(RestError);
  return e as RestError;
}

test('getProperties (HEAD) reports size, ETag, Last-Modified and the file type', async () => {
  const p = await new ShareFileClient(f.url('job1/stdouterr/stdout.txt')).getProperties();
  expect(p.contentLength).toBe(29);
  expect(p.etag).toMatch(/^"0x[0-9A-F]+"$/);
  expect(p.lastModified).toBeInstanceOf(Date);
  expect(p.fileType).toBe('File');
});

test('HEAD answers the Azure headers and echoes x-ms-version', async () => {
  const res = await fetch(f.url('job1/stdouterr/stdout.txt'), {
    method: 'HEAD',
    headers: { 'x-ms-version': '2025-01-05' },
  });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-length')).toBe('29');
  expect(res.headers.get('x-ms-type')).toBe('File');
  expect(res.headers.get('x-ms-version')).toBe('2025-01-05');
  expect(res.headers.get('x-ms-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  expect(res.headers.get('accept-ranges')).toBe('bytes');
  expect(res.headers.get('etag')).toBeTruthy();
  expect(res.headers.get('last-modified')).toBeTruthy();
});

test('download(offset, count) sends x-ms-range and gets 206 with exactly those bytes', async () => {
  const r = await new ShareFileClient(f.url('job1/stdouterr/stdout.txt')).download(9, 8);
  expect(r._response.status).toBe(206);
  expect(r.contentRange).toBe('bytes 9-16/29');
  expect(r.contentLength).toBe(8);
  expect(await text(r.readableStreamBody)).toBe('line two');
});

test('download() without a range streams the whole file with 200', async () => {
  const r = await new ShareFileClient(f.url('job1/stdouterr/stdout.txt')).download();
  expect(r._response.status).toBe(200);
  expect(await text(r.readableStreamBody)).toBe(CONTENT);
});

test('a range past the end is clamped to the last byte', async () => {
  const r = await new ShareFileClient(f.url('job1/stdouterr/stdout.txt')).download(20, 1000);
  expect(r.contentRange).toBe('bytes 20-28/29');
  expect(await text(r.readableStreamBody)).toBe('ne three\n');
});

test('a range starting at or beyond the end is 416 InvalidRange, through the SDK and raw', async () => {
  const e = await restError(new ShareFileClient(f.url('job1/stdouterr/stdout.txt')).download(29, 10));
  expect(e.statusCode).toBe(416);
  const res = await fetch(f.url('job1/stdouterr/stdout.txt'), { headers: { 'x-ms-range': 'bytes=100-200' } });
  expect(res.status).toBe(416);
  expect(res.headers.get('x-ms-error-code')).toBe('InvalidRange');
  expect(res.headers.get('content-range')).toBe('bytes */29');
  expect(await res.text()).toContain('<Code>InvalidRange</Code>');
  const empty = await fetch(f.url('job1/empty.txt'), { headers: { range: 'bytes=0-10' } });
  expect(empty.status).toBe(416);
});

test('Range: bytes=a-b and open-ended ranges work; x-ms-range wins over Range', async () => {
  const url = f.url('job1/stdouterr/stdout.txt');
  const a = await fetch(url, { headers: { range: 'bytes=0-3' } });
  expect([a.status, a.headers.get('content-range'), await a.text()]).toEqual([206, 'bytes 0-3/29', 'line']);
  const b = await fetch(url, { headers: { range: 'bytes=18-' } });
  expect([b.status, await b.text()]).toEqual([206, 'line three\n']);
  const c = await fetch(url, { headers: { range: 'bytes=0-3', 'x-ms-range': 'bytes=5-7' } });
  expect(await c.text()).toBe('one');
});

test('a malformed x-ms-range is 400 InvalidHeaderValue; a malformed Range is ignored (200)', async () => {
  const url = f.url('job1/stdouterr/stdout.txt');
  const bad = await fetch(url, { headers: { 'x-ms-range': 'bytes=9-3' } });
  expect(bad.status).toBe(400);
  expect(bad.headers.get('x-ms-error-code')).toBe('InvalidHeaderValue');
  const ignored = await fetch(url, { headers: { range: 'lines=1-2' } });
  expect([ignored.status, await ignored.text()]).toEqual([200, CONTENT]);
});

test('missing file → 404 ResourceNotFound, parent → ParentNotFound, share → ShareNotFound', async () => {
  const missing = await restError(new ShareFileClient(f.url('job1/nope.txt')).getProperties());
  expect([missing.statusCode, missing.code]).toEqual([404, 'ResourceNotFound']);
  const parent = await fetch(f.url('nodir/deeper/x.txt'));
  expect([parent.status, parent.headers.get('x-ms-error-code')]).toEqual([404, 'ParentNotFound']);
  expect(await parent.text()).toMatch(
    /^<\?xml version="1.0" encoding="utf-8"\?><Error><Code>ParentNotFound<\/Code><Message>/,
  );
  const share = await fetch(f.service.signUrl('devaccount/noshare/x.txt', new Date(Date.now() + 60_000)));
  expect([share.status, share.headers.get('x-ms-error-code')]).toEqual([404, 'ShareNotFound']);
});

test('a directory is not a file (404), and has directory properties', async () => {
  const asFile = await fetch(f.service.signUrl('devaccount/logs/job1', new Date(Date.now() + 60_000)));
  expect(asFile.status).toBe(404);
  const props = await new ShareDirectoryClient(f.url('job1', 'rl')).getProperties();
  expect(props.etag).toBeTruthy();
  expect(props.fileAttributes).toBe('Directory');
  const e = await restError(new ShareDirectoryClient(f.url('job1/stdouterr/stdout.txt', 'rl')).getProperties());
  expect(e.statusCode).toBe(404);
});
