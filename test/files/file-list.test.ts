// Directory listing through the SDK's own paging (listFilesAndDirectories().byPage), plus the raw XML.
import { RestError, ShareDirectoryClient } from '@azure/storage-file-share';
import { mkdir, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { ACCOUNT, SHARE, startFixture, type Fixture } from './fixture';

let f: Fixture;
const NAMES = Array.from({ length: 7 }, (_, i) => `file-${i}.txt`);
const ODD = [
  // Names that need XML escaping or encoding: markup, quotes, control characters, non-ASCII.
  'a & b.txt',
  '<tag>.log',
  `quote"s 'n' apos.txt`,
  'ctl\u0001char.txt',
  'cr\rname.txt',
  'ünï cødé ✓.txt',
];

beforeAll(async () => {
  f = await startFixture();
  for (const [i, n] of NAMES.entries()) await f.put(`many/${n}`, 'x'.repeat(i));
  await mkdir(join(f.root, ACCOUNT, SHARE, 'many', 'sub-dir'));
  for (const n of ODD) await f.put(`odd/${n}`, n);
  await f.put('mixed/b.txt', 'bb');
  await f.put('mixed/a-dir/inner.txt', 'i');
  await symlink('/etc', join(f.root, ACCOUNT, SHARE, 'mixed', 'escape'));
});
afterAll(() => f.close());

async function listAll(dirUrl: string, maxPageSize?: number, prefix?: string) {
  const pages: { files: [string, number | undefined][]; dirs: string[]; next: string | undefined }[] = [];
  const dir = new ShareDirectoryClient(dirUrl);
  for await (const page of dir.listFilesAndDirectories({ prefix }).byPage({ maxPageSize })) {
    pages.push({
      files: page.segment.fileItems.map((x) => [x.name, x.properties.contentLength]),
      dirs: page.segment.directoryItems.map((x) => x.name),
      next: page.continuationToken || undefined,
    });
  }
  return pages;
}

test('pages of 3 walk all 8 entries in name order, with sizes, and stop', async () => {
  const pages = await listAll(f.url('many', 'rl'), 3);
  expect(pages.map((p) => p.files.length + p.dirs.length)).toEqual([3, 3, 2]);
  expect(pages.flatMap((p) => p.files)).toEqual(NAMES.map((n, i) => [n, i]));
  expect(pages.flatMap((p) => p.dirs)).toEqual(['sub-dir']);
  expect(pages[2]!.next).toBeUndefined();
  expect(pages[0]!.next).toBeTruthy();
});

test('prefix filters files and directories', async () => {
  const [page] = await listAll(f.url('many', 'rl'), undefined, 'file-5');
  expect(page!.files).toEqual([['file-5.txt', 5]]);
  expect(page!.dirs).toEqual([]);
});

test('names that need XML escaping or encoding come back unchanged through the SDK', async () => {
  const [page] = await listAll(f.url('odd', 'rl'));
  expect(page!.files.map(([n]) => n).sort()).toEqual([...ODD].sort());
  const raw = await (await fetch(f.url('odd', 'rl') + '&restype=directory&comp=list')).text();
  expect(raw).toContain('<Name>a &amp; b.txt</Name>');
  expect(raw).toContain('<Name Encoded="true">ctl%01char.txt</Name>');
});

test('directories and files are both listed; a symlink leading out of the share is left out', async () => {
  const [page] = await listAll(f.url('mixed', 'rl'));
  expect(page!.dirs).toEqual(['a-dir']);
  expect(page!.files).toEqual([['b.txt', 2]]);
});

test('the raw XML has the EnumerationResults shape Azure Files answers', async () => {
  const url = f.url('many', 'rl') + '&restype=directory&comp=list&maxresults=2&prefix=file-';
  const res = await fetch(url);
  expect(res.headers.get('content-type')).toBe('application/xml');
  const xml = await res.text();
  expect(xml).toMatch(
    new RegExp(
      '^<\\?xml version="1.0" encoding="utf-8"\\?>' +
        `<EnumerationResults ServiceEndpoint="${f.service.url}/${ACCOUNT}/"` +
        ` ShareName="${SHARE}" DirectoryPath="many">` +
        '<Prefix>file-</Prefix><MaxResults>2</MaxResults><Entries>' +
        '<File><Name>file-0.txt</Name><Properties><Content-Length>0</Content-Length></Properties></File>' +
        '<File><Name>file-1.txt</Name><Properties><Content-Length>1</Content-Length></Properties></File>' +
        '</Entries><NextMarker>[A-Za-z0-9_-]+</NextMarker></EnumerationResults>$',
    ),
  );
});

test('include=Timestamps,ETag,Attributes and extended info add their elements', async () => {
  const dir = new ShareDirectoryClient(f.url('mixed', 'rl'));
  const iter = dir.listFilesAndDirectories({
    includeTimestamps: true,
    includeEtag: true,
    includeAttributes: true,
    includeExtendedInfo: true,
  });
  const page = (await iter.byPage().next()).value;
  const file = page.segment.fileItems[0];
  expect(file.properties.etag).toMatch(/^"0x/);
  expect(file.properties.lastWriteTime).toBeInstanceOf(Date);
  expect(file.attributes).toBe('Archive');
  expect(file.fileId).toMatch(/^\d+$/);
  expect(page.segment.directoryItems[0].attributes).toBe('Directory');
});

test('bad list parameters are 400 InvalidQueryParameterValue', async () => {
  for (const q of ['maxresults=0', 'maxresults=abc', 'include=Everything']) {
    const res = await fetch(f.url('many', 'rl') + `&restype=directory&comp=list&${q}`);
    expect([q, res.status, res.headers.get('x-ms-error-code')]).toEqual([q, 400, 'InvalidQueryParameterValue']);
  }
});

test('listing needs sp=l and a directory SAS; listing a file or a missing directory is 404', async () => {
  const readOnly = f.url('many'); // validly signed, but sp=r and sr=f
  const e1 = await new ShareDirectoryClient(readOnly)
    .listFilesAndDirectories()
    .next()
    .catch((e: unknown) => e);
  expect(e1).toBeInstanceOf(RestError);
  expect([(e1 as RestError).statusCode, (e1 as RestError).code]).toEqual([403, 'AuthorizationPermissionMismatch']);
  const props = await fetch(readOnly + '&restype=directory');
  expect([props.status, props.headers.get('x-ms-error-code')]).toEqual([403, 'AuthorizationResourceTypeMismatch']);
  const onFile = await fetch(f.url('many/file-1.txt', 'rl') + '&restype=directory&comp=list');
  expect(onFile.status).toBe(404);
  const missing = await new ShareDirectoryClient(f.url('gone', 'rl'))
    .listFilesAndDirectories()
    .next()
    .catch((e: unknown) => e);
  expect([(missing as RestError).statusCode, (missing as RestError).code]).toEqual([404, 'ResourceNotFound']);
});

test('a directory SAS also reads the files beneath it (getFileClient keeps the signature)', async () => {
  const dir = new ShareDirectoryClient(f.url('many', 'rl'));
  const props = await dir.getFileClient('file-3.txt').getProperties();
  expect(props.contentLength).toBe(3);
  const sub = await dir.getDirectoryClient('sub-dir').listFilesAndDirectories().next();
  expect(sub.done).toBe(true);
});

test('the share root lists too (sdd=0)', async () => {
  const [page] = await listAll(f.url('', 'rl'));
  expect(page!.dirs).toEqual(['many', 'mixed', 'odd']);
  expect(page!.files).toEqual([]);
});
