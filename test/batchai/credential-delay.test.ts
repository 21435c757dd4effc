// Pure pieces: Retry-After parsing, backoff bounds, credential choice.
import { DefaultAzureCredential } from '@azure/identity';
import { createHttpHeaders } from '@azure/core-rest-pipeline';
import { credentialFor, staticTokenCredential } from '../../shared/http/credential';
import { retryAfterMs } from '../../shared/http/delay';
import { backoffMs, isRetryableStatus } from '../../shared/http/retry';
import { InputError } from '../../shared/errors';

test('Retry-After: seconds, HTTP date, and the millisecond headers (which win)', () => {
  const now = Date.parse('2024-01-01T00:00:00Z');
  expect(retryAfterMs(createHttpHeaders({ 'Retry-After': '3' }), now)).toBe(3000);
  expect(retryAfterMs(createHttpHeaders({ 'Retry-After': 'Mon, 01 Jan 2024 00:00:05 GMT' }), now)).toBe(5000);
  expect(retryAfterMs(createHttpHeaders({ 'Retry-After': '3', 'retry-after-ms': '250' }), now)).toBe(250);
  expect(retryAfterMs(createHttpHeaders({ 'x-ms-retry-after-ms': '40' }), now)).toBe(40);
  expect(retryAfterMs(createHttpHeaders({ 'Retry-After': 'soon' }), now)).toBeUndefined();
  expect(retryAfterMs(createHttpHeaders({}), now)).toBeUndefined();
});

test('backoff doubles, jitters within ±20 %, and is capped', () => {
  expect(backoffMs(0, 100, 10_000, () => 0.5)).toBe(100);
  expect(backoffMs(3, 100, 10_000, () => 0)).toBe(640);
  expect(backoffMs(3, 100, 10_000, () => 1)).toBeCloseTo(960);
  expect(backoffMs(20, 100, 10_000, () => 0.5)).toBe(10_000);
});

test('retryable statuses: 408, 429, 5xx except 501/505', () => {
  expect([408, 429, 500, 502, 503, 504].every(isRetryableStatus)).toBe(true);
  expect([400, 401, 403, 404, 409, 501, 505].some(isRetryableStatus)).toBe(false);
});

test('credentialFor: a static token for the local engine, DefaultAzureCredential otherwise', async () => {
  const local = credentialFor({ localToken: 'dev' });
  expect((await local.getToken('https://management.azure.com/.default'))?.token).toBe('dev');
  expect(credentialFor({})).toBeInstanceOf(DefaultAzureCredential);
  expect(() => staticTokenCredential(' ')).toThrow(InputError);
});
