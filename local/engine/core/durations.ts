// maxWallClockTime arrives as an ISO-8601 duration ('P7D', 'PT1H30M', 'PT0.5S') or as a .NET timespan
// ('1.00:00:00', '00:00:02', the form az CLI and older SDKs sent). Both become milliseconds.
import { invalidContent } from './errors';

const ISO =
  /^P(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i;
const TIMESPAN = /^(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2}(?:\.\d+)?)$/;

export function parseDuration(text: string): number {
  const t = text.trim();
  const iso = ISO.exec(t);
  if (iso && t.length > 1 && !/T$/i.test(t)) {
    const [w, d, h, m, s] = iso.slice(1).map((x) => (x ? Number(x) : 0)) as [number, number, number, number, number];
    return ((((w * 7 + d) * 24 + h) * 60 + m) * 60 + s) * 1000;
  }
  const ts = TIMESPAN.exec(t);
  if (ts) {
    const [d, h, m, s] = ts.slice(1).map((x) => (x ? Number(x) : 0)) as [number, number, number, number];
    return (((d * 24 + h) * 60 + m) * 60 + s) * 1000;
  }
  throw invalidContent(
    `constraints.maxWallClockTime '${text}' is not a duration: expected ISO-8601 (e.g. 'P7D', 'PT2H') or d.hh:mm:ss.`,
  );
}

export const DEFAULT_MAX_WALL_CLOCK = 'P7D';
