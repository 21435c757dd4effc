// The Functions dev host: runs the same FunctionDefinitions Azure would (functions/*.ts), without Azure
// Functions Core Tools (which cannot be installed here). Timers on their NCRONTAB schedule or a local
// interval, queue triggers on a real Storage queue with retries and a poison queue, HTTP on 127.0.0.1.
import { randomBytes } from 'node:crypto';
import type { FunctionDefinition } from '../../functions/definition';
import { InputError } from '../../shared/errors';
import { queueSettings } from './host-json';
import { startHttpServer } from './http-server';
import { InFlight, type HostLog } from './invocation';
import { startQueueListener, type QueueRunner } from './queue-trigger';
import { startTimerLease, type LeaseOptions, type TimerLease } from './timer-lease';
import { startTimer, type TimerRunner } from './timer-trigger';

export { readHostJson } from './host-json';
export { encodeQueueMessage } from './queue-message';

export interface FunctionsHostOptions {
  definitions: FunctionDefinition[];
  /** AzureWebJobsStorage: where queue triggers listen. Needed only if there is a queue trigger. */
  connectionString?: string;
  /** Default 7071, as Core Tools; 0 = any free port. */
  httpPort?: number;
  /** Parsed host.json (see readHostJson); `extensions.queues` is honoured. */
  hostJson?: unknown;
  /** The key HTTP functions of authLevel `function` ask for (default: a random one, see FunctionsHost). */
  functionKey?: string;
  /**
   * Each timer runs on one instance of the app at a time, through a blob lease as Azure's singleton lock
   * (timer-lease.ts); needs connectionString. Absent: every timer runs here (one local instance).
   */
  timerLease?: Omit<LeaseOptions, 'connectionString' | 'log'>;
  /** Timer name → interval in ms, replacing its schedule (POLL_INTERVAL_SECONDS locally). */
  timerOverrides?: Record<string, number>;
  log?: HostLog;
}

export interface FunctionsHost {
  /** http://127.0.0.1:PORT; HTTP functions are under `${url}/api/<route>`. */
  url: string;
  /** What `x-functions-key` (or `?code=`) must say for a function of authLevel `function`. */
  functionKey: string;
  /** Stops timers and queue polling, waits for running invocations to finish, closes the HTTP server. */
  stop(): Promise<void>;
}

function byTrigger<T extends FunctionDefinition['trigger']['type']>(defs: FunctionDefinition[], type: T) {
  return defs.filter((d): d is Extract<FunctionDefinition, { trigger: { type: T } }> => d.trigger.type === type);
}

export async function startFunctionsHost(opts: FunctionsHostOptions): Promise<FunctionsHost> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const names = new Set<string>();
  for (const d of opts.definitions) {
    if (names.has(d.name))
      throw new InputError('DuplicateFunction', `Two functions are named "${d.name}": names must be unique.`);
    names.add(d.name);
  }
  for (const name of Object.keys(opts.timerOverrides ?? {})) {
    const ms = opts.timerOverrides![name];
    if (!byTrigger(opts.definitions, 'timer').some((d) => d.name === name)) {
      throw new InputError('UnknownTimer', `timerOverrides names "${name}", which is not a timer function.`);
    }
    if (!Number.isFinite(ms) || ms < 10)
      throw new InputError('TimerOverrideInvalid', `timerOverrides.${name}=${ms}: expected milliseconds ≥ 10.`);
  }
  const queues = byTrigger(opts.definitions, 'queue');
  if (opts.timerLease && !opts.connectionString) {
    throw new InputError(
      'ConfigMissing',
      'timerLease needs connectionString (AzureWebJobsStorage), where the locks are.',
    );
  }
  if (queues.length > 0 && !opts.connectionString) {
    throw new InputError(
      'ConfigMissing',
      `Queue functions (${queues.map((q) => q.name).join(', ')}) need connectionString (AzureWebJobsStorage).`,
    );
  }
  const settings = queueSettings(opts.hostJson ?? {});
  const inFlight = new InFlight();
  const functionKey = opts.functionKey ?? randomBytes(24).toString('base64url');
  if (!/^[\w-]{16,}$/.test(functionKey)) {
    throw new InputError('ConfigInvalid', 'functionKey: expected at least 16 letters, digits, - or _.');
  }

  const http = await startHttpServer(byTrigger(opts.definitions, 'http'), {
    port: opts.httpPort ?? 7071,
    log,
    inFlight,
    functionKey,
  });
  const queueRunners: QueueRunner[] = [];
  const timers: TimerRunner[] = [];
  const leases: TimerLease[] = [];
  const stopTriggers = () => {
    timers.forEach((t) => t.stop());
    queueRunners.forEach((q) => q.stop());
  };
  const releaseLeases = () => Promise.allSettled(leases.map((l) => l.stop()));
  try {
    for (const def of queues) {
      queueRunners.push(
        await startQueueListener(def, { connectionString: opts.connectionString!, settings, log, inFlight }),
      );
    }
    for (const def of byTrigger(opts.definitions, 'timer')) {
      const lease =
        opts.timerLease &&
        (await startTimerLease(def.name, { ...opts.timerLease, connectionString: opts.connectionString!, log }));
      if (lease) leases.push(lease);
      timers.push(
        startTimer(def, { overrideMs: opts.timerOverrides?.[def.name], log, inFlight, ...(lease ? { lease } : {}) }),
      );
    }
  } catch (e) {
    stopTriggers();
    await releaseLeases();
    await http.close();
    throw e;
  }

  let stopping: Promise<void> | undefined;
  return {
    url: http.url,
    functionKey,
    stop() {
      stopping ??= (async () => {
        stopTriggers();
        await http.close();
        await inFlight.drain();
        // After the running invocations: a timer's run ends before another instance may take it over.
        await releaseLeases();
      })();
      return stopping;
    },
  };
}
