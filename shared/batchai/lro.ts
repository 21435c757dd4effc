// ARM long-running operations. An initial 200/201/204 is final. A 202 is followed through
// Azure-AsyncOperation (a status document: InProgress → Succeeded | Failed | Canceled) or, failing that,
// Location (202 while running, 200/204 when done), waiting Retry-After between polls (capped), else the
// configured interval. A failed operation's message is redacted like any ARM error (arm-error.ts): it may
// name a storage URL with its SAS signature, and it reaches cards (an approval that failed) and logs.
import { ProtocolError } from '../errors';
import { armError } from './arm-error';
import { retryAfterMs, sleep } from '../http/delay';
import { isObject, pick } from './parse';
import type { ArmHttp, ArmResponse } from './pipeline';
import { redactText } from '../core/redact';

export interface PollOptions {
  /** Wait between polls when the service gives no Retry-After. */
  intervalMs: number;
  /** Cap on any wait, even one the service asked for. */
  maxDelayMs: number;
  abortSignal?: AbortSignal;
}

function waitMs(r: ArmResponse, opts: PollOptions): number {
  return Math.min(opts.maxDelayMs, retryAfterMs(r.headers) ?? opts.intervalMs);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v ? v : undefined;
}

async function pollAsyncOperation(http: ArmHttp, url: string, first: ArmResponse, opts: PollOptions): Promise<void> {
  let last = first;
  for (;;) {
    await sleep(waitMs(last, opts), opts.abortSignal);
    last = await http.send('GET', url, { abortSignal: opts.abortSignal });
    const status = isObject(last.body) ? str(pick(last.body, 'status')) : undefined;
    if (!status) {
      throw new ProtocolError(
        'Azure-AsyncOperation status: expected {"status": "InProgress" | "Succeeded" | "Failed" | "Canceled"}, ' +
          `got ${JSON.stringify(last.body) ?? 'an empty body'}.`,
      );
    }
    const s = status.toLowerCase();
    if (s === 'succeeded') return;
    if (s === 'failed' || s === 'canceled' || s === 'cancelled') {
      const err = pick(last.body as Record<string, unknown>, 'error');
      const e = isObject(err) ? err : {};
      throw armError(
        str(pick(e, 'code')) ?? (s === 'failed' ? 'OperationFailed' : 'OperationCanceled'),
        redactText(str(pick(e, 'message')) ?? `The long-running operation ended ${status}.`),
        last.status,
        str(pick(e, 'target')),
      );
    }
  }
}

async function pollLocation(http: ArmHttp, url: string, first: ArmResponse, opts: PollOptions): Promise<void> {
  let last = first;
  do {
    await sleep(waitMs(last, opts), opts.abortSignal);
    last = await http.send('GET', url, { abortSignal: opts.abortSignal });
  } while (last.status === 202);
}

/** Waits for the operation `initial` started, unless it is already done or `wait` is false (accepted is enough). */
export async function completeLro(
  http: ArmHttp,
  initial: ArmResponse,
  wait: boolean,
  opts: PollOptions,
): Promise<void> {
  if (initial.status !== 202 || !wait) return;
  const asyncUrl = initial.headers.get('azure-asyncoperation');
  const location = initial.headers.get('location');
  if (asyncUrl) await pollAsyncOperation(http, asyncUrl, initial, opts);
  else if (location) await pollLocation(http, location, initial, opts);
  else
    throw new ProtocolError(
      '202 Accepted without an Azure-AsyncOperation or Location header: expected one of them to follow the operation.',
    );
}
