// What both REST clients (Batch AI over ARM, the Batch data plane) need before the first request: an endpoint
// that is https, or http on loopback (the local engine), and bearer auth that works on both. Absolute URLs the
// service hands back must stay on the endpoint's origin, so a token or key never travels elsewhere.
import { bearerTokenAuthenticationPolicy, type PipelinePolicy } from '@azure/core-rest-pipeline';
import type { TokenCredential } from '@azure/core-auth';
import { InputError, ProtocolError } from '../errors';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** `service` and `example` shape the message, e.g. 'Batch AI' and 'https://management.azure.com'. */
export function parseEndpoint(endpoint: string, service: string, example: string): URL {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new InputError(
      'ConfigInvalid',
      `${service} endpoint ${JSON.stringify(endpoint)}: expected an absolute URL such as ${example}.`,
    );
  }
  const insecureRemote = url.protocol === 'http:' && !LOOPBACK.has(url.hostname);
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || insecureRemote) {
    throw new InputError(
      'ConfigInvalid',
      `${service} endpoint ${url.origin}: expected https://, or http:// on 127.0.0.1/localhost (the local engine).`,
    );
  }
  return url;
}

/** `target` is a path below `base` or an absolute URL the service gave us (nextLink and the like). */
export function resolveOnOrigin(base: URL, target: string): URL {
  const url = /^https?:\/\//i.test(target) ? new URL(target) : new URL(base.href.replace(/\/+$/, '') + target);
  if (url.origin !== base.origin) {
    throw new ProtocolError(`The service pointed to ${url.origin}${url.pathname}; expected a URL on ${base.origin}.`);
  }
  return url;
}

// core's bearer policy refuses http:// outright; the local engine is http on loopback, so it gets this
// minimal policy instead — and only on loopback, where the token never crosses a network.
function loopbackBearerPolicy(credential: TokenCredential, scope: string, noToken: () => Error): PipelinePolicy {
  return {
    name: 'loopbackBearerPolicy',
    async sendRequest(request, next) {
      const token = await credential.getToken(scope, { abortSignal: request.abortSignal });
      if (!token) throw noToken();
      request.headers.set('Authorization', `Bearer ${token.token}`);
      return next(request);
    },
  };
}

export function bearerPolicy(
  url: URL,
  credential: TokenCredential,
  scope: string,
  noToken: () => Error,
): PipelinePolicy {
  return url.protocol === 'https:'
    ? bearerTokenAuthenticationPolicy({ credential, scopes: scope })
    : loopbackBearerPolicy(credential, scope, noToken);
}
