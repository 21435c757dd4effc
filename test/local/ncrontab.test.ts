import { nextOccurrence, parseSchedule } from '../../local/functions-host/ncrontab';
import { parseTimeSpan, queueSettings } from '../../local/functions-host/host-json';
import { decodeQueueMessage, encodeQueueMessage } from '../../local/functions-host/queue-message';

const at = (iso: string) => new Date(iso);
const next = (expr: string, from: string) => nextOccurrence(parseSchedule(expr), at(from)).toISOString();

describe('NCRONTAB schedules', () => {
  it('fires every N seconds with */N', () => {
    expect(next('*/30 * * * * *', '2024-01-01T00:00:10Z')).toBe('2024-01-01T00:00:30.000Z');
    expect(next('*/30 * * * * *', '2024-01-01T00:00:30Z')).toBe('2024-01-01T00:01:00.000Z');
  });

  it('handles lists, ranges, steps over ranges and names', () => {
    expect(next('0 0,30 9-17 * * *', '2024-01-01T17:30:00Z')).toBe('2024-01-02T09:00:00.000Z');
    expect(next('0 0 */6 * * *', '2024-01-01T07:00:00Z')).toBe('2024-01-01T12:00:00.000Z');
    expect(next('0 0 12 * * MON-FRI', '2024-01-05T13:00:00Z')).toBe('2024-01-08T12:00:00.000Z'); // Fri → Mon
    expect(next('0 0 0 1 JAN *', '2024-03-01T00:00:00Z')).toBe('2025-01-01T00:00:00.000Z');
    expect(next('5/20 * * * * *', '2024-01-01T00:00:06Z')).toBe('2024-01-01T00:00:25.000Z');
  });

  it('matches either day field when both are restricted (cron rule), and Sunday as 7', () => {
    expect(next('0 0 0 15 * 1', '2024-01-09T00:00:00Z')).toBe('2024-01-15T00:00:00.000Z');
    expect(next('0 0 0 * * 7', '2024-01-01T00:00:00Z')).toBe('2024-01-07T00:00:00.000Z');
  });

  it('finds Feb 29 across years and refuses a date that never comes', () => {
    expect(next('0 0 0 29 2 *', '2025-01-01T00:00:00Z')).toBe('2028-02-29T00:00:00.000Z');
    expect(() => nextOccurrence(parseSchedule('0 0 0 30 2 *'), at('2024-01-01T00:00:00Z'))).toThrow(/never fires/);
  });

  it('accepts the TimeSpan form as an interval', () => {
    expect(parseSchedule('00:05:00')).toEqual({ kind: 'interval', ms: 300_000 });
  });

  it('says what was expected for bad schedules', () => {
    expect(() => parseSchedule('* * * * *')).toThrow(/found 5 fields.*six NCRONTAB fields/);
    expect(() => parseSchedule('61 * * * * *')).toThrow(/second 61 is outside 0-59/);
    expect(() => parseSchedule('*/0 * * * * *')).toThrow(/step "0"/);
    expect(() => parseSchedule('x * * * * *')).toThrow(/"x" is not a number/);
    expect(() => parseSchedule('0 0 10-2 * * *')).toThrow(/runs backwards/);
  });
});

describe('host.json queue settings', () => {
  it('defaults as the Functions runtime, reads overrides', () => {
    expect(queueSettings({}).maxDequeueCount).toBe(5);
    const s = queueSettings({ extensions: { queues: { maxDequeueCount: 3, visibilityTimeout: '00:00:02', batchSize: 4, maxPollingInterval: 500 } } });
    expect(s).toMatchObject({ maxDequeueCount: 3, visibilityTimeoutMs: 2000, batchSize: 4, newBatchThreshold: 2, maxPollingIntervalMs: 500 });
    expect(parseTimeSpan('1.00:00:01.5', 'x')).toBe(86_401_500);
  });

  it('refuses values it cannot use', () => {
    expect(() => queueSettings({ extensions: { queues: { batchSize: 64 } } })).toThrow(/batchSize=64: expected a whole number 1-32/);
    expect(() => queueSettings({ extensions: { queues: { visibilityTimeout: 'soon' } } })).toThrow(/expected "hh:mm:ss"/);
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
