// Pure NCRONTAB (the Azure Functions timer format): six fields `second minute hour day month day-of-week`,
// each `*`, `N`, `a-b`, `*/N`, `a-b/N` or a comma list of those; month and weekday names allowed. Also the
// TimeSpan form `hh:mm:ss` that Functions accepts as a plain interval. Times are UTC, as in Azure unless
// WEBSITE_TIME_ZONE is set.
import { InputError } from '../../shared/errors';

export type Schedule =
  | { kind: 'cron'; fields: CronFields }
  | { kind: 'interval'; ms: number };

export interface CronFields {
  seconds: Set<number>;
  minutes: Set<number>;
  hours: Set<number>;
  days: Set<number>;
  months: Set<number>;
  weekdays: Set<number>;
  /** Cron rule: when both day fields are restricted, a day matches if either does. */
  daysRestricted: boolean;
  weekdaysRestricted: boolean;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

interface FieldSpec { name: string; min: number; max: number; names?: string[]; namesFrom?: number }

const SPECS: FieldSpec[] = [
  { name: 'second', min: 0, max: 59 },
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS, namesFrom: 1 },
  // 7 is Sunday too, as in most crons.
  { name: 'day-of-week', min: 0, max: 7, names: WEEKDAYS, namesFrom: 0 },
];

function bad(expr: string, why: string): InputError {
  return new InputError(
    'ScheduleInvalid',
    `Schedule "${expr}": ${why}. Expected six NCRONTAB fields "second minute hour day month day-of-week" (e.g. "*/30 * * * * *") or hh:mm:ss.`,
  );
}

function value(token: string, spec: FieldSpec, expr: string): number {
  const byName = spec.names?.indexOf(token.toLowerCase()) ?? -1;
  if (byName >= 0) return byName + (spec.namesFrom ?? 0);
  if (!/^\d+$/.test(token)) throw bad(expr, `"${token}" is not a number in the ${spec.name} field`);
  const n = Number(token);
  if (n < spec.min || n > spec.max) throw bad(expr, `${spec.name} ${n} is outside ${spec.min}-${spec.max}`);
  return n;
}

function parseField(text: string, spec: FieldSpec, expr: string): Set<number> {
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const [range, stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw bad(expr, `step "${stepText}" in the ${spec.name} field must be a whole number ≥ 1`);
    let lo: number;
    let hi: number;
    if (range === '*') {
      [lo, hi] = [spec.min, spec.max];
    } else if (range.includes('-')) {
      const [a, b] = range.split('-');
      [lo, hi] = [value(a, spec, expr), value(b, spec, expr)];
      if (lo > hi) throw bad(expr, `range ${range} in the ${spec.name} field runs backwards`);
    } else {
      lo = value(range, spec, expr);
      // `5/15` means "from 5 every 15", as in NCrontab.
      hi = stepText === undefined ? lo : spec.max;
    }
    for (let v = lo; v <= hi; v += step) out.add(spec.name === 'day-of-week' && v === 7 ? 0 : v);
  }
  return out;
}

export function parseSchedule(expr: string): Schedule {
  const text = expr.trim();
  const span = /^(\d{1,2}):(\d{2}):(\d{2})$/.exec(text);
  if (span) {
    const ms = ((Number(span[1]) * 60 + Number(span[2])) * 60 + Number(span[3])) * 1000;
    if (ms <= 0) throw bad(expr, 'an interval must be longer than zero');
    return { kind: 'interval', ms };
  }
  const parts = text.split(/\s+/);
  if (parts.length !== 6) throw bad(expr, `found ${parts.length} fields`);
  const sets = parts.map((p, i) => parseField(p, SPECS[i], expr));
  return {
    kind: 'cron',
    fields: {
      seconds: sets[0], minutes: sets[1], hours: sets[2], days: sets[3], months: sets[4], weekdays: sets[5],
      daysRestricted: parts[3] !== '*', weekdaysRestricted: parts[5] !== '*',
    },
  };
}

function dayMatches(f: CronFields, d: Date): boolean {
  const dom = f.days.has(d.getUTCDate());
  const dow = f.weekdays.has(d.getUTCDay());
  if (f.daysRestricted && f.weekdaysRestricted) return dom || dow;
  return dom && dow;
}

// Eight years covers every leap-day schedule; anything that never matches within it never will (e.g. Feb 30).
const SEARCH_LIMIT_MS = 8 * 366 * 24 * 3600 * 1000;

/** The first time strictly after `after` that the schedule fires. */
export function nextOccurrence(schedule: Schedule, after: Date): Date {
  if (schedule.kind === 'interval') return new Date(after.getTime() + schedule.ms);
  const f = schedule.fields;
  const t = new Date(Math.floor(after.getTime() / 1000) * 1000 + 1000);
  const limit = after.getTime() + SEARCH_LIMIT_MS;
  // Advance the coarsest field that does not match, resetting the finer ones: a few hundred steps at most per year.
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
