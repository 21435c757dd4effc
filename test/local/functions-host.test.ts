// The dev host on real Azurite: timers, queue triggers with retries and poison, HTTP routing, graceful stop.
import { QueueServiceClient } from '@azure/storage-queue';
import type { Timer } from '@azure/functions';
import type { FunctionDefinition } from '../../functions/definition';
import { Readable } from 'node:stream';
import { BlobServiceClient } from '@azure/storage-blob';
import { encodeQueueMessage, startFunctionsHost, type FunctionsHost } from '../../local/functions-host';
import { LOCKS_CONTAINER, lockBlobName } from '../../local/functions-host/timer-lease';
import { useAzurite } from '../support/azurite';
import { waitFor } from '../support/wait-for';

type Def<T extends string> = Extract<FunctionDefinition, { trigger: { type: T } }>;
// Typed builders: an inline union literal gives its handlers no parameter types (the discriminant is nested).
const timerFn = (d: Def<'timer'>) => d;
const queueFn = (d: Def<'queue'>) => d;
const httpFn = (d: Def<'http'>) => d;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const azurite = useAzurite();
let queues: QueueServiceClient;
const hosts: FunctionsHost[] = [];
const logs: string[] = [];

async function host(definitions: FunctionDefinition[], extra: Partial<Parameters<typeof startFunctionsHost>[0]> = {}) {
  const h = await startFunctionsHost({
    definitions,
    connectionString: azurite.connectionString,
    httpPort: 0,
    hostJson: { extensions: { queues: { visibilityTimeout: '00:00:00', maxPollingInterval: 200 } } },
    log: (l) => logs.push(l),
    ...extra,
  });
  hosts.push(h);
  return h;
}

beforeAll(() => {
  queues = QueueServiceClient.fromConnectionString(azurite.connectionString);
});
afterEach(async () => {
  await Promise.all(hosts.splice(0).map((h) => h.stop()));
});

describe('timers', () => {
  it('fire on their override interval and never overlap', async () => {
    let running = 0;
    let maxRunning = 0;
    const runs: Timer[] = [];
    const starts: number[] = [];
    await host(
      [
        timerFn({
          name: 'poll',
          trigger: { type: 'timer', schedule: '0 0 0 1 1 *' },
          handler: async (t) => {
            running++;
            maxRunning = Math.max(maxRunning, running);
            runs.push(t);
            starts.push(Date.now());
            await sleep(120); // longer than the 30 ms interval
            running--;
          },
        }),
      ],
      { timerOverrides: { poll: 30 } },
    );
    await waitFor('4 runs', () => runs.length >= 4);
    expect(maxRunning).toBe(1);
    expect(runs[0].schedule).toEqual({ adjustForDST: false });
    // Back to back, not piled up: slots missed while a run went on are skipped.
    for (let i = 1; i < starts.length; i++) expect(starts[i] - starts[i - 1]).toBeGreaterThanOrEqual(115);
  });

  it('fire on the NCRONTAB schedule, on whole seconds', async () => {
    const starts: number[] = [];
    const statuses: Timer['scheduleStatus'][] = [];
    await host([
      timerFn({
        name: 'tick',
        trigger: { type: 'timer', schedule: '* * * * * *' },
        handler: async (t) => {
          starts.push(Date.now());
          statuses.push(t.scheduleStatus);
        },
      }),
    ]);
    await waitFor('2 ticks', () => starts.length >= 2, undefined, { timeoutMs: 5000 });
    expect(starts[1] - starts[0]).toBeGreaterThan(700);
    expect(starts[0] % 1000).toBeLessThan(300);
    expect(statuses[0].next).toMatch(/\.000Z$/);
  });

  it('run at start when runOnStartup is set, and a throwing run is logged and does not stop the timer', async () => {
    let n = 0;
    await host([
      timerFn({
        name: 'boom',
        trigger: { type: 'timer', schedule: '0 0 0 1 1 *', runOnStartup: true },
        handler: async () => {
          n++;
          throw new Error('tick failed');
        },
      }),
    ]);
    await waitFor('first run', () => n >= 1, undefined, { timeoutMs: 1000 });
    await sleep(100);
    expect(n).toBe(1); // the next run is a year away
    expect(logs.some((l) => l.includes('[boom] failed: tick failed'))).toBe(true);
  });

  it('refuse an override for a function that is not a timer', async () => {
    await expect(host([], { timerOverrides: { nope: 100 } })).rejects.toThrow(/"nope", which is not a timer/);
  });
});

describe('timers on two instances (a blob lease, as the singleton lock in Azure)', () => {
  const runsOf = { a: 0, b: 0 };
  const ticking = (instance: 'a' | 'b') =>
    timerFn({
      name: 'poll',
      trigger: { type: 'timer', schedule: '0 0 0 1 1 *' },
      handler: async () => {
        runsOf[instance]++;
      },
    });
  const instance = (name: 'a' | 'b') =>
    host([ticking(name)], {
      timerOverrides: { poll: 20 },
      timerLease: { hostId: 'lease-app', periodSeconds: 15, recoveryMs: 50 },
    });

  it('run the timer on the instance holding the lease only; another takes it over once that one stops', async () => {
    const a = await instance('a');
    await instance('b');
    await waitFor('3 runs on a', () => runsOf.a >= 3);
    expect(runsOf.b).toBe(0);
    const blob = BlobServiceClient.fromConnectionString(azurite.connectionString)
      .getContainerClient(LOCKS_CONTAINER)
      .getBlobClient(lockBlobName('lease-app', 'poll'));
    expect((await blob.getProperties()).leaseState).toBe('leased');

    await a.stop(); // releases the lease after its last run
    const afterStop = runsOf.a;
    await waitFor('3 runs on b', () => runsOf.b >= 3);
    expect(runsOf.a).toBe(afterStop);
  });

  it('needs the storage where the locks are', async () => {
    await expect(
      startFunctionsHost({ definitions: [ticking('a')], httpPort: 0, timerLease: { hostId: 'x' } }),
    ).rejects.toThrow(/timerLease needs connectionString/);
  });
});

describe('queue triggers', () => {
  it('deliver base64 JSON parsed, with dequeueCount and id, and delete on success', async () => {
    const q = queues.getQueueClient('deliver');
    await q.createIfNotExists();
    const sent = await q.sendMessage(encodeQueueMessage({ event: 'job-succeeded', job: 'job7' }));
    const got: Array<{ message: unknown; meta: unknown }> = [];
    await host([
      queueFn({
        name: 'notify',
        trigger: { type: 'queue', queueName: 'deliver' },
        handler: async (message, ctx) => {
          got.push({ message, meta: ctx.triggerMetadata });
        },
      }),
    ]);
    await waitFor('delivery', () => got[0]);
    expect(got[0].message).toEqual({ event: 'job-succeeded', job: 'job7' });
    expect(got[0].meta).toMatchObject({ id: sent.messageId, dequeueCount: 1 });
    await waitFor('deletion', async () => (await q.getProperties()).approximateMessagesCount === 0);
  });

  it('retry a failed message with a higher dequeueCount', async () => {
    const q = queues.getQueueClient('retry');
    await q.createIfNotExists();
    await q.sendMessage(encodeQueueMessage({ n: 1 }));
    const counts: unknown[] = [];
    await host([
      queueFn({
        name: 'flaky',
        trigger: { type: 'queue', queueName: 'retry' },
        handler: async (_m, ctx) => {
          counts.push(ctx.triggerMetadata?.dequeueCount);
          if (counts.length === 1) throw new Error('first try fails');
        },
      }),
    ]);
    await waitFor('second try', () => counts.length >= 2);
    expect(counts).toEqual([1, 2]);
    await waitFor('deletion', async () => (await q.getProperties()).approximateMessagesCount === 0);
    expect(await queues.getQueueClient('retry-poison').exists()).toBe(false);
  });

  it('move a message that always fails to <queue>-poison after maxDequeueCount (5) tries', async () => {
    const q = queues.getQueueClient('always');
    await q.createIfNotExists();
    const text = encodeQueueMessage({ bad: true });
    await q.sendMessage(text);
    const counts: unknown[] = [];
    await host([
      queueFn({
        name: 'broken',
        trigger: { type: 'queue', queueName: 'always' },
        handler: async (_m, ctx) => {
          counts.push(ctx.triggerMetadata?.dequeueCount);
          throw new Error('always fails');
        },
      }),
    ]);
    const poison = queues.getQueueClient('always-poison');
    const moved = await waitFor('poison message', async () => {
      if (!(await poison.exists())) return undefined;
      const { peekedMessageItems } = await poison.peekMessages();
      return peekedMessageItems[0];
    });
    expect(moved.messageText).toBe(text);
    expect(counts).toEqual([1, 2, 3, 4, 5]);
    expect((await q.peekMessages()).peekedMessageItems).toHaveLength(0);
    // The host logs once the move is done, so the line may follow the message by a moment.
    await waitFor('the poison log line', async () =>
      logs.some((l) => l.includes('[broken] failed (try 5/5): always fails; moved to always-poison')),
    );
  });
});

describe('HTTP', () => {
  const ran: string[] = [];
  const defs: FunctionDefinition[] = [
    httpFn({
      name: 'health',
      trigger: { type: 'http', methods: ['GET'], route: 'health', authLevel: 'anonymous' },
      handler: async () => ({ jsonBody: { ok: true } }),
    }),
    httpFn({
      name: 'item',
      trigger: { type: 'http', methods: ['POST'], route: 'items/{id}/{part?}', authLevel: 'anonymous' },
      handler: async (req) => ({
        status: 201,
        headers: { 'x-seen': req.params.id },
        body: `${req.params.id}/${req.params.part ?? '-'}:${await req.text()}:${req.query.get('q')}`,
      }),
    }),
    httpFn({
      name: 'small',
      trigger: { type: 'http', methods: ['POST'], route: 'small/{id}', authLevel: 'anonymous' },
      maxBodyBytes: 1024,
      handler: async (req) => {
        ran.push(req.params.id!);
        return { body: String((await req.text()).length) };
      },
    }),
    httpFn({
      name: 'crash',
      trigger: { type: 'http', methods: ['GET'], route: 'crash', authLevel: 'anonymous' },
      handler: async () => {
        throw new Error('secret detail');
      },
    }),
  ];

  it('routes /api/<route> with params, query, body and response headers', async () => {
    const h = await host(defs);
    expect(h.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const health = await fetch(`${h.url}/api/health`);
    expect(health.status).toBe(200);
    expect(health.headers.get('content-type')).toMatch(/application\/json/);
    expect(await health.json()).toEqual({ ok: true });
    const item = await fetch(`${h.url}/api/items/a%20b?q=1`, { method: 'POST', body: 'hello' });
    expect(item.status).toBe(201);
    expect(item.headers.get('x-seen')).toBe('a b');
    expect(await item.text()).toBe('a b/-:hello:1');
    expect(await (await fetch(`${h.url}/api/items/x/y`, { method: 'POST' })).text()).toBe('x/y::null');
  });

  it('answers 404, 405 and a bare 500 (the error goes to the log only)', async () => {
    const h = await host(defs);
    expect((await fetch(`${h.url}/api/nothing`)).status).toBe(404);
    const wrong = await fetch(`${h.url}/api/health`, { method: 'POST' });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET');
    const crash = await fetch(`${h.url}/api/crash`);
    expect(crash.status).toBe(500);
    expect(await crash.text()).not.toMatch(/secret/);
    expect(logs.some((l) => l.includes('[crash] failed: secret detail'))).toBe(true);
  });

  it("refuses a body above its function's limit with 413 (declared or streamed), a bad %-path with 400", async () => {
    const h = await host(defs);
    expect(await (await fetch(`${h.url}/api/small/a`, { method: 'POST', body: 'x'.repeat(1024) })).text()).toBe('1024');
    const declared = await fetch(`${h.url}/api/small/b`, { method: 'POST', body: 'x'.repeat(1025) });
    expect(declared.status).toBe(413);
    expect(await declared.text()).toMatch(/larger than 1024 bytes, the most \/api\/small\/\{id\} takes/);
    // No Content-Length: read up to the limit, then refused.
    const chunks = Readable.from([Buffer.alloc(800), Buffer.alloc(800)]);
    const streamed = await fetch(`${h.url}/api/small/c`, {
      method: 'POST',
      body: chunks as never,
      duplex: 'half',
    } as never);
    expect(streamed.status).toBe(413);
    const bad = await fetch(`${h.url}/api/small/%E0%A4%A`, { method: 'POST', body: 'x' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/valid %-encoding/);
    expect(ran).toEqual(['a']);
  });
});

describe('authLevel function', () => {
  it('asks for the host key in x-functions-key or ?code=; without it (or with another) 401 and no call', async () => {
    let calls = 0;
    const h = await host([
      httpFn({
        name: 'details',
        trigger: { type: 'http', methods: ['GET'], route: 'health/details', authLevel: 'function' },
        handler: async () => {
          calls++;
          return { jsonBody: { details: true } };
        },
      }),
    ]);
    expect(h.functionKey).toMatch(/^[\w-]{32}$/);
    for (const refused of [
      fetch(`${h.url}/api/health/details`),
      fetch(`${h.url}/api/health/details?code=not-the-key`),
      fetch(`${h.url}/api/health/details`, { headers: { 'x-functions-key': `${h.functionKey}x` } }),
    ])
      expect((await refused).status).toBe(401);
    expect(calls).toBe(0);
    expect(await (await fetch(`${h.url}/api/health/details?code=${h.functionKey}`)).json()).toEqual({ details: true });
    const byHeader = await fetch(`${h.url}/api/health/details`, { headers: { 'x-functions-key': h.functionKey } });
    expect(byHeader.status).toBe(200);
    expect(calls).toBe(2);
  });
});

describe('stop', () => {
  it('waits for running HTTP and queue invocations, then the message is gone (not retried)', async () => {
    const q = queues.getQueueClient('graceful');
    await q.createIfNotExists();
    await q.sendMessage(encodeQueueMessage({ slow: true }));
    const order: string[] = [];
    let queueStarted = false;
    const h = await startFunctionsHost({
      connectionString: azurite.connectionString,
      httpPort: 0,
      log: (l) => logs.push(l),
      definitions: [
        httpFn({
          name: 'slowHttp',
          trigger: { type: 'http', methods: ['GET'], route: 'slow', authLevel: 'anonymous' },
          handler: async () => {
            await sleep(300);
            order.push('http done');
            return { body: 'finished' };
          },
        }),
        queueFn({
          name: 'slowQueue',
          trigger: { type: 'queue', queueName: 'graceful' },
          handler: async () => {
            queueStarted = true;
            await sleep(300);
            order.push('queue done');
          },
        }),
      ],
    });
    await waitFor('queue handler running', () => queueStarted);
    const response = fetch(`${h.url}/api/slow`);
    await sleep(50);
    await h.stop();
    order.push('stopped');
    expect(order.indexOf('stopped')).toBe(2);
    expect(await (await response).text()).toBe('finished');
    expect((await q.peekMessages()).peekedMessageItems).toHaveLength(0);
    expect((await q.getProperties()).approximateMessagesCount).toBe(0);
    await expect(fetch(`${h.url}/api/slow`)).rejects.toThrow();
  });
});
