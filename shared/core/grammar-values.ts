// Checks one raw argument or flag value against its declared type. Returns the typed value, or what was
// expected (the grammar wraps that into the command's ParseFailure).
import type { JobName } from './commands';
import { isRole, ROLES } from './roles';
import { JOB_STATES, SUBSCRIPTION_STATES, type ArgType, type FlagType, type Value } from './command-table';

const NAME = /^[-\w]{1,64}$/;
const ID = /^[-\w.]{1,128}$/;
/** A chat user id as channels send it: Teams `29:1abc…` or an AAD object id, Slack `U123`, local names. */
const USER = /^[-\w.:@]{1,128}$/;
const KEY_VALUE = /^([A-Za-z_][\w-]{0,63})=([\s\S]*)$/;

export type Checked = { ok: true; value: Value } | { ok: false; expected: string };

const ok = (value: Value): Checked => ({ ok: true, value });
const expected = (what: string): Checked => ({ ok: false, expected: what });

export const NAME_RULE = 'a name of 1-64 letters, digits, - or _';

export function parseJobName(raw: string): JobName | undefined {
  const parts = raw.split('/');
  if (parts.length > 2 || !parts.every((p) => NAME.test(p))) return undefined;
  return parts.length === 2 ? { experiment: parts[0], job: parts[1] } : { job: parts[0] };
}

export function checkValue(type: ArgType | FlagType, raw: string, range?: [number, number]): Checked {
  switch (type) {
    case 'name':
      return NAME.test(raw) ? ok(raw) : expected(NAME_RULE);
    case 'job': {
      const job = parseJobName(raw);
      return job ? ok(job) : expected(`a job name: job or experiment/job (each ${NAME_RULE})`);
    }
    case 'id':
      return ID.test(raw) ? ok(raw) : expected('an id of letters, digits, -, _ or .');
    case 'topic': {
      const topic = raw.replace(/^\//, '').toLowerCase();
      return /^[-a-z]{1,32}$/.test(topic) ? ok(topic) : expected('a command name');
    }
    case 'int': {
      const [min, max] = range ?? [0, Number.MAX_SAFE_INTEGER];
      const n = /^\d{1,9}$/.test(raw) ? Number(raw) : NaN;
      return n >= min && n <= max ? ok(n) : expected(`a whole number from ${min} to ${max}`);
    }
    case 'state': {
      const s = raw.toLowerCase();
      return (JOB_STATES as readonly string[]).includes(s) ? ok(s) : expected(`one of ${JOB_STATES.join(', ')}`);
    }
    case 'states': {
      const list = [
        ...new Set(
          raw
            .toLowerCase()
            .split(',')
            .map((s) => s.trim()),
        ),
      ];
      const bad = list.filter((s) => !(SUBSCRIPTION_STATES as readonly string[]).includes(s));
      return bad.length === 0 && list.length > 0
        ? ok(list)
        : expected(`a comma-separated list of ${SUBSCRIPTION_STATES.join(', ')}`);
    }
    case 'kv':
      return KEY_VALUE.test(raw) ? ok(raw) : expected('key=value (a parameter name, =, then its value)');
    case 'bool':
      return ok(true);
    case 'user':
      return USER.test(raw) ? ok(raw) : expected('a user id (letters, digits, - _ . : @)');
    case 'role':
      return isRole(raw.toLowerCase()) ? ok(raw.toLowerCase()) : expected(`one of ${ROLES.join(', ')}`);
  }
}

export function splitKeyValue(raw: string): [string, string] {
  const m = KEY_VALUE.exec(raw);
  return m ? [m[1], m[2]] : [raw, ''];
}
