// Byte ranges as Azure Files takes them: `x-ms-range` wins over `Range`; both use `bytes=start-end` (end
// inclusive) or `bytes=start-`. A malformed `x-ms-range` is an error; a malformed `Range` is ignored, as
// HTTP allows. A start at or beyond the end of the file is 416 InvalidRange.
import { FilesError } from './files-error';

export interface ByteRange {
  start: number;
  /** inclusive */
  end: number;
}

/** `null` = the whole file (no usable range header). */
export function parseRange(xmsRange: string | undefined, range: string | undefined, size: number): ByteRange | null {
  const header = xmsRange ?? range;
  if (header === undefined) return null;
  const m = /^bytes=(\d+)-(\d*)$/.exec(header.trim());
  const start = m ? Number(m[1]) : NaN;
  const end = m && m[2] !== '' ? Number(m[2]) : Infinity;
  if (!m || !Number.isSafeInteger(start) || end < start) {
    if (xmsRange === undefined) return null;
    throw new FilesError(400, 'InvalidHeaderValue', {
      HeaderName: 'x-ms-range',
      HeaderValue: xmsRange,
      Detail: 'Expected bytes=start-end (end inclusive, end >= start) or bytes=start-.',
    });
  }
  if (start >= size) {
    throw new FilesError(416, 'InvalidRange', {}, { 'Content-Range': `bytes */${size}` });
  }
  return { start, end: Math.min(end, size - 1) };
}
