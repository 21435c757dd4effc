// The part of host.json the dev host honours: `extensions.queues`, with the Functions runtime's defaults except
// the polling interval, which is short locally so that alerts arrive within a poll interval or two.
import { readFileSync } from 'node:fs';
import { InputError } from '../../shared/errors';

export interface QueueSettings {
  maxDequeueCount: number;
  /** How long a failed message stays invisible before its retry. */
  visibilityTimeoutMs: number;
  batchSize: number;
  newBatchThreshold: number;
  /** The longest wait between polls of an empty queue (polling backs off up to this). */
  maxPollingIntervalMs: number;
  messageEncoding: 'base64' | 'none';
}

const DEFAULT_QUEUE_SETTINGS: QueueSettings = {
  maxDequeueCount: 5,
  visibilityTimeoutMs: 0,
  batchSize: 16,
  newBatchThreshold: 8,
  maxPollingIntervalMs: 1000,
  messageEncoding: 'base64',
};

/** `"00:00:30"` (TimeSpan) or a number of milliseconds, as host.json allows. */
export function parseTimeSpan(raw: unknown, name: string): number {
  if (typeof raw === 'number' && raw >= 0) return raw;
  const m = typeof raw === 'string' ? /^(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?$/.exec(raw) : null;
  if (!m)
    throw new InputError(
      'HostJsonInvalid',
      `host.json ${name}=${JSON.stringify(raw)}: expected "hh:mm:ss" or milliseconds.`,
    );
  const [, d, h, min, s, frac] = m;
  const secs = Number(d ?? 0) * 86400 + Number(h) * 3600 + Number(min) * 60 + Number(s);
  return secs * 1000 + Number((frac ?? '0').padEnd(3, '0'));
}

function positiveInt(raw: unknown, name: string, max: number): number {
  if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < 1 || raw > max) {
    throw new InputError(
      'HostJsonInvalid',
      `host.json ${name}=${JSON.stringify(raw)}: expected a whole number 1-${max}.`,
    );
  }
  return raw;
}

/** Reads the queue settings from a parsed host.json object. */
export function queueSettings(hostJson: unknown): QueueSettings {
  const ext = (hostJson as { extensions?: { queues?: Record<string, unknown> } } | undefined)?.extensions?.queues ?? {};
  const s = { ...DEFAULT_QUEUE_SETTINGS };
  const p = 'extensions.queues.';
  // The Storage queue API returns at most 32 messages per receive.
  if (ext.batchSize !== undefined) s.batchSize = positiveInt(ext.batchSize, `${p}batchSize`, 32);
  s.newBatchThreshold =
    ext.newBatchThreshold !== undefined
      ? positiveInt(ext.newBatchThreshold, `${p}newBatchThreshold`, 1000)
      : Math.max(1, Math.floor(s.batchSize / 2));
  if (ext.maxDequeueCount !== undefined)
    s.maxDequeueCount = positiveInt(ext.maxDequeueCount, `${p}maxDequeueCount`, 1000);
  if (ext.visibilityTimeout !== undefined)
    s.visibilityTimeoutMs = parseTimeSpan(ext.visibilityTimeout, `${p}visibilityTimeout`);
  if (ext.maxPollingInterval !== undefined)
    s.maxPollingIntervalMs = parseTimeSpan(ext.maxPollingInterval, `${p}maxPollingInterval`);
  if (ext.messageEncoding !== undefined) {
    if (ext.messageEncoding !== 'base64' && ext.messageEncoding !== 'none') {
      throw new InputError(
        'HostJsonInvalid',
        `host.json ${p}messageEncoding=${JSON.stringify(ext.messageEncoding)}: expected "base64" or "none".`,
      );
    }
    s.messageEncoding = ext.messageEncoding;
  }
  return s;
}

/** host.json from a file; a missing file means the defaults. */
export function readHostJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw e;
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new InputError('HostJsonInvalid', `${file} is not valid JSON: ${(e as Error).message}`);
  }
}
