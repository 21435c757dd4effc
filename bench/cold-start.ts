// What a cold start costs: each figure is taken in fresh Node processes (bench/cold-start-child.ts) running
// from the deploy package as `npm run package` stages it (its dist/ and pruned node_modules, what a Flex
// instance unpacks). Registering every function loads only @azure/functions; the naive way is the same
// entry point with every service graph (botbuilder, the storage SDKs, identity) required up front, as before.
// Then each function's first call in a fresh process (median of 5), against a real Azurite and the local engine.
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startAzurite } from '../local/azurite';
import { startEngine } from '../local/engine/index';
import { createBatchAiClient } from '../shared/batchai/client';
import { staticTokenCredential } from '../shared/http/credential';
import { stageApp } from '../tools/package/app-package';
import { percentile } from './measure';
import { record } from './report';

const run = promisify(execFile);
const RUNS = 5;
const SUB = '00000000-0000-0000-0000-00000000c01d';
const FUNCTIONS = ['poll', 'health', 'notify', 'messages', 'slack', 'followups', 'idle', 'expire-approvals'];
/** Functions whose first call must not load the chat SDK (Slack's acknowledgement: neither botbuilder nor bolt). */
const WITHOUT_CHAT_SDK = new Set(['poll', 'health', 'slack']);
/** The goal for the first call of the chat endpoints (Slack acknowledges within 3 s; Teams invokes within 5 s). */
const CHAT_GOAL_MS = 700;

let child_ = '';

async function child(args: string[], env: Record<string, string>): Promise<Record<string, number>> {
  const { stdout } = await run(process.execPath, [child_, ...args], {
    env: { ...process.env, ...env },
    timeout: 120_000,
  });
  const last = stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(last) as Record<string, number>;
}

/** The median of RUNS fresh processes per figure, and the runs' `ms` (the spread on a busy machine). */
async function median(
  args: string[],
  env: Record<string, string>,
): Promise<{ figures: Record<string, number>; runs: number[] }> {
  const runs: Array<Record<string, number>> = [];
  for (let i = 0; i < RUNS; i++) runs.push(await child(args, env));
  const of = (k: string) =>
    percentile(
      runs.map((r) => r[k]).sort((a, b) => a - b),
      50,
    );
  return {
    figures: Object.fromEntries(Object.keys(runs[0]).map((k) => [k, of(k)])),
    runs: runs.map((r) => Math.round(r.ms)).sort((a, b) => a - b),
  };
}

export async function benchColdStart(): Promise<void> {
  // The deploy package, staged as `npm run package` stages it; this bench's child runs from its dist/bench/.
  const pkg = mkdtempSync(join(tmpdir(), 'bench-package-'));
  try {
    stageApp(pkg, { installDependencies: true });
    mkdirSync(join(pkg, 'dist', 'bench'), { recursive: true });
    child_ = join(pkg, 'dist', 'bench', 'cold-start-child.js');
    copyFileSync(join(__dirname, 'cold-start-child.js'), child_);
    await measure();
  } finally {
    rmSync(pkg, { recursive: true, force: true });
  }
}

async function measure(): Promise<void> {
  const worker = {
    FUNCTIONS_WORKER_RUNTIME: 'node',
    COMPUTE_WORKSPACES: 'rg/ws',
    COMPUTE_SUBSCRIPTION_ID: SUB,
    AzureWebJobsStorage: 'UseDevelopmentStorage=true',
  };
  const lazy = (await median(['register', 'lazy'], worker)).figures;
  const eager = (await median(['register', 'eager'], worker)).figures;
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
        SLACK_SIGNING_SECRET: 'bench-signing-secret',
        SLACK_BOT_TOKEN: 'xoxb-bench',
      };
      for (const name of FUNCTIONS) {
        const { figures, runs } = await median(['first-call', name], env);
        const { ms, cpuMs, botbuilderLoaded, boltLoaded } = figures;
        if (WITHOUT_CHAT_SDK.has(name) && (botbuilderLoaded || boltLoaded))
          throw new Error(
            `the first call of ${name} loaded botbuilder or bolt: its service graph should not need a chat SDK`,
          );
        const chat = name === 'messages' || name === 'slack';
        record({
          name: `cold start: first call of ${name}`,
          value: Math.round(ms),
          unit: 'ms',
          note:
            `median of ${RUNS} fresh processes from the deploy package: loads its services, opens its tables` +
            (chat ? `; goal ≤ ${CHAT_GOAL_MS}; runs ${runs.join(', ')}; CPU ${Math.round(cpuMs)} ms` : ''),
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
