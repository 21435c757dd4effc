// readTail against the real endpoint: the cut to whole lines, and that it costs exactly one ranged GET.
import { RestError } from '@azure/storage-file-share';
import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readTail } from '../../shared/storage/file-tail';
import { InputError } from '../../shared/errors';
import { ACCOUNT, SHARE, startFixture, type Fixture } from './fixture';

let f: Fixture;
beforeAll(async () => {
  f = await startFixture();
});
afterAll(() => f.close());

/** Writes `content` as a log, tails it, and returns the result with the requests the server saw. */
async function tail(name: string, content: string | Buffer, maxBytes: number, maxLines = 100) {
  await f.put(name, content);
  const before = f.log.length;
  const result = await readTail(f.url(name), Buffer.byteLength(content), { maxBytes, maxLines });
  return { ...result, requests: f.log.slice(before) };
}

test('a file smaller than maxBytes: all lines, not truncated, one request', async () => {
  const t = await tail('small.txt', 'epoch 1 loss 0.9\nepoch 2 loss 0.5\n', 4096);
  expect(t).toMatchObject({ lines: ['epoch 1 loss 0.9', 'epoch 2 loss 0.5'], truncated: false, bytesRead: 34 });
  expect(t.requests).toHaveLength(1);
  expect(t.requests[0]).toMatch(/^GET \/devaccount\/logs\/small\.txt\?.* 206$/);
});

test('CRLF line ends are stripped', async () => {
  const t = await tail('crlf.txt', 'one\r\ntwo\r\nthree\r\n', 4096);
  expect(t.lines).toEqual(['one', 'two', 'three']);
});

test('a last line without a final newline is kept', async () => {
  const t = await tail('nonl.txt', 'first\nsecond\nstill writing', 4096);
  expect(t.lines).toEqual(['first', 'second', 'still writing']);
});

test('the partial first line of the window is dropped and the read is one request of maxBytes', async () => {
  const lines = Array.from({ length: 20_000 }, (_, i) => `step ${i} loss ${(1 / (i + 1)).toFixed(6)}`);
  const t = await tail('big.txt', lines.join('\n') + '\n', 4096);
  expect(t.requests).toHaveLength(1);
  expect(t.bytesRead).toBe(4096);
  expect(t.truncated).toBe(true);
  expect(t.lines[t.lines.length - 1]).toBe(lines[lines.length - 1]);
  expect(lines.slice(-t.lines.length)).toEqual(t.lines); // whole lines only, in order
  expect(t.lines).toHaveLength(100); // ~150 lines fit in 4 KiB; maxLines (100) cuts them
});

test('maxLines keeps the last lines and marks the tail truncated', async () => {
  const t = await tail('many.txt', Array.from({ length: 10 }, (_, i) => `l${i}`).join('\n') + '\n', 4096, 3);
  expect(t).toMatchObject({ lines: ['l7', 'l8', 'l9'], truncated: true });
});

test('a window starting inside a multi-byte character decodes cleanly', async () => {
  // 'é' is 2 bytes, '✓' 3: a window of 13 bytes starts inside the é line's 4th character.
  const content = 'ééééé\ntail ✓\n';
  expect(Buffer.byteLength(content)).toBe(20);
  const t = await tail('utf8.txt', content, 13);
  expect(t).toMatchObject({ lines: ['tail ✓'], truncated: true });
  // A line counts as whole only when the newline before it is inside the window too.
  expect((await tail('utf8.txt', content, 9)).lines).toEqual([]);
  expect((await tail('utf8.txt', content, 10)).lines).toEqual(['tail ✓']);
  const one = await tail('utf8-one-line.txt', 'é'.repeat(50), 9);
  expect(one.lines).toEqual(['éééé']);
  expect(one.truncated).toBe(true);
});

test('an empty file gives no lines and makes no request', async () => {
  const before = f.log.length;
  const t = await readTail('http://127.0.0.1:9/never-contacted', 0, { maxBytes: 4096, maxLines: 10 });
  expect(t).toEqual({ lines: [], truncated: false, bytesRead: 0 });
  expect(f.log.length).toBe(before);
});

test('content appended after the listing is not read: the tail is of the listed size', async () => {
  await f.put('growing.txt', 'a\nb\n');
  await appendFile(join(f.root, ACCOUNT, SHARE, 'growing.txt'), 'c\n');
  const t = await readTail(f.url('growing.txt'), 4, { maxBytes: 100, maxLines: 10 });
  expect(t.lines).toEqual(['a', 'b']);
});

test('an expired URL surfaces as RestError 403', async () => {
  await f.put('exp.txt', 'x\n');
  const e = await readTail(f.url('exp.txt', 'r', new Date(Date.now() - 1)), 2, { maxBytes: 10, maxLines: 1 }).catch(
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(RestError);
  expect((e as RestError).statusCode).toBe(403);
});

test('bad options are an InputError saying what was expected', async () => {
  await expect(readTail('http://x', 10, { maxBytes: 0, maxLines: 1 })).rejects.toThrow(InputError);
  await expect(readTail('http://x', -1, { maxBytes: 1, maxLines: 1 })).rejects.toThrow(/size must be a whole number/);
  await expect(readTail('http://x', 10, { maxBytes: 1, maxLines: 1.5 })).rejects.toThrow(/maxLines/);
});
