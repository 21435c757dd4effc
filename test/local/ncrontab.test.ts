import { nextOccurrence, parseSchedule } from '../../local/functions-host/ncrontab';
import { parseTimeSpan, queueSettings } from '../../local/functions-host/host-json';
import { decodeQueueMessage, encodeQueueMessage } from '../../local/functions-host/queue-message';

const at = (iso: string) => new Date(iso);
const next = (expr: string, from: string) => nextOccurrence(parseSchedule(expr), at(from)).toISOString();

// Cases from NCrontab's own test suite (CrontabScheduleTests.cs, the library the Azure Functions timer uses):
// [after, expression, next]. Five-field cases there are written here with seconds = 0, which is what they mean.
const NCRONTAB_CASES: Array<[string, string, string]> = [
  ['2003-01-01 00:00:00', '45 * * * * *', '2003-01-01 00:00:45'],
  ['2003-01-01 00:00:49', '45-47,48,49 * * * * *', '2003-01-01 00:01:45'],
  ['2003-01-01 00:00:46', '45-47,48,49 * * * * *', '2003-01-01 00:00:47'],
  ['2003-01-01 00:00:00', '2/5 * * * * *', '2003-01-01 00:00:02'],
  ['2003-01-01 00:00:52', '2/5 * * * * *', '2003-01-01 00:00:57'],
  ['2003-01-01 00:00:57', '2/5 * * * * *', '2003-01-01 00:01:02'],
  ['2021-02-24 09:50:35', '* 0-1 10 * * *', '2021-02-24 10:00:00'],
  ['2021-02-24 09:50:35', '* 55 * * * *', '2021-02-24 09:55:00'],
  ['2003-01-01 00:49:30', '6 45-47,48,49 * * * *', '2003-01-01 01:45:06'],
  ['2003-01-01 00:57:30', '9 2/5 * * * *', '2003-01-01 01:02:09'],
  ['2003-12-31 23:59:00', '0 * * * * *', '2004-01-01 00:00:00'],
  ['2004-02-28 23:59:00', '0 * * * * *', '2004-02-29 00:00:00'],
  ['2003-12-20 10:00:00', '0 * 3/4 * * *', '2003-12-20 11:00:00'],
  ['2003-12-20 01:45:00', '0 30 3 * * *', '2003-12-20 03:30:00'],
  ['2003-01-07 00:00:00', '0 30 * 1 * *', '2003-02-01 00:30:00'],
  ['2003-07-10 00:00:00', '0 * * 30,31 * *', '2003-07-30 00:00:00'],
  ['2000-01-31 00:00:00', '0 0 0 15,30,31 * *', '2000-02-15 00:00:00'],
  ['2000-02-15 00:00:00', '0 0 0 15,30,31 * *', '2000-03-15 00:00:00'],
  ['2000-04-30 00:00:00', '0 0 0 15,30,31 * *', '2000-05-15 00:00:00'],
  ['2003-12-01 05:00:00', '0 10 * * 6 *', '2004-06-01 00:10:00'],
  ['2003-01-04 00:00:00', '0 1 2 3 * *', '2003-02-03 02:01:00'],
  ['2002-07-01 05:00:00', '0 10 * * February,April-Jun *', '2003-02-01 00:10:00'],
  [
    '1988-03-11 14:23:00',
    '0 20 * * january,FeB,Mar,april,May,JuNE,July,Augu,SEPT-October,Nov,DECEM *',
    '1988-03-11 15:20:00',
  ],
  ['2003-06-26 10:00:00', '0 30 6 * * 0', '2003-06-29 06:30:00'],
  ['2003-06-26 10:00:00', '0 30 6 * * sunday', '2003-06-29 06:30:00'],
  ['2003-06-26 10:00:00', '0 30 6 * * SUNDAY', '2003-06-29 06:30:00'],
  ['2003-06-24 12:01:00', '0 1 12 * * 2', '2003-07-01 12:01:00'],
  ['2003-06-30 18:15:00', '0 15 18 * * Mon', '2003-07-07 18:15:00'],
  ['2003-01-01 00:00:00', '0 * * * * Mon', '2003-01-06 00:00:00'],
  // Day-of-month AND day-of-week: the 1st that is a Monday.
  ['2003-01-01 12:00:00', '0 45 16 1 * Mon', '2003-09-01 16:45:00'],
  ['2003-09-01 23:45:00', '0 45 16 1 * Mon', '2003-12-01 16:45:00'],
  ['2000-02-29 12:01:00', '0 1 12 29 2 *', '2004-02-29 12:01:00'],
  ['2004-02-29 12:01:00', '0 1 12 28 2 *', '2005-02-28 12:01:00'],
  ['2000-01-01 14:40:00', '0 40 14/1 * * *', '2000-01-01 15:40:00'],
  ['2003-01-01 00:00:00', '10 30 12 * * Mon', '2003-01-06 12:30:10'],
];

describe('NCRONTAB schedules (as Azure reads them)', () => {
  it.each(NCRONTAB_CASES)('after %s, "%s" fires at %s', (after, expr, expected) => {
    expect(next(expr, `${after.replace(' ', 'T')}Z`)).toBe(`${expected.replace(' ', 'T')}.000Z`);
  });

  it('fires every N seconds with */N', () => {
    expect(next('*/30 * * * * *', '2024-01-01T00:00:10Z')).toBe('2024-01-01T00:00:30.000Z');
    expect(next('*/30 * * * * *', '2024-01-01T00:00:30Z')).toBe('2024-01-01T00:01:00.000Z');
  });

  it('reads day names as any leading part of the English name, and backwards ranges as forwards', () => {
    expect(next('0 0 12 * * mon-FRIDAY', '2024-01-05T13:00:00Z')).toBe('2024-01-08T12:00:00.000Z'); // Fri → Mon
    expect(next('0 0 12 * * Saturday', '2024-01-01T00:00:00Z')).toBe('2024-01-06T12:00:00.000Z');
    expect(next('0 0 10-2 * * *', '2024-01-01T05:30:00Z')).toBe('2024-01-01T06:00:00.000Z');
  });

  it('finds 29 February on a Monday, decades away, and refuses a date that never comes', () => {
    expect(next('0 0 0 29 Feb Mon', '2017-01-01T00:00:00Z')).toBe('2044-02-29T00:00:00.000Z');
    expect(() => nextOccurrence(parseSchedule('0 0 0 31 Feb *'), at('2001-01-01T00:00:00Z'))).toThrow(/never fires/);
  });

  it('says what was expected for schedules Azure refuses', () => {
    expect(() => parseSchedule('* * * * *')).toThrow(/found 5 fields.*six NCRONTAB fields/);
    expect(() => parseSchedule('61 * * * * *')).toThrow(/second 61 is outside 0-59/);
    expect(() => parseSchedule('0 0 0 * * 7')).toThrow(/day-of-week 7 is outside 0-6/);
    expect(() => parseSchedule('* * * * * mon,bad,wed')).toThrow(/"bad" is neither a number nor a day-of-week name/);
    expect(() => parseSchedule('* * 1,2,3,456,7,8,9 * * *')).toThrow(/hour 456 is outside 0-23/);
    expect(() => parseSchedule('* * 1,Z,3,4 * * *')).toThrow(/"Z" is not a number in the hour field/);
    expect(() => parseSchedule('* * 1/Z * * *')).toThrow(/step "Z"/);
    expect(() => parseSchedule('* * 3-l2 * * *')).toThrow(/"l2" is not a number/);
    expect(() => parseSchedule('*/0 * * * * *')).toThrow(/step "0"/);
    expect(() => parseSchedule('0 0 1, * * *')).toThrow(/"" is not a number/);
  });

  it('refuses the TimeSpan form, which Flex Consumption does not run', () => {
    expect(() => parseSchedule('00:05:00')).toThrow(/TimeSpan.*Flex Consumption/);
  });
});

describe('host.json queue settings', () => {
  it('defaults as the Functions runtime, reads overrides', () => {
    expect(queueSettings({}).maxDequeueCount).toBe(5);
    const s = queueSettings({
      extensions: {
        queues: { maxDequeueCount: 3, visibilityTimeout: '00:00:02', batchSize: 4, maxPollingInterval: 500 },
      },
    });
    expect(s).toMatchObject({
      maxDequeueCount: 3,
      visibilityTimeoutMs: 2000,
      batchSize: 4,
      newBatchThreshold: 2,
      maxPollingIntervalMs: 500,
    });
    expect(parseTimeSpan('1.00:00:01.5', 'x')).toBe(86_401_500);
  });

  it('refuses values it cannot use', () => {
    expect(() => queueSettings({ extensions: { queues: { batchSize: 64 } } })).toThrow(
      /batchSize=64: expected a whole number 1-32/,
    );
    expect(() => queueSettings({ extensions: { queues: { visibilityTimeout: 'soon' } } })).toThrow(
      /expected "hh:mm:ss"/,
    );
  });
});

describe('queue message encoding', () => {
  it('round-trips base64 JSON and takes raw JSON or text as it is', () => {
    expect(decodeQueueMessage(encodeQueueMessage({ a: 1 }), 'base64')).toEqual({ a: 1 });
    expect(decodeQueueMessage('{"a":2}', 'base64')).toEqual({ a: 2 });
    expect(decodeQueueMessage('{"a":3}', 'none')).toEqual({ a: 3 });
    expect(decodeQueueMessage(encodeQueueMessage('hello there'), 'base64')).toBe('hello there');
  });
});
