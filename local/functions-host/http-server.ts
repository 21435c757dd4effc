// HTTP-triggered functions on node:http, bound to 127.0.0.1 only: `/api/<route>` → the handler with an
// @azure/functions HttpRequest, its HttpResponseInit written back. Route templates `{name}` / `{name?}` fill
// request.params as in Azure. A function of authLevel `function` (or `admin`) needs the host's function key, as
// Azure checks it: the `x-functions-key` header or the `code` query parameter; without it, 401 and no call.
import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpRequest, HttpResponse } from '@azure/functions';
import type { FunctionDefinition } from '../../functions/definition';
import { toError } from '../../shared/errors';
import { readBody } from '../http-body';
import { createContext, type HostLog, type InFlight } from './invocation';

class BodyTooLarge extends Error {}

type HttpDefinition = Extract<FunctionDefinition, { trigger: { type: 'http' } }>;

interface Route {
  def: HttpDefinition;
  pattern: RegExp;
  names: string[];
}

/** `jobs/{name}/logs/{n?}` → a RegExp over the path after `/api/`, and the parameter names in order. */
function compileRoute(route: string): { pattern: RegExp; names: string[] } {
  const names: string[] = [];
  const segments = route
    .replace(/^\/+|\/+$/g, '')
    .split('/')
    .map((seg) => {
      const m = /^\{(\w+)(\?)?\}$/.exec(seg);
      if (!m) return { re: `/${seg.replace(/[.*+?^$()|[\]\\]/g, '\\$&')}` };
      names.push(m[1]);
      return { re: m[2] ? '(?:/([^/]+))?' : '/([^/]+)' };
    });
  return { pattern: new RegExp(`^${segments.map((s) => s.re).join('')}/?$`, 'i'), names };
}

/** Azure's limit on an HTTP-triggered function's request body. */
export const HOST_MAX_BODY_BYTES = 100 * 1024 * 1024;

function headersOf(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

async function writeResponse(res: ServerResponse, init: HttpResponse): Promise<void> {
  const body = Buffer.from(await init.arrayBuffer());
  res.statusCode = init.status;
  init.headers.forEach((value, key) => res.setHeader(key, value));
  res.end(body);
}

function plain(res: ServerResponse, status: number, text: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...extra }).end(text);
}

/** Whether the request carries `key` (header or `code`), compared in constant time. */
function hasKey(req: IncomingMessage, url: URL, key: string): boolean {
  const given = Buffer.from(String(req.headers['x-functions-key'] ?? url.searchParams.get('code') ?? ''));
  const expected = Buffer.from(key);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export async function startHttpServer(
  defs: HttpDefinition[],
  opts: { port: number; log: HostLog; inFlight: InFlight; functionKey: string },
): Promise<{ url: string /** Stops accepting, lets running requests finish, closes. */; close(): Promise<void> }> {
  const routes: Route[] = defs.map((def) => ({ def, ...compileRoute(def.trigger.route) }));

  const serve = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
    const sub = url.pathname.startsWith('/api/') ? url.pathname.slice(4) : undefined;
    const matches =
      sub === undefined
        ? []
        : routes.flatMap((r) => {
            const m = r.pattern.exec(sub);
            return m ? [{ r, m }] : [];
          });
    if (matches.length === 0)
      return plain(
        res,
        404,
        `No function at ${url.pathname}. Routes: ${routes.map((r) => `/api/${r.def.trigger.route}`).join(', ')}`,
      );
    const method = (req.method ?? 'GET').toUpperCase();
    const hit = matches.find(({ r }) => (r.def.trigger.methods as string[]).includes(method));
    if (!hit)
      return plain(res, 405, `${method} not allowed`, {
        allow: matches.flatMap(({ r }) => r.def.trigger.methods).join(', '),
      });
    if (hit.r.def.trigger.authLevel !== 'anonymous' && !hasKey(req, url, opts.functionKey)) {
      res.writeHead(401).end();
      return;
    }
    const params: Record<string, string> = {};
    try {
      hit.r.names.forEach((n, i) => {
        if (hit.m[i + 1] !== undefined) params[n] = decodeURIComponent(hit.m[i + 1]);
      });
    } catch {
      return plain(res, 400, `Expected a path with valid %-encoding, got ${url.pathname.slice(0, 200)}`);
    }
    // A body above what the function takes is refused as Azure refuses one above 100 MB: unread when its
    // length is declared, else read no further than the limit.
    const max = Math.min(hit.r.def.maxBodyBytes ?? HOST_MAX_BODY_BYTES, HOST_MAX_BODY_BYTES);
    const tooLarge = `The request body is larger than ${max} bytes, the most /api/${hit.r.def.trigger.route} takes.`;
    if (Number(req.headers['content-length'] ?? 0) > max) {
      req.resume();
      return plain(res, 413, tooLarge, { connection: 'close' });
    }
    let body: Buffer;
    try {
      body = await readBody(req, max, () => new BodyTooLarge(tooLarge));
    } catch (e) {
      if (e instanceof BodyTooLarge) return plain(res, 413, e.message, { connection: 'close' });
      throw e;
    }
    const request = new HttpRequest({
      method,
      url: url.toString(),
      headers: headersOf(req),
      params,
      body: body.length > 0 ? { string: body.toString('utf8') } : undefined,
    });
    const { def } = hit.r;
    try {
      const init = await def.handler(request, createContext(def.name, opts.log));
      await writeResponse(res, new HttpResponse(init));
    } catch (e) {
      // As in Azure: the caller gets a bare 500, the message goes to the log (never a stack in a body).
      opts.log(`[${def.name}] failed: ${toError(e).message}`);
      if (!res.headersSent) plain(res, 500, 'Internal Server Error');
    }
  };

  const server: Server = createServer((req, res) => {
    // The whole exchange is tracked, so close() lets a running request write its response.
    opts.inFlight.track(serve(req, res)).catch((e) => {
      opts.log(`http: ${toError(e).message}`);
      if (!res.headersSent) plain(res, 500, 'Internal Server Error');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Requests already running finish first; then keep-alive sockets would hold close() open forever.
      await opts.inFlight.drain();
      server.closeAllConnections();
      await closed;
    },
  };
}
