// Pure NCRONTAB as the Azure Functions timer trigger reads it (the NCrontab library with seconds): six fields
// `second minute hour day month day-of-week`, each `*`, `N`, `a-b`, `*/N`, `a-b/N`, `N/S` (from N every S) or a
// comma list of those. Rules that differ from Unix cron, followed here because Azure follows them:
// - a day must match BOTH day-of-month and day-of-week (cron's "either, when both are restricted" rule does not apply);
// - day-of-week is 0-6 with Sunday = 0 (7 is refused);
// - a month or day name is any leading part of its English name, any case (`Mon`, `monday`, `Augu`, `SEPT`);
// - a range written backwards (`10-2`) is read as `2-10`.
// The TimeSpan form `hh:mm:ss` is refused: Flex Consumption (like every Consumption plan) does not accept it.
// A step of 0 is refused too (NCrontab reads it as 1, which is never what was meant). Times are UTC, as in Azure.
import { InputError } from '../../shared/errors';

/** `interval` is the local host's own fixed period (POLL_INTERVAL_SECONDS); NCRONTAB text never yields it. */
export type Schedule = { kind: 'cron'; fields: CronFields } | { kind: 'interval'; ms: number };

export interface CronFields {
  seconds: Set<number>;
  minutes: Set<number>;
  hours: Set<number>;
  days: Set<number>;
  months: Set<number>;
  weekdays: Set<number>;
}

const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: string[];
}

const SPECS: FieldSpec[] = [
  { name: 'second', min: 0, max: 59 },
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  { name: 'day-of-week', min: 0, max: 6, names: WEEKDAYS },
];

function bad(expr: string, why: string): InputError {
  return new InputError(
    'ScheduleInvalid',
    `Schedule "${expr}": ${why}. ` +
      'Expected six NCRONTAB fields "second minute hour day month day-of-week" (e.g. "*/30 * * * * *").',
  );
}

function value(token: string, spec: FieldSpec, expr: string): number {
  if (/^\d+$/.test(token)) {
    const n = Number(token);
    if (n < spec.min || n > spec.max) throw bad(expr, `${spec.name} ${n} is outside ${spec.min}-${spec.max}`);
    return n;
  }
  const lower = token.toLowerCase();
  const byName = token && spec.names ? spec.names.findIndex((n) => n.startsWith(lower)) : -1;
  if (byName >= 0) return byName + spec.min;
  throw bad(
    expr,
    spec.names
      ? `"${token}" is neither a number nor a ${spec.name} name in the ${spec.name} field`
      : `"${token}" is not a number in the ${spec.name} field`,
  );
}

function parseField(text: string, spec: FieldSpec, expr: string): Set<number> {
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const slash = part.indexOf('/');
    const range = slash < 0 ? part : part.slice(0, slash);
    const stepText = slash < 0 ? undefined : part.slice(slash + 1);
    const step = stepText === undefined ? 1 : /^\d+$/.test(stepText) ? Number(stepText) : NaN;
    if (!(step >= 1)) throw bad(expr, `step "${stepText}" in the ${spec.name} field must be a whole number ≥ 1`);
    let lo: number;
    let hi: number;
    const dash = range.indexOf('-');
    if (range === '*') {
      [lo, hi] = [spec.min, spec.max];
    } else if (dash > 0) {
      const [a, b] = [value(range.slice(0, dash), spec, expr), value(range.slice(dash + 1), spec, expr)];
      [lo, hi] = a <= b ? [a, b] : [b, a];
    } else {
      lo = value(range, spec, expr);
      hi = stepText === undefined ? lo : spec.max;
    }
    for (let v = lo; v <= hi; v += step) out.add(v);
  }
  return out;
}

export function parseSchedule(expr: string): Schedule {
  const text = expr.trim();
  if (/^\d+(\.\d+)?:\d{2}:\d{2}$/.test(text)) {
    throw bad(expr, 'the TimeSpan form hh:mm:ss runs only on App Service plans, not on Flex Consumption');
  }
  const parts = text.split(' ').filter(Boolean);
  if (parts.length !== 6) throw bad(expr, `found ${parts.length} fields`);
  const [seconds, minutes, hours, days, months, weekdays] = parts.map((p, i) => parseField(p, SPECS[i], expr));
  return { kind: 'cron', fields: { seconds, minutes, hours, days, months, weekdays } };
}

const dayMatches = (f: CronFields, d: Date) => f.days.has(d.getUTCDate()) && f.weekdays.has(d.getUTCDay());

// The Gregorian calendar repeats every 400 years: a schedule with no match within them never fires (e.g. 30 Feb).
const SEARCH_YEARS = 400;

/** The first time strictly after `after` that the schedule fires. */
export function nextOccurrence(schedule: Schedule, after: Date): Date {
  if (schedule.kind === 'interval') return new Date(after.getTime() + schedule.ms);
  const f = schedule.fields;
  const t = new Date(Math.floor(after.getTime() / 1000) * 1000 + 1000);
  const limit = Date.UTC(after.getUTCFullYear() + SEARCH_YEARS, 0, 1);
  // Advance the coarsest field that does not match, resetting the finer ones: a few hundred steps per year at most.
  while (t.getTime() <= limit) {
    if (!f.months.has(t.getUTCMonth() + 1)) {
      t.setUTCMonth(t.getUTCMonth() + 1, 1);
      t.setUTCHours(0, 0, 0, 0);
    } else if (!dayMatches(f, t)) {
      t.setUTCDate(t.getUTCDate() + 1);
      t.setUTCHours(0, 0, 0, 0);
    } else if (!f.hours.has(t.getUTCHours())) {
      t.setUTCHours(t.getUTCHours() + 1, 0, 0, 0);
    } else if (!f.minutes.has(t.getUTCMinutes())) {
      t.setUTCMinutes(t.getUTCMinutes() + 1, 0, 0);
    } else if (!f.seconds.has(t.getUTCSeconds())) {
      t.setUTCSeconds(t.getUTCSeconds() + 1, 0);
    } else {
      return t;
    }
  }
  throw new InputError('ScheduleNeverFires', 'The schedule never fires (no date matches all its fields).');
}
