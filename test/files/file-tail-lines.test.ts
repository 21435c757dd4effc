// The pure cut of a byte window to lines.
import { tailLines } from '../../shared/storage/file-tail-lines';

const b = (s: string) => Buffer.from(s, 'utf8');

test('at offset 0 the first line is whole and nothing is truncated', () => {
  expect(tailLines(b('a\nb\n'), 0, 10)).toEqual({ lines: ['a', 'b'], truncated: false });
});

test('past offset 0 the first (partial) line is dropped', () => {
  expect(tailLines(b('rtial\nwhole\n'), 5, 10)).toEqual({ lines: ['whole'], truncated: true });
});

test('a window that is all one line keeps its end from the first whole character', () => {
  const bytes = b('✓✓✓').subarray(1); // starts inside the first ✓
  expect(tailLines(bytes, 1, 10)).toEqual({ lines: ['✓✓'], truncated: true });
});

test('a progress bar redrawn with CR shows its last state; CRLF loses its CR', () => {
  expect(tailLines(b('train  10%\rtrain  50%\rtrain 100%\r\ndone\r\n'), 0, 10).lines).toEqual(['train 100%', 'done']);
});

test('blank lines inside the tail are kept; the final newline starts no line', () => {
  expect(tailLines(b('a\n\nb\n'), 0, 10).lines).toEqual(['a', '', 'b']);
  expect(tailLines(b('\n'), 0, 10).lines).toEqual(['']);
});

test('invalid UTF-8 inside the file becomes U+FFFD rather than failing', () => {
  expect(tailLines(Buffer.from([0x61, 0xff, 0x62, 0x0a]), 0, 10).lines).toEqual(['a\uFFFDb']);
});
