// `npm run bench -- soak`: the product on the local default under a steady load for SOAK_MINUTES real minutes
// (default 10) with the clock at ×6: a simulated minute is 10 s, and the timers and retentions that shape the
// load are divided by 6 (housekeeping every 2 simulated minutes, cache and queue rows kept 12-30 simulated
// minutes), so one run is a simulated hour. Each backend (one after the other; SOAK_TOGETHER=1: all at once;
// SOAK_BACKENDS=batchai,azureml: some) runs in its own functions host process
// (bench/soak-host.ts: the local stack without the chat fakes, with Azurite and the engine in processes of their
// own); this process runs their local chat and Slack and the load: every simulated minute two submits, a `jobs`
// listing and a resize in a Teams conversation subscribed to the jobs' alerts, and two turns on the Slack app (a DM
// and a channel mention). Each simulated minute it samples the host's RSS, open handles and descriptors, the
// engine's RSS and the row counts of the cache and queue tables; it reports the host's RSS slope over the last three
// quarters, handles at each quarter, p99 latency per quarter, the tables' rows and the engine's RSS (the local
// stand-in for the compute service keeps every job it ran: its growth is shown, not counted as the product's).
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TableClient } from '@azure/data-tables';
import { activityToText } from '../local/chat/card-text';
import { startChatServer, type ChatServer } from '../local/chat/server';
import { startLocalSlack, type LocalSlack } from '../local/slack/local-slack';
import { LOCAL_SLACK_TOKEN } from '../local/start';
import type { ComputeBackend } from '../shared/compute/model';
import type { SoakHostArgs, SoakHostReady, SoakSample } from './soak-host';
import { percentile } from './measure';
import { record } from './report';

const ALL_BACKENDS: ComputeBackend[] = ['batchai', 'azurebatch', 'azureml'];
/** SOAK_BACKENDS=batchai,azureml runs only those (default all three). */
const BACKENDS = (process.env.SOAK_BACKENDS?.split(',') ?? ALL_BACKENDS).filter((b): b is ComputeBackend =>
  ALL_BACKENDS.includes(b as ComputeBackend),
);
const SPEED = 6;
const SIM_MINUTE_MS = 60_000 / SPEED;
/** The compressed clock's settings: every 2 simulated minutes; rows kept 12 (queues) to 30 (approvals) of them. */
const SOAK_ENV = {
  HOUSEKEEPING_SCHEDULE: '*/20 * * * * *',
  RETENTION: 'sent=2m,slackseen=2m,slackturns=2m,followups=2m,approvals=5m,progresswatches=2m',
};
/** Cache and queue tables whose rows the report follows (audit grows by design: counted to show it). */
const TABLES = ['sent', 'eventbatches', 'followups', 'slackturns', 'progresswatches', 'snapshots', 'audit'];
const TEAMS = 'soak-teams';
/** Where the alerts go: nobody talks there, so every card in it came proactively. */
const ALERTS = 'soak-alerts';
const SLACK_DM = { team: 'T0LOCAL', user: 'U0SOAK', channel: 'D0SOAK' };
const SLACK_CHANNEL = { team: 'T0LOCAL', user: 'U0SOAK', channel: 'C0SOAK' };
const TURN_LIMIT_MS = 60_000;

type Op = 'teams turn' | 'slack turn' | 'alert (submit → card)';

interface Lane {
  backend: ComputeBackend;
  samples: Array<SoakSample & { atMin: number; rows: Record<string, number> }>;
  latencies: Array<{ op: Op; atMin: number; ms: number }>;
  errors: string[];
  lastFailures: string[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The child's next IPC message of `type`. */
function nextMessage<T>(child: ChildProcess, type: string, timeoutMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`soak host: no ${type} within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (m: { type?: string }) => {
      if (m?.type === type) done(undefined, m as T);
    };
    const onExit = (code: number | null) => done(new Error(`soak host exited (${code}) before ${type}`));
    function done(err?: Error, value?: T) {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (err) reject(err);
      else resolve(value as T);
    }
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

async function countRows(connectionString: string, table: string): Promise<number> {
  const client = TableClient.fromConnectionString(connectionString, table, { allowInsecureConnection: true });
  let n = 0;
  try {
    for await (const _ of client.listEntities({ queryOptions: { select: ['RowKey'] } })) n++;
  } catch {
    return -1; // not created yet
  }
  return n;
}

/** Least-squares slope of y over x. */
function slope(points: Array<[number, number]>): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const sxy = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  const sxx = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  return sxx === 0 ? 0 : sxy / sxx;
}

async function runLane(backend: ComputeBackend, simMinutes: number, lane: Lane): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), `soak-${backend}-`));
  const signingSecret = randomBytes(24).toString('hex');
  let slack: LocalSlack | undefined;
  let chat: ChatServer | undefined;
  let child: ChildProcess | undefined;
  try {
    slack = await startLocalSlack({ botToken: LOCAL_SLACK_TOKEN, signingSecret, port: 0 });
    const args: SoakHostArgs = {
      dataDir,
      backend,
      slackApiUrl: slack.apiUrl,
      slackSigningSecret: signingSecret,
      env: SOAK_ENV,
    };
    child = fork(join(__dirname, 'soak-host.js'), [JSON.stringify(args)], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const ready = await nextMessage<SoakHostReady>(child, 'ready', 180_000);
    slack.connect(ready.slackEvents);
    chat = await startChatServer({ dataDir: join(dataDir, 'chat'), port: 0, botUrl: ready.messages, log: () => {} });
    const started = Date.now();
    const atMin = () => (Date.now() - started) / SIM_MINUTE_MS;

    const teams = async (text: string, conversation = TEAMS): Promise<number> => {
      const t0 = Date.now();
      const res = await fetch(`${chat!.url}/api/conversations/${conversation}/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text, user: { id: 'ann', name: 'Ann' }, channel: 'msteams' }),
        signal: AbortSignal.timeout(TURN_LIMIT_MS),
      });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`teams "${text}": HTTP ${res.status}`);
      return Date.now() - t0;
    };
    const slackTurn = async (who: typeof SLACK_DM, text: string): Promise<number> => {
      const bots = () => slack!.fake.messages(who.channel).filter((m) => m.bot).length;
      const before = bots();
      const t0 = Date.now();
      const d = await slack!.say(who, text);
      if (d.status !== 200) throw new Error(`slack "${text}": HTTP ${d.status}`);
      while (bots() === before) {
        if (Date.now() - t0 > TURN_LIMIT_MS) throw new Error(`slack "${text}": no answer in ${TURN_LIMIT_MS} ms`);
        await sleep(50);
      }
      return Date.now() - t0;
    };
    const timed = (op: Op, run: () => Promise<number>) =>
      run().then(
        (ms) => {
          lane.latencies.push({ op, atMin: atMin(), ms });
        },
        (e: unknown) => {
          lane.errors.push(`${op}: ${e instanceof Error ? e.message : String(e)}`);
        },
      );

    await teams('subscribe --experiment default --states succeeded,failed', ALERTS);
    // Alerts: a submitted job's name → when it was submitted; the watcher matches proactive cards to names.
    const pending = new Map<string, number>();
    let watching = true;
    const watcher = (async () => {
      let after = 0;
      while (watching) {
        const { activities, last } = chat!.store.changes(ALERTS, after);
        after = last;
        for (const a of activities) {
          const text = activityToText(a);
          for (const [name, t0] of pending) {
            if (!text.includes(name)) continue;
            pending.delete(name);
            lane.latencies.push({ op: 'alert (submit → card)', atMin: atMin(), ms: Date.now() - t0 });
          }
        }
        await sleep(100);
      }
    })();

    const inFlight: Array<Promise<void>> = [];
    for (let m = 0; m < simMinutes; m++) {
      const minuteStart = started + m * SIM_MINUTE_MS;
      const at = async (offsetMs: number, run: () => Promise<void>) => {
        await sleep(Math.max(0, minuteStart + offsetMs - Date.now()));
        await run();
      };
      const submit = (name: string) => async () => {
        pending.set(name, Date.now());
        await timed('teams turn', () => teams(`submit hello seconds=2 --name ${name}`));
      };
      inFlight.push(
        at(0, submit(`soak${m}a`)),
        at(1000, () => timed('slack turn', () => slackTurn(SLACK_DM, 'jobs'))),
        at(2500, () => timed('teams turn', () => teams('jobs'))),
        at(5000, submit(`soak${m}b`)),
        at(6000, () => timed('slack turn', () => slackTurn(SLACK_CHANNEL, 'clusters'))),
        at(7500, () => timed('teams turn', () => teams(`resize cpu ${m % 2 === 0 ? 2 : 1}`))),
      );
      await sleep(Math.max(0, minuteStart + SIM_MINUTE_MS - 500 - Date.now()));
      child.send({ type: 'sample' });
      const sample = await nextMessage<SoakSample>(child, 'sample', 30_000);
      const rows: Record<string, number> = {};
      for (const t of TABLES) rows[t] = await countRows(ready.connectionString, t);
      lane.samples.push({ ...sample, atMin: m + 1, rows });
      if (process.env.SOAK_TRACE === '1') {
        const [rss, heap, ext] = [sample.rssMiB, sample.heapMiB, sample.externalMiB].map((v) => v.toFixed(0));
        const mem = `rss ${rss} heap ${heap} ext ${ext} engine rss ${sample.engineRssMiB.toFixed(0)}`;
        console.log(`  ${backend} min ${m + 1}: ${mem} handles ${sample.handles} fds ${sample.fds}`);
      }
      await sleep(Math.max(0, minuteStart + SIM_MINUTE_MS - Date.now()));
    }
    await Promise.all(inFlight);
    // The last minute's alerts: a little time to arrive.
    const tail = Date.now() + 30_000;
    while (pending.size > 0 && Date.now() < tail) await sleep(200);
    watching = false;
    await watcher;
    for (const name of pending.keys()) lane.errors.push(`alert for ${name} never came`);
  } finally {
    if (child && child.exitCode === null) {
      child.send({ type: 'stop' });
      const stopped = await nextMessage<{ lastFailures: string[] }>(child, 'stopped', 60_000).catch(() => undefined);
      lane.lastFailures = stopped?.lastFailures ?? [];
    }
    await chat?.stop();
    await slack?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function report(lane: Lane, simMinutes: number): void {
  const b = lane.backend;
  const quarter = (atMin: number) => Math.min(3, Math.floor((atMin / simMinutes) * 4));
  const realMin = (atMin: number) => atMin / SPEED;
  const last3 = lane.samples.filter((s) => quarter(s.atMin - 1) >= 1);
  const rssSlope = slope(last3.map((s) => [realMin(s.atMin), s.rssMiB]));
  const atQuarters = [0, 1, 2, 3].map((q) => lane.samples.filter((s) => quarter(s.atMin - 1) === q).at(-1));
  const first = lane.samples[0];
  const lastS = lane.samples.at(-1);
  record({
    name: `soak ${b}: host RSS slope, last 3/4`,
    value: Number(rssSlope.toFixed(2)),
    unit: 'MiB/min',
    note:
      `goal < 1; RSS ${first?.rssMiB.toFixed(0)} → ${lastS?.rssMiB.toFixed(0)} MiB over ${simMinutes} sim. min; ` +
      `JS heap ${atQuarters.map((q) => q?.heapMiB.toFixed(0)).join(' → ')} MiB, ` +
      `external ${atQuarters.map((q) => q?.externalMiB.toFixed(0)).join(' → ')} MiB`,
  });
  record({
    name: `soak ${b}: engine RSS at the end (not the product)`,
    value: Math.round(lastS?.engineRssMiB ?? -1),
    unit: 'MiB',
    note:
      `at each quarter ${atQuarters.map((q) => q?.engineRssMiB.toFixed(0)).join(' → ')} MiB; the local ` +
      'stand-in for the compute service, in its own process: it keeps every job it ran',
  });
  record({
    name: `soak ${b}: host handles at each quarter`,
    value: lastS?.handles ?? 0,
    unit: 'handles',
    note: `${atQuarters.map((s) => s?.handles).join(' → ')}; fds ${atQuarters.map((s) => s?.fds).join(' → ')}`,
  });
  const ops: Op[] = ['teams turn', 'slack turn', 'alert (submit → card)'];
  for (const op of ops) {
    const p99 = [0, 1, 2, 3].map((q) =>
      percentile(
        lane.latencies
          .filter((l) => l.op === op && quarter(l.atMin) === q)
          .map((l) => l.ms)
          .sort((x, y) => x - y),
        99,
      ),
    );
    const n = lane.latencies.filter((l) => l.op === op).length;
    record({
      name: `soak ${b}: ${op} p99, last quarter`,
      value: Number.isNaN(p99[3]!) ? -1 : Math.round(p99[3]!),
      unit: 'ms',
      note: `per quarter ${p99.map((v) => (Number.isNaN(v) ? '-' : Math.round(v))).join(' / ')} ms; ${n} in all`,
    });
  }
  for (const t of TABLES) {
    const series = atQuarters.map((s) => s?.rows[t] ?? -1);
    const max = Math.max(...lane.samples.map((s) => s.rows[t] ?? -1));
    record({
      name: `soak ${b}: ${t} rows at the end`,
      value: lastS?.rows[t] ?? -1,
      unit: 'rows',
      note: `at each quarter ${series.join(' → ')}; max ${max}`,
    });
  }
  record({
    name: `soak ${b}: errors`,
    value: lane.errors.length,
    unit: 'errors',
    note:
      `${lastS?.failures ?? 0} host log lines reporting a failure` +
      (lane.errors[0] ? `; first: ${lane.errors[0]}` : ''),
  });
  for (const e of lane.errors.slice(0, 8)) console.log(`  ${b}: ${e}`);
  for (const line of lane.lastFailures.slice(-3)) console.log(`  ${b} host: ${line}`);
}

export async function benchSoak(): Promise<void> {
  const realMinutes = Number(process.env.SOAK_MINUTES ?? 10);
  const simMinutes = Math.max(4, Math.round(realMinutes * SPEED));
  // One after the other by default: on a shared 2-CPU machine three stacks at once measure each other.
  const together = process.env.SOAK_TOGETHER === '1';
  console.log(
    `soak: ${realMinutes} real minutes at ×${SPEED} (${simMinutes} simulated minutes) per backend, ` +
      `${BACKENDS.join(', ')} ${together ? 'at once' : 'one after the other'}, each in its own host process`,
  );
  const lanes = BACKENDS.map(
    (backend): Lane => ({ backend, samples: [], latencies: [], errors: [], lastFailures: [] }),
  );
  const results: Array<PromiseSettledResult<void>> = [];
  if (together) results.push(...(await Promise.allSettled(lanes.map((l) => runLane(l.backend, simMinutes, l)))));
  else for (const l of lanes) results.push(...(await Promise.allSettled([runLane(l.backend, simMinutes, l)])));
  results.forEach((r, i) => {
    if (r.status === 'rejected') lanes[i]!.errors.unshift(`lane failed: ${String(r.reason)}`);
  });
  for (const lane of lanes) report(lane, simMinutes);
  const failed = results.filter((r) => r.status === 'rejected');
  const reasons = failed.map((r) => String((r as PromiseRejectedResult).reason));
  if (failed.length > 0) throw new Error(`soak: ${failed.length} backends failed: ${reasons.join('; ')}`);
}
