// Retries for ARM and Batch data-plane calls: 408, 429 and 5xx (not 501/505) and dropped connections,
// honouring Retry-After, otherwise exponential backoff with jitter; every wait is capped and the number of
// retries is bounded.
// Other 4xx are answers, not accidents, and are returned at once.
import { isRestError, type PipelinePolicy, type PipelineResponse } from '@azure/core-rest-pipeline';
import { retryAfterMs, sleep } from './delay';

export interface RetryOptions {
  /** Retries after the first attempt (default 4). */
  maxRetries?: number;
  /** Cap for any single wait, including a Retry-After and long-running-operation polls (default 30 s). */
  maxDelayMs?: number;
  /** First backoff step without Retry-After (default 800 ms), doubled on each retry. */
  baseDelayMs?: number;
}

const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'REQUEST_SEND_ERROR',
]);

export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || (status >= 500 && status !== 501 && status !== 505);
}

function isTransientError(e: unknown): boolean {
  return isRestError(e) && e.response === undefined && e.code !== undefined && TRANSIENT_CODES.has(e.code);
}

/**
 * A failure that trying again may mend, from whichever client threw it: an error answer with a retryable status
 * (a RestError's statusCode, a ComputeError's status), a dropped connection, or an answer cut short (JSON that
 * ends early).
 */
export function isTransientFailure(e: unknown): boolean {
  if (isTransientError(e) || e instanceof SyntaxError || (isRestError(e) && e.code === 'PARSE_ERROR')) return true;
  const status = (e as { statusCode?: unknown; status?: unknown } | undefined) ?? {};
  const code = typeof status.statusCode === 'number' ? status.statusCode : status.status;
  return typeof code === 'number' && (code === 0 || isRetryableStatus(code));
}

export function backoffMs(attempt: number, baseDelayMs: number, maxDelayMs: number, random = Math.random): number {
  const exp = baseDelayMs * 2 ** attempt;
  return Math.min(maxDelayMs, exp * (0.8 + 0.4 * random()));
}

export function retryPolicy(opts: RetryOptions = {}): PipelinePolicy {
  const maxRetries = opts.maxRetries ?? 4;
  const maxDelayMs = opts.maxDelayMs ?? 30_000;
  const baseDelayMs = opts.baseDelayMs ?? 800;
  return {
    name: 'retryPolicy',
    async sendRequest(request, next): Promise<PipelineResponse> {
      for (let attempt = 0; ; attempt++) {
        let response: PipelineResponse;
        try {
          response = await next(request);
        } catch (e) {
          if (attempt >= maxRetries || !isTransientError(e)) throw e;
          await sleep(backoffMs(attempt, baseDelayMs, maxDelayMs), request.abortSignal);
          continue;
        }
        if (attempt >= maxRetries || !isRetryableStatus(response.status)) return response;
        const asked = retryAfterMs(response.headers);
        await sleep(Math.min(maxDelayMs, asked ?? backoffMs(attempt, baseDelayMs, maxDelayMs)), request.abortSignal);
      }
    },
  };
}
