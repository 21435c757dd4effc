// The one place that sends HTTP to ARM: @azure/core-rest-pipeline with our retry policy and bearer auth.
// Answers ≥ 400 become ArmError here; 2xx bodies are JSON-parsed. Absolute URLs from the service (nextLink,
// Azure-AsyncOperation, Location) must stay on the endpoint's origin, so the token never travels elsewhere.
import {
  bearerTokenAuthenticationPolicy, createDefaultHttpClient, createHttpHeaders, createPipelineFromOptions,
  createPipelineRequest, isRestError, type HttpClient, type HttpHeaders, type HttpMethods, type Pipeline,
  type PipelinePolicy,
} from '@azure/core-rest-pipeline';
import type { TokenCredential } from '@azure/core-auth';
import { ArmError, InputError, ProtocolError } from '../errors';
import { armErrorFromResponse, describeRequest } from './arm-error';
import { API_VERSION } from './paths';
import { armRetryPolicy, type RetryOptions } from './retry';
import { ARM_SCOPE } from './credential';
import { redactText } from '../core/redact';

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
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

// core's bearer policy refuses http:// outright; the local engine is http on loopback, so it gets this
// minimal policy instead — and only on loopback, where the token never crosses a network.
function loopbackBearerPolicy(credential: TokenCredential): PipelinePolicy {
  return {
    name: 'loopbackBearerPolicy',
    async sendRequest(request, next) {
      const token = await credential.getToken(ARM_SCOPE, { abortSignal: request.abortSignal });
      if (!token) throw new ArmError('AuthenticationFailed', 'The credential returned no token for the ARM scope.', 401);
      request.headers.set('Authorization', `Bearer ${token.token}`);
      return next(request);
    },
  };
}

function parseEndpoint(endpoint: string): URL {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new InputError('ConfigInvalid', `Batch AI endpoint ${JSON.stringify(endpoint)}: expected an absolute URL such as https://management.azure.com.`);
  }
  const insecureRemote = url.protocol === 'http:' && !LOOPBACK.has(url.hostname);
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || insecureRemote) {
    throw new InputError('ConfigInvalid', `Batch AI endpoint ${url.origin}: expected https://, or http:// on 127.0.0.1/localhost (the local engine).`);
  }
  return url;
}

function buildPipeline(url: URL, opts: ArmHttpOptions): Pipeline {
  const pipeline = createPipelineFromOptions({ userAgentOptions: { userAgentPrefix: 'batchai-chatops' } });
  pipeline.removePolicy({ name: 'defaultRetryPolicy' });
  pipeline.addPolicy(armRetryPolicy(opts.retry), { phase: 'Retry' });
  const auth = url.protocol === 'https:'
    ? bearerTokenAuthenticationPolicy({ credential: opts.credential, scopes: ARM_SCOPE })
    : loopbackBearerPolicy(opts.credential);
  pipeline.addPolicy(auth, { phase: 'Sign' });
  return pipeline;
}

function parseBody(method: string, url: string, status: number, text: string | null | undefined): unknown {
  if (!text || !text.trim()) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    const snippet = redactText(text.replace(/\s+/g, ' ').trim()).slice(0, 120);
    throw new ProtocolError(`${describeRequest(method, url)} answered ${status} with a body that is not JSON: "${snippet}"; expected JSON.`);
  }
}

export function createArmHttp(opts: ArmHttpOptions): ArmHttp {
  const base = parseEndpoint(opts.endpoint);
  const endpoint = base.href.replace(/\/+$/, '');
  const pipeline = buildPipeline(base, opts);
  const httpClient = opts.httpClient ?? createDefaultHttpClient();

  function resolve(target: string, query: SendOptions['query']): URL {
    const url = /^https?:\/\//i.test(target) ? new URL(target) : new URL(endpoint + target);
    if (url.origin !== base.origin) {
      throw new ProtocolError(`The service pointed to ${url.origin}${url.pathname}; expected a URL on ${base.origin}.`);
    }
    if (!url.searchParams.has('api-version')) url.searchParams.set('api-version', API_VERSION);
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
        url, method, headers,
        body: sendOpts.body === undefined ? undefined : JSON.stringify(sendOpts.body),
        abortSignal: sendOpts.abortSignal,
        allowInsecureConnection: base.protocol === 'http:',
      });
      let response;
      try {
        response = await pipeline.sendRequest(httpClient, request);
      } catch (e) {
        if (isRestError(e) && e.response === undefined && e.code) {
          throw new ArmError('ServiceUnreachable', `${describeRequest(method, url)}: could not reach ${base.origin} (${e.code}).`, 0);
        }
        throw e;
      }
      if (response.status >= 400) throw armErrorFromResponse(method, url, response.status, response.bodyAsText ?? '');
      return { status: response.status, headers: response.headers, body: parseBody(method, url, response.status, response.bodyAsText) };
    },
  };
}
