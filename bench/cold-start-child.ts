// One measurement in a fresh Node process (run by bench/cold-start.ts), printed as one JSON line:
// - `register lazy`: require the deployed entry point under the Functions worker's setting, which registers
//   every function (what a cold start of a Flex instance pays before its first invocation);
// - `register eager`: the same, with every service graph required first, as functions/index.ts did before
//   the graphs became lazy (the naive way);
// - `first-call <function>`: define the functions from the environment's config and time that function's first
//   invocation (loading its service graph, opening its tables, doing its work) against the running stack.
// bench/cold-start.ts runs this file from inside the staged deploy package (its dist/bench/), so every require
// resolves into the package's own dist/ and pruned node_modules, as on a Flex instance.
import { createHmac } from 'node:crypto';
import { join, sep } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { InvocationContext, Timer } from '@azure/functions';
import type { FunctionDefinition } from '../functions/definition';

// Required where used, never above the clock's start: a module loaded here would hide its cost from `register`.
const functionsSdk = () => require('@azure/functions') as typeof import('@azure/functions');

const timer: Timer = {
  isPastDue: false,
  schedule: { adjustForDST: false },
  scheduleStatus: { last: '', next: '', lastUpdated: '' },
};

/** An input each function accepts and handles to the end without a chat channel: nothing is sent anywhere. */
function firstInput(def: FunctionDefinition): { input: unknown; context: InvocationContext } {
  const { HttpRequest, InvocationContext } = functionsSdk();
  const context = new InvocationContext({
    functionName: def.name,
    triggerMetadata: { id: 'bench-1' },
    logHandler: () => undefined,
  });
  const at = new Date().toISOString();
  const workspace = { resourceGroup: 'rg', workspace: 'ws' };
  switch (def.name) {
    // A batch that is not stored: the notifier reads it, finds it gone, and is done.
    case 'notify':
      return {
        context,
        input: {
          v: 2,
          batchId: 'bench-gone',
          workspace,
          tickAt: at,
          count: 0,
          ref: { table: 'eventbatches', chunks: 1 },
        },
      };
    // A follow-up whose card row does not exist: superseded, nothing to update.
    case 'followups':
      return {
        context,
        input: {
          v: 1,
          chain: 'bench',
          seq: 0,
          conversationId: 'bench',
          activityId: 'bench',
          key: '',
          deadline: at,
          target: { kind: 'job', job: { ...workspace, experiment: 'exp', job: 'bench' }, headline: 'submit' },
        },
      };
    // The bot added to a conversation: the turn saves it and answers nothing.
    case 'messages':
      return {
        context,
        input: new HttpRequest({
          method: 'POST',
          url: 'http://127.0.0.1/api/messages',
          headers: { 'content-type': 'application/json' },
          body: {
            string: JSON.stringify({
              type: 'conversationUpdate',
              id: 'u1',
              channelId: 'webchat',
              serviceUrl: 'http://127.0.0.1:9',
              conversation: { id: 'bench' },
              from: { id: 'u' },
              recipient: { id: 'bot' },
            }),
          },
        }),
      };
    // A mention in a Slack channel, signed as Slack signs it: verified, left in the inbox, acknowledged.
    case 'slack': {
      const body = JSON.stringify({
        type: 'event_callback',
        team_id: 'T0BENCH',
        event_id: `EvBench${process.pid}`,
        event: { type: 'app_mention', user: 'U0BENCH', channel: 'C0BENCH', text: '<@U0BOT> help', ts: '1.000001' },
      });
      const ts = String(Math.floor(Date.now() / 1000));
      const secret = process.env.SLACK_SIGNING_SECRET ?? '';
      const signature = `v0=${createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex')}`;
      return {
        context,
        input: new HttpRequest({
          method: 'POST',
          url: 'http://127.0.0.1/api/slack/events',
          headers: {
            'content-type': 'application/json',
            'x-slack-request-timestamp': ts,
            'x-slack-signature': signature,
          },
          body: { string: body },
        }),
      };
    }
    case 'health':
      return { context, input: new HttpRequest({ method: 'GET', url: 'http://127.0.0.1/api/health' }) };
    default:
      return { context, input: timer };
  }
}

async function main(argv: string[]): Promise<Record<string, number>> {
  const [what, arg] = argv;
  const t0 = performance.now();
  if (what === 'register') {
    if (!process.env.FUNCTIONS_WORKER_RUNTIME)
      throw new Error(
        'register: expected FUNCTIONS_WORKER_RUNTIME to be set (the entry point registers only under the worker)',
      );
    if (arg === 'eager') {
      require('../functions/backend-services');
      require('../functions/services');
    } else if (arg !== 'lazy') {
      throw new Error(`register ${arg}: expected lazy or eager`);
    }
    require('../functions/index');
    return { ms: performance.now() - t0, rssMiB: process.memoryUsage().rss / 2 ** 20 };
  }
  if (what === 'first-call') {
    const { createDefinitions } = require('../functions/index') as typeof import('../functions/index');
    const { loadConfig } = require('../shared/config') as typeof import('../shared/config');
    const def = createDefinitions(loadConfig()).find((d) => d.name === arg);
    if (!def) throw new Error(`first-call ${arg}: no such function`);
    const { input, context } = firstInput(def);
    const t1 = performance.now();
    // CPU time beside wall time: on a shared machine the wall clock also counts the other processes' turns.
    const cpu0 = process.cpuUsage();
    // The union's handlers each take their own trigger input; firstInput made the one this function takes.
    const result: unknown = await (def.handler as (i: unknown, c: InvocationContext) => Promise<unknown>)(
      input,
      context,
    );
    const status = (result as { status?: number } | undefined)?.status;
    if (status !== undefined && status >= 400) throw new Error(`first-call ${arg}: answered ${status}`);
    const ms = performance.now() - t1;
    const cpu = process.cpuUsage(cpu0);
    const loaded = (name: string) =>
      Object.keys(require.cache).some((k) => k.includes(`${sep}node_modules${sep}${name}${sep}`)) ? 1 : 0;
    return {
      ms,
      cpuMs: (cpu.user + cpu.system) / 1000,
      botbuilderLoaded: loaded('botbuilder'),
      boltLoaded: loaded(join('@slack', 'bolt')),
    };
  }
  throw new Error(`expected register lazy|eager or first-call <function>, got ${argv.join(' ')}`);
}

main(process.argv.slice(2)).then(
  (r) => {
    process.stdout.write(`${JSON.stringify(r)}\n`);
    process.exit(0);
  },
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  },
);
