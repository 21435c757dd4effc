// The one place that sends HTTP to ARM: @azure/core-rest-pipeline with our retry policy and bearer auth. Batch AI
// uses it as it is; Azure ML (shared/azureml/) passes its api-version, its backend name and the CA it trusts.
// Answers ≥ 400 become ComputeError here; 2xx bodies are JSON-parsed. Absolute URLs from the service (nextLink,
// Azure-AsyncOperation, Location) must stay on the endpoint's origin (../http/endpoint.ts).
import {
  createDefaultHttpClient,
  createHttpHeaders,
  createPipelineFromOptions,
  createPipelineRequest,
  type HttpClient,
  type HttpHeaders,
  type HttpMethods,
  type Pipeline,
} from '@azure/core-rest-pipeline';
import type { TokenCredential } from '@azure/core-auth';

import { bearerPolicy, parseEndpoint, resolveOnOrigin } from '../http/endpoint';
import { parseJsonBody } from '../http/json-body';
import { retryPolicy, type RetryOptions } from '../http/retry';
import { sendOrUnreachable } from '../http/send';
import { armError, armErrorFromResponse } from './arm-error';
import { API_VERSION } from '../core/batchai-paths';
import { ARM_SCOPE } from '../http/credential';
import { httpClientTrusting } from '../http/trusted-ca';
import type { ComputeBackend } from '../compute/model';

export interface ArmResponse {
  status: number;
  headers: HttpHeaders;
  /** Parsed JSON, or undefined for an empty body. */
  body: unknown;
}

export interface SendOptions {
  body?: unknown;
  query?: Record<string, string | number | undefined>;
  abortSignal?: AbortSignal;
}

export interface ArmHttp {
  readonly endpoint: string;
  /** `target` is a path below the endpoint or an absolute URL the service gave us. */
  send(method: HttpMethods, target: string, opts?: SendOptions): Promise<ArmResponse>;
}

export interface ArmHttpOptions {
  endpoint: string;
  credential: TokenCredential;
  httpClient?: HttpClient;
  retry?: RetryOptions;
  /** Sent unless a URL already carries one (default Batch AI's 2018-05-01). */
  apiVersion?: string;
  /** Whose errors these are (default 'batchai'). */
  backend?: ComputeBackend;
  /** Names the service in configuration errors (default 'Batch AI'). */
  service?: string;
  /** PEM certificates trusted for https besides the system's (a local stand-in's own CA). */
  ca?: string;
}

function buildPipeline(url: URL, opts: ArmHttpOptions): Pipeline {
  const backend = opts.backend ?? 'batchai';
  const pipeline = createPipelineFromOptions({ userAgentOptions: { userAgentPrefix: 'batchai-chatops' } });
  pipeline.removePolicy({ name: 'defaultRetryPolicy' });
  pipeline.addPolicy(retryPolicy(opts.retry), { phase: 'Retry' });
  const noToken = () =>
    armError('AuthenticationFailed', 'The credential returned no token for the ARM scope.', 401, undefined, backend);
  pipeline.addPolicy(bearerPolicy(url, opts.credential, ARM_SCOPE, noToken), { phase: 'Sign' });
  return pipeline;
}

export function createArmHttp(opts: ArmHttpOptions): ArmHttp {
  const base = parseEndpoint(opts.endpoint, opts.service ?? 'Batch AI', 'https://management.azure.com');
  const endpoint = base.href.replace(/\/+$/, '');
  const pipeline = buildPipeline(base, opts);
  const httpClient = opts.httpClient ?? httpClientTrusting(opts.ca) ?? createDefaultHttpClient();
  const apiVersion = opts.apiVersion ?? API_VERSION;
  const backend = opts.backend ?? 'batchai';

  function resolve(target: string, query: SendOptions['query']): URL {
    const url = resolveOnOrigin(base, target);
    if (!url.searchParams.has('api-version')) url.searchParams.set('api-version', apiVersion);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    return url;
  }

  return {
    endpoint,
    async send(method, target, sendOpts = {}) {
      const url = resolve(target, sendOpts.query).href;
      const headers = createHttpHeaders({ Accept: 'application/json' });
      if (sendOpts.body !== undefined) headers.set('Content-Type', 'application/json');
      const request = createPipelineRequest({
        url,
        method,
        headers,
        body: sendOpts.body === undefined ? undefined : JSON.stringify(sendOpts.body),
        abortSignal: sendOpts.abortSignal,
        allowInsecureConnection: base.protocol === 'http:',
      });
      const response = await sendOrUnreachable(pipeline, httpClient, request, (m) =>
        armError('ServiceUnreachable', m, 0, undefined, backend),
      );
      if (response.status >= 400)
        throw armErrorFromResponse(method, url, response.status, response.bodyAsText ?? '', backend);
      return {
        status: response.status,
        headers: response.headers,
        body: parseJsonBody(method, url, response.status, response.bodyAsText),
      };
    },
  };
}
