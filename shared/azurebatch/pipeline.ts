// The one place that sends HTTP to the Batch data plane: @azure/core-rest-pipeline with the shared retry
// policy and either bearer auth (Azure AD, scope of the Batch resource) or the account's Shared Key.
// Answers ≥ 400 become ComputeError; JSON bodies are parsed; file reads come back as bytes.
import {
  createDefaultHttpClient,
  createHttpHeaders,
  createPipelineFromOptions,
  createPipelineRequest,
  type HttpClient,
  type HttpHeaders,
  type HttpMethods,
  type Pipeline,
  type PipelinePolicy,
} from '@azure/core-rest-pipeline';
import type { TokenCredential } from '@azure/core-auth';
import { InputError } from '../errors';
import { bearerPolicy, parseEndpoint, resolveOnOrigin } from '../http/endpoint';
import { parseJsonBody } from '../http/json-body';
import { retryPolicy, type RetryOptions } from '../http/retry';
import { sendOrUnreachable } from '../http/send';
import { batchError, batchErrorFromResponse } from './batch-error';
import { sharedKeyPolicy } from './shared-key';

export const BATCH_API_VERSION = '2025-06-01.21.0';
/**
 * The Batch resource is `https://batch.core.windows.net/`; its `.default` scope keeps the double slash (as the
 * spec writes it).
 */
export const BATCH_SCOPE = 'https://batch.core.windows.net//.default';
const ODATA_JSON = 'application/json; odata=minimalmetadata';

/** Azure AD (production) or the account's key (the local engine; accounts that allow it). */
export type BatchAuth = { credential: TokenCredential } | { accountName?: string; accountKey: string };

export interface BatchHttpOptions {
  /** `https://<account>.<region>.batch.azure.com`, or the local engine's http://127.0.0.1:PORT. */
  endpoint: string;
  auth: BatchAuth;
  httpClient?: HttpClient;
  retry?: RetryOptions;
}

export interface BatchSendOptions {
  body?: unknown;
  query?: Record<string, string | number | boolean | undefined>;
  headers?: Record<string, string | undefined>;
  /** Return the body as bytes (file reads) instead of parsing JSON. */
  binary?: boolean;
  abortSignal?: AbortSignal;
}

export interface BatchResponse {
  status: number;
  headers: HttpHeaders;
  /** Parsed JSON, or undefined for an empty body or a binary read. */
  body: unknown;
  bytes?: Buffer;
}

export interface BatchHttp {
  readonly endpoint: string;
  send(method: HttpMethods, target: string, opts?: BatchSendOptions): Promise<BatchResponse>;
}

/** The account name a Shared Key signs with: given, or the first label of `<account>.<region>.batch.azure.com`. */
export function accountNameOf(endpoint: URL, given?: string): string {
  if (given?.trim()) return given.trim();
  const label = endpoint.hostname.split('.')[0];
  if (/^\d+$/.test(label) || !endpoint.hostname.includes('.')) {
    throw new InputError(
      'ConfigInvalid',
      `Batch endpoint ${endpoint.origin} does not name the account: give the account name with its key.`,
    );
  }
  return label;
}

function authPolicy(url: URL, auth: BatchAuth): PipelinePolicy {
  if ('credential' in auth) {
    const noToken = () =>
      batchError('AuthenticationFailed', 'The credential returned no token for the Batch scope.', 401);
    return bearerPolicy(url, auth.credential, BATCH_SCOPE, noToken);
  }
  return sharedKeyPolicy(accountNameOf(url, auth.accountName), auth.accountKey);
}

function buildPipeline(url: URL, opts: BatchHttpOptions): Pipeline {
  const pipeline = createPipelineFromOptions({
    userAgentOptions: { userAgentPrefix: 'batchai-chatops' },
    // Batch names the request id `client-request-id` (and echoes it when asked).
    telemetryOptions: { clientRequestIdHeaderName: 'client-request-id' },
  });
  pipeline.removePolicy({ name: 'defaultRetryPolicy' });
  pipeline.addPolicy(retryPolicy(opts.retry), { phase: 'Retry' });
  pipeline.addPolicy(authPolicy(url, opts.auth), { phase: 'Sign' });
  return pipeline;
}

async function readAll(stream: NodeJS.ReadableStream | undefined): Promise<Buffer> {
  const chunks: Buffer[] = [];
  if (stream) for await (const c of stream) chunks.push(typeof c === 'string' ? Buffer.from(c) : c);
  return Buffer.concat(chunks);
}

export function createBatchHttp(opts: BatchHttpOptions): BatchHttp {
  const base = parseEndpoint(opts.endpoint, 'Azure Batch', 'https://myaccount.westeurope.batch.azure.com');
  const pipeline = buildPipeline(base, opts);
  const httpClient = opts.httpClient ?? createDefaultHttpClient();

  function resolve(target: string, query: BatchSendOptions['query']): string {
    const url = resolveOnOrigin(base, target);
    if (!url.searchParams.has('api-version')) url.searchParams.set('api-version', BATCH_API_VERSION);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    return url.href;
  }

  return {
    endpoint: base.href.replace(/\/+$/, ''),
    async send(method, target, o = {}) {
      const url = resolve(target, o.query);
      const headers = createHttpHeaders({ Accept: o.binary ? 'application/octet-stream' : 'application/json' });
      for (const [k, v] of Object.entries(o.headers ?? {})) if (v !== undefined) headers.set(k, v);
      if (o.body !== undefined) headers.set('Content-Type', ODATA_JSON);
      const request = createPipelineRequest({
        url,
        method,
        headers,
        body: o.body === undefined ? undefined : JSON.stringify(o.body),
        abortSignal: o.abortSignal,
        allowInsecureConnection: base.protocol === 'http:',
        streamResponseStatusCodes: o.binary ? new Set([200, 206]) : undefined,
      });
      const response = await sendOrUnreachable(pipeline, httpClient, request, (m) =>
        batchError('ServiceUnreachable', m, 0),
      );
      if (response.status >= 400) {
        const errorCode = response.headers.get('x-ms-error-code') ?? undefined;
        throw batchErrorFromResponse(method, url, response.status, response.bodyAsText ?? '', errorCode);
      }
      if (o.binary && method !== 'HEAD') {
        return {
          status: response.status,
          headers: response.headers,
          body: undefined,
          bytes: await readAll(response.readableStreamBody),
        };
      }
      return {
        status: response.status,
        headers: response.headers,
        body: parseJsonBody(method, url, response.status, response.bodyAsText),
      };
    },
  };
}
