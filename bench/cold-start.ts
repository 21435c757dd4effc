// What a cold start costs: each figure is taken in fresh Node processes (bench/cold-start-child.ts) running
// the compiled entry point. Registering every function loads only @azure/functions; the naive way is the same
// entry point with every service graph (botbuilder, the storage SDKs, identity) required up front, as before.
// Then each function's first call in a fresh process, against a real Azurite and the local engine.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startAzurite } from '../local/azurite';
import { startEngine } from '../local/engine/index';
import { createBatchAiClient } from '../shared/batchai/client';
import { staticTokenCredential } from '../shared/http/credential';
import { percentile } from './measure';
import { record } from './report';

const run = promisify(execFile);
const CHILD = join(__dirname, 'cold-start-child.js');
const RUNS = 5;
const SUB = '00000000-0000-0000-0000-00000000c01d';
const FUNCTIONS = ['poll', 'health', 'notify', 'messages', 'followups', 'idle', 'expire-approvals'];
/** Functions whose first call must not load the chat SDK. */
const WITHOUT_CHAT_SDK = new Set(['poll', 'health']);

async function child(args: string[], env: Record<string, string>): Promise<Record<string, number>> {
  const { stdout } = await run(process.execPath, [CHILD, ...args], {
    env: { ...process.env, ...env },
    timeout: 120_000,
  });
  const last = stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(last) as Record<string, number>;
}

async function median(args: string[], env: Record<string, string>): Promise<{ ms: number; rssMiB: number }> {
  const runs: Array<Record<string, number>> = [];
  for (let i = 0; i < RUNS; i++) runs.push(await child(args, env));
  const of = (k: string) =>
    percentile(
      runs.map((r) => r[k]).sort((a, b) => a - b),
      50,
    );
  return { ms: of('ms'), rssMiB: of('rssMiB') };
}

export async function benchColdStart(): Promise<void> {
  const worker = {
    FUNCTIONS_WORKER_RUNTIME: 'node',
    COMPUTE_WORKSPACES: 'rg/ws',
    COMPUTE_SUBSCRIPTION_ID: SUB,
    AzureWebJobsStorage: 'UseDevelopmentStorage=true',
  };
  const lazy = await median(['register', 'lazy'], worker);
  const eager = await median(['register', 'eager'], worker);
  record({
    name: 'cold start: register functions',
    value: Math.round(lazy.ms),
    unit: 'ms',
    naive: Math.round(eager.ms),
    note: `median of ${RUNS} fresh processes; goal ≤ 300`,
  });
  record({
    name: 'cold start: process memory after registering',
    value: Math.round(lazy.rssMiB),
    unit: 'MiB',
    naive: Math.round(eager.rssMiB),
  });

  const dataDir = mkdtempSync(join(tmpdir(), 'bench-cold-start-'));
  const azurite = await startAzurite();
  try {
    const engine = await startEngine({ dataDir });
    try {
      const client = createBatchAiClient({
        endpoint: engine.url,
        subscriptionId: SUB,
        credential: staticTokenCredential('local-engine'),
      });
      await client.createWorkspace({ resourceGroup: 'rg', workspace: 'ws' }, { location: 'eastus' });
      const env = {
        COMPUTE_ARM_ENDPOINT: engine.url,
        COMPUTE_SUBSCRIPTION_ID: SUB,
        COMPUTE_WORKSPACES: 'rg/ws',
        COMPUTE_LOCAL_TOKEN: 'local-engine',
        AzureWebJobsStorage: azurite.connectionString,
      };
      for (const name of FUNCTIONS) {
        const { ms, botbuilderLoaded } = await child(['first-call', name], env);
        if (WITHOUT_CHAT_SDK.has(name) && botbuilderLoaded)
          throw new Error(
            `the first call of ${name} loaded botbuilder: its service graph should not need the chat SDK`,
          );
        record({
          name: `cold start: first call of ${name}`,
          value: Math.round(ms),
          unit: 'ms',
          note: 'fresh process: loads its services, opens its tables',
        });
      }
    } finally {
      await engine.stop();
    }
  } finally {
    await azurite.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
