// A fake Bot Framework channel (what Teams/Slack/Web Chat look like to a bot's connector client): a node:http
// server speaking the Connector wire protocol, keeping every activity it received. Fakes only the cloud side
// that cannot run here; the bot side under test is the real botbuilder CloudAdapter.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Activity } from 'botbuilder';
import { readBodyText } from '../http-body';

export interface FakeChannelOptions {
  /** The first N sends answer 429 Too Many Requests with Retry-After. */
  failWith429Times?: number;
  retryAfterSeconds?: number;
}

export interface FakeChannel {
  serviceUrl: string;
  activities(conversationId: string): Activity[];
  waitFor(conversationId: string, predicate: (a: Activity) => boolean, timeoutMs?: number): Promise<Activity>;
  /** Every request that reached the channel, including refused ones (for retry tests). */
  requests(): Array<{ method: string; path: string; status: number; at: number }>;
  /** From now on, answer the next `times` sends with `status` (e.g. 500 for a channel that keeps failing). */
  failNext(status: number, times: number, retryAfterSeconds?: number): void;
  stop(): Promise<void>;
}

export async function startFakeChannel(opts: FakeChannelOptions = {}): Promise<FakeChannel> {
  const received = new Map<string, Activity[]>();
  const log: Array<{ method: string; path: string; status: number; at: number }> = [];
  const waiters = new Set<() => void>();
  let failure = { status: 429, times: opts.failWith429Times ?? 0, retryAfter: opts.retryAfterSeconds ?? 1 };
  let nextId = 1;

  const server = createServer((req, res) => {
    void (async () => {
      const path = (req.url ?? '').split('?')[0];
      const m = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/.exec(path);
      const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        log.push({ method: req.method ?? '', path, status, at: Date.now() });
        res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
      };
      const body = await readBodyText(req);
      if (!m || (req.method !== 'POST' && req.method !== 'PUT') || (req.method === 'PUT' && !m[2])) {
        return answer(404, { error: { code: 'NotFound', message: `${req.method} ${path} is not a Connector route` } });
      }
      if (failure.times > 0) {
        failure.times--;
        const headers: Record<string, string> =
          failure.status === 429 ? { 'retry-after': String(failure.retryAfter) } : {};
        return answer(
          failure.status,
          {
            error: {
              code: failure.status === 429 ? 'TooManyRequests' : 'ServiceError',
              message: 'fake channel refused',
            },
          },
          headers,
        );
      }
      const conversationId = decodeURIComponent(m[1]);
      let activity: Activity;
      try {
        activity = JSON.parse(body) as Activity;
      } catch {
        return answer(400, { error: { code: 'BadArgument', message: 'expected a JSON activity' } });
      }
      const id = req.method === 'PUT' ? decodeURIComponent(m[2]!) : `act-${nextId++}`;
      const list = received.get(conversationId) ?? [];
      list.push({ ...activity, id });
      received.set(conversationId, list);
      waiters.forEach((w) => w());
      answer(200, { id });
    })().catch((e: unknown) => res.writeHead(500).end(String(e)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    serviceUrl: `http://127.0.0.1:${port}`,
    activities: (id) => [...(received.get(id) ?? [])],
    requests: () => [...log],
    failNext(status, times, retryAfterSeconds = 1) {
      failure = { status, times, retryAfter: retryAfterSeconds };
    },
    waitFor(conversationId, predicate, timeoutMs = 10_000) {
      return new Promise<Activity>((resolve, reject) => {
        const check = () => {
          const hit = (received.get(conversationId) ?? []).find(predicate);
          if (!hit) return false;
          clearTimeout(timer);
          waiters.delete(onChange);
          resolve(hit);
          return true;
        };
        const onChange = () => {
          check();
        };
        const timer = setTimeout(() => {
          waiters.delete(onChange);
          reject(
            new Error(
              `fake channel: no matching activity in ${conversationId} within ${timeoutMs} ms ` +
                `(got ${(received.get(conversationId) ?? []).length})`,
            ),
          );
        }, timeoutMs);
        waiters.add(onChange);
        check();
      });
    },
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}
