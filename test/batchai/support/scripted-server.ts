// A small real HTTP server on 127.0.0.1:0 for client tests: every request is logged (with the time it
// arrived) and answered by the test's script.
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LoggedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  authorization?: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

export interface ScriptedAnswer {
  status: number;
  headers?: Record<string, string | number>;
  /** Objects are sent as JSON; strings as they are. */
  body?: unknown;
}

export type Script = (req: LoggedRequest, log: LoggedRequest[]) => ScriptedAnswer | Promise<ScriptedAnswer>;

export interface ScriptedServer {
  url: string;
  log: LoggedRequest[];
  /** Replaces the script (one server can serve several tests). */
  script: Script;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export async function startScriptedServer(script: Script): Promise<ScriptedServer> {
  const state: ScriptedServer = { url: '', log: [], script, close: async () => undefined };
  const server: Server = createServer((req, res) => {
    void (async () => {
      const u = new URL(req.url ?? '/', 'http://x');
      const logged: LoggedRequest = {
        method: req.method ?? 'GET',
        path: u.pathname,
        query: u.searchParams,
        authorization: req.headers.authorization,
        headers: req.headers,
        body: await readBody(req),
        at: Date.now(),
      };
      state.log.push(logged);
      let answer: ScriptedAnswer;
      try {
        answer = await state.script(logged, state.log);
      } catch (e) {
        answer = { status: 599, body: `script failed: ${String(e)}` };
      }
      const text =
        answer.body === undefined ? '' : typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
      const headers: Record<string, string | number> = { ...answer.headers };
      if (text && typeof answer.body !== 'string') headers['Content-Type'] = 'application/json';
      res.writeHead(answer.status, headers).end(text);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}
