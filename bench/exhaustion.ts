// `npm run bench -- exhaustion`: issue 17's bound, measured. No single request, chat message or approval may make
// the stack (the engine, its facades, the functions host and the bot: one process, as `npm start` runs them,
// bench/exhaustion-child.ts) grow by more than 512 MiB or delay its event loop by more than 1 s. Each exhaustion
// class is sent to the child over real HTTP; per class: the largest RSS growth and event-loop delay.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { request } from 'node:http';
import { join } from 'node:path';
import { record } from './report';

const MIB = 2 ** 20;
const BOUND_MIB = 512;
const BOUND_MS = 1000;
const API = 'api-version=2025-06-01.21.0';

interface Ready {
  urls: { functions: string; messages: string; slackEvents: string };
  batch: { url: string };
}

/** One HTTP request; a body of `bytes` is streamed in 1 MiB pieces. Resolves with the status (0: cut off). */
function send(url: string, method: string, body: string | { bytes: number }, headers = {}): Promise<number> {
  return new Promise((resolve) => {
    const size = typeof body === 'string' ? Buffer.byteLength(body) : body.bytes;
    const req = request(url, { method, headers: { 'content-length': String(size), ...headers } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    // A server that refuses a body before its end closes the connection: that is an answer too.
    req.on('error', () => resolve(0));
    if (typeof body === 'string') {
      req.end(body);
      return;
    }
    const piece = Buffer.alloc(MIB, 'a');
    let sent = 0;
    const pump = (): void => {
      while (sent < size) {
        const n = Math.min(MIB, size - sent);
        sent += n;
        if (!req.write(n === MIB ? piece : piece.subarray(0, n))) {
          req.once('drain', pump);
          return;
        }
      }
      req.end();
    };
    pump();
  });
}

const nested = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;

function activity(text: string, from: string, serviceUrl: string) {
  return JSON.stringify({
    type: 'message',
    id: `m${Math.random()}`,
    channelId: 'webchat',
    serviceUrl,
    deliveryMode: 'expectReplies',
    conversation: { id: `bench-${from}` },
    from: { id: from },
    recipient: { id: 'bot' },
    text,
  });
}

type Classes = Array<[string, (r: Ready) => Promise<unknown>]>;

function classes(): Classes {
  const batch = (r: Ready, method: string, path: string, body: string | { bytes: number } = '') =>
    send(`${r.batch.url}${path}${path.includes('?') ? '&' : '?'}${API}`, method, body, {
      authorization: 'Bearer outsider',
      'content-type': 'application/json; odata=minimalmetadata',
    });
  const chat = (r: Ready, text: string, from: string) =>
    new Promise<string>((resolve) => {
      const body = activity(text, from, r.urls.functions);
      const req = request(
        r.urls.messages,
        { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
        (res) => {
          let out = '';
          res.on('data', (c: Buffer) => {
            out += c.toString();
          });
          res.on('end', () => resolve(out));
        },
      );
      req.on('error', () => resolve(''));
      req.end(body);
    });
  return [
    [
      'engine: a pool of 10^9 nodes',
      (r) => batch(r, 'POST', '/pools/cpu/resize', '{"targetDedicatedNodes":1000000000}'),
    ],
    [
      'engine: a new pool of 2^31-1 nodes',
      (r) => batch(r, 'POST', '/pools', '{"id":"huge","vmSize":"x","targetDedicatedNodes":2147483647}'),
    ],
    [
      'engine: a job whose metadata nests 100,000 deep',
      (r) => batch(r, 'POST', '/jobs', `{"id":"deep","poolInfo":{"poolId":"cpu"},"metadata":${nested(100_000)}}`),
    ],
    ['engine: a 450 MB body', (r) => batch(r, 'POST', '/jobs', { bytes: 450 * 1_000_000 })],
    [
      'engine: a $filter nested 7,000 deep',
      (r) => batch(r, 'GET', `/jobs?$filter=${encodeURIComponent(`${'('.repeat(7000)}id eq 'a'${')'.repeat(7000)}`)}`),
    ],
    [
      'engine: a task of 1,000,000 instances',
      (r) =>
        batch(
          r,
          'POST',
          '/jobs/j1/tasks',
          '{"id":"many","commandLine":"/bin/true","multiInstanceSettings":{"numberOfInstances":1000000}}',
        ),
    ],
    [
      'engine: 20 task collections of 100 (many tasks)',
      async (r) => {
        for (let k = 0; k < 20; k++) {
          const value = Array.from({ length: 100 }, (_, i) => ({ id: `t${k}-${i}`, commandLine: '/bin/true' }));
          await batch(r, 'POST', '/jobs/j1/addtaskcollection', JSON.stringify({ value }));
        }
      },
    ],
    [
      'engine: a task with 150,000 environment settings (3.7 MB)',
      (r) => {
        const environmentSettings = Array.from({ length: 150_000 }, (_, i) => ({ name: `V${i}`, value: 'x' }));
        return batch(
          r,
          'POST',
          '/jobs/j1/tasks',
          JSON.stringify({ id: 'envs', commandLine: '/bin/true', environmentSettings }),
        );
      },
    ],
    [
      'engine: a pool resized to 100 dedicated + 100 low-priority nodes',
      (r) => batch(r, 'POST', '/pools/cpu/resize', '{"targetDedicatedNodes":100,"targetLowPriorityNodes":100}'),
    ],
    ['functions host: 101 MB to /api/messages', (r) => send(r.urls.messages, 'POST', { bytes: 101 * 1_000_000 })],
    ['functions host: 101 MB to /api/slack', (r) => send(r.urls.slackEvents, 'POST', { bytes: 101 * 1_000_000 })],
    [
      'functions host: 101 MB to /api/health',
      (r) => send(`${r.urls.functions}/api/health`, 'POST', { bytes: 101 * 1_000_000 }),
    ],
    [
      'chat: a message at the 8,000-character limit, all placeholders',
      (r) => chat(r, `submit hello ${'{{greeting}}='.repeat(800)}`.slice(0, 8000), 'u-ada'),
    ],
    [
      'approval: approving a submit of 50,000,000 nodes',
      async (r) => {
        const asked = await chat(r, 'submit huge nodes=50000000 --name huge-1', 'u-ada');
        const id = /\ba[0-9a-f]{6}\b/.exec(asked)?.[0];
        if (!id) throw new Error(`no approval asked for: ${asked.slice(0, 300)}`);
        const answer = await chat(r, `approve ${id}`, 'u-bob');
        if (!/expected|quota|at most|refused|failed/i.test(answer))
          throw new Error(`approved: ${answer.slice(0, 300)}`);
      },
    ],
  ];
}

export async function benchExhaustion(): Promise<void> {
  const child = fork(join(__dirname, 'exhaustion-child.js'), [], {
    execArgv: ['--expose-gc', '--enable-source-maps'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = async <T>(kind: string): Promise<T> => {
    for (;;) {
      const [m] = (await once(child, 'message')) as [{ kind: string } & T];
      if (m.kind === kind) return m;
    }
  };
  try {
    const ready = await next<Ready>('ready');
    // A pool and a job for the classes to aim at.
    await send(`${ready.batch.url}/pools?${API}`, 'POST', '{"id":"cpu","vmSize":"standard_d2s_v3"}', {
      authorization: 'Bearer b',
      'content-type': 'application/json; odata=minimalmetadata',
    });
    await send(`${ready.batch.url}/jobs?${API}`, 'POST', '{"id":"j1","poolInfo":{"poolId":"cpu"}}', {
      authorization: 'Bearer b',
      'content-type': 'application/json; odata=minimalmetadata',
    });
    const over: string[] = [];
    for (const [name, run] of classes()) {
      child.send({ kind: 'mark' });
      await next('marked');
      await run(ready);
      child.send({ kind: 'read' });
      const m = await next<{ rssGrowthMiB: number; maxDelayMs: number }>('read');
      const growth = Math.round(m.rssGrowthMiB * 10) / 10;
      const delay = Math.round(m.maxDelayMs);
      record({ name: `exhaustion ${name}: RSS growth`, value: growth, unit: 'MiB', note: `bound ${BOUND_MIB}` });
      record({ name: `exhaustion ${name}: event-loop delay`, value: delay, unit: 'ms', note: `bound ${BOUND_MS}` });
      if (growth > BOUND_MIB || delay > BOUND_MS) over.push(name);
    }
    if (over.length) throw new Error(`over the bound: ${over.join('; ')}`);
  } finally {
    child.send({ kind: 'stop' });
    await once(child, 'exit');
  }
}
