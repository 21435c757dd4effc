// Pure: the bytes at the end of a log file → its last whole lines. No I/O, so every boundary case is a
// plain unit test. A line is what a terminal shows of it (terminal-text.ts): its last redraw.
import { lastRedraw } from '../core/terminal-text';

export interface TailLines {
  lines: string[];
  /** Earlier content exists that is not shown (the window did not start at 0, or lines were dropped). */
  truncated: boolean;
}

const NEWLINE = 0x0a;

/**
 * `bytes` are the file's content from `offset` to its end. Unless offset is 0, everything up to the first
 * newline is dropped: a line counts as whole only when the newline before it is inside the window. A window
 * with no newline at all is one long line: its end is kept (from the first whole UTF-8 character) rather than
 * showing nothing.
 */
export function tailLines(bytes: Uint8Array, offset: number, maxLines: number): TailLines {
  let start = 0;
  if (offset > 0) {
    const nl = bytes.indexOf(NEWLINE);
    if (nl >= 0) start = nl + 1;
    // Skip UTF-8 continuation bytes (10xxxxxx): the window may begin inside a character.
    else while (start < bytes.length && (bytes[start]! & 0xc0) === 0x80) start++;
  }
  const text = new TextDecoder('utf-8').decode(bytes.subarray(start));
  const all = text.split('\n');
  if (all[all.length - 1] === '') all.pop(); // the final newline ends the last line; it starts none
  const lines = all.map(lastRedraw);
  const kept = lines.length > maxLines ? lines.slice(lines.length - maxLines) : lines;
  return { lines: kept, truncated: offset > 0 || kept.length < lines.length };
}
