// The soak's functions host (bench/soak.ts forks one per backend): the local default stack (local/start.ts: the
// Functions dev host with every timer and queue function) without the local chat and Slack, which run in the
// driver, and with Azurite and the engine in child processes of their own (local/azurite.ts, engine-child.ts), so
// this process's memory is the functions host's alone. It answers the driver's `sample` with its RSS and open
// handles (and the engine's RSS, to show the stand-in's growth apart), and `stop` by stopping the stack.
import { readdirSync } from 'node:fs';
import { startLocalStack, type LocalStack } from '../local/start';
import { startEngineChild, type EngineChild } from './engine-child';

export interface SoakHostArgs {
  dataDir: string;
  backend: string;
  slackApiUrl: string;
  slackSigningSecret: string;
  /** Settings over the local defaults (RETENTION, HOUSEKEEPING_SCHEDULE: the compressed clock's). */
  env: Record<string, string>;
}

export interface SoakHostReady {
  type: 'ready';
  messages: string;
  slackEvents: string;
  connectionString: string;
}

export interface SoakSample {
  type: 'sample';
  rssMiB: number;
  heapMiB: number;
  /** Memory of Buffers and other objects outside the JS heap. */
  externalMiB: number;
  handles: number;
  fds: number;
  /** Host log lines that said something failed, since the start. */
  failures: number;
  /** The engine process's RSS: the local stand-in for the compute service, not the product. */
  engineRssMiB: number;
}

/** Lines the host logged that report a failure: counted, and the last few kept (not all: they would be a leak). */
const FAILED = /fail|error|poison/i;
const KEEP_LINES = 20;

async function main(): Promise<void> {
  const args = JSON.parse(process.argv[2] ?? '{}') as SoakHostArgs;
  let failures = 0;
  const lastFailures: string[] = [];
  let stack: LocalStack | undefined;
  let engine: EngineChild | undefined;
  stack = await startLocalStack({
    dataDir: args.dataDir,
    azuriteInMemory: true,
    startEngine: async (opts) => (engine = await startEngineChild(opts)),
    externalChat: { slackApiUrl: args.slackApiUrl, slackSigningSecret: args.slackSigningSecret },
    env: { ...process.env, ...args.env, COMPUTE_BACKEND: args.backend },
    log: (line) => {
      if (!FAILED.test(line)) return;
      failures++;
      lastFailures.push(line.slice(0, 300));
      if (lastFailures.length > KEEP_LINES) lastFailures.shift();
    },
  });
  const ready: SoakHostReady = {
    type: 'ready',
    messages: stack.urls.messages,
    slackEvents: `${stack.urls.functions}/api/slack/events`,
    connectionString: stack.config.storage.connectionString,
  };
  process.send?.(ready);
  process.on('message', (m: { type: string }) => {
    if (m.type === 'sample') {
      const mem = process.memoryUsage();
      const own = {
        type: 'sample',
        rssMiB: mem.rss / 2 ** 20,
        heapMiB: mem.heapUsed / 2 ** 20,
        externalMiB: mem.external / 2 ** 20,
        handles: process.getActiveResourcesInfo().length,
        fds: readdirSync('/proc/self/fd').length,
        failures,
      } as const;
      void engine!.rssMiB().then(
        (engineRssMiB) => process.send?.({ ...own, engineRssMiB } satisfies SoakSample),
        () => process.send?.({ ...own, engineRssMiB: Number.NaN } satisfies SoakSample),
      );
    } else if (m.type === 'stop') {
      const s = stack;
      stack = undefined;
      void (s ? s.stop() : Promise.resolve()).finally(() => {
        process.send?.({ type: 'stopped', lastFailures });
        process.exit(0);
      });
    }
  });
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exit(1);
});
