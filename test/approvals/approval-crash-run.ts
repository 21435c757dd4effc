// The approval crash scenario shared by its test (test/approvals/approval-crash.test.ts) and `npm run bench --
// chaos`, so that the figures the bench prints come from the runs the test proves. Ada asks for a resize above
// the threshold; Bob approves it on a host killed at a step of the approval (approve → the `approved` write that
// claims it → the resize → the outcome written → the cards), through the chaos fault plan (local/harness/chaos)
// in front of the dying bot's compute port and Table requests; then a fresh host's `expire-approvals` pass, once
// the run is long over. Executions are counted at the compute port, below the faults, so that a resize whose
// answer the kill cut off still counts.
import { HttpRequest, InvocationContext } from '@azure/functions';
import type { Activity } from 'botbuilder';
import { createBotServices, type BotServices } from '../../bot/create-bot-services';
import { createMessagesHandler } from '../../functions/messages';
import { draw, FaultPlan, HostDied } from '../../local/harness/chaos/fault-plan';
import { faultyCompute, faultyTablePolicy } from '../../local/harness/chaos/faulty-ports';
import { buttonCommands, cardText, message, startBotStack, WS, type BotStack } from '../../local/harness/bot-stack';
import type { ApprovalState } from '../../shared/core/approval-policy';
import type { ComputeBackend } from '../../shared/compute/model';
import type { ComputePort } from '../../shared/compute/port';
import { createApprovalExpiry } from '../../shared/services/approval-expiry';
import { createStores } from '../../shared/storage';

const ADA = { id: 'user-ada', name: 'Ada' };
const BOB = { id: 'user-bob', name: 'Bob' };
const NOTHING_CHANGED = /nothing was changed/;

export interface ApprovalRun {
  seed: number;
  conversation: string;
  /** Where the host died ('approval/point'), or undefined when it was not killed. */
  diedAt?: string;
  /** The dying host's instrumented calls, its start included: no kill step lands past them. */
  steps: number;
  /** Of those, the approval's calls a kill counts (listings aside): a kill past the last lands at its end. */
  killable: number;
  /** Resize requests that reached the engine. */
  runs: number;
  state: ApprovalState;
  error?: string;
  /** Approvals the later `expire-approvals` pass settled. */
  settled: number;
  /** The cluster has the size the approval asked for. */
  resized: boolean;
  /** The conversation that asked was told nothing was changed. */
  told: boolean;
}

/**
 * What an approval ended as. The rules: executed once with its resize there; failed with nothing run, nothing
 * changed, and the asker told so; or still pending with nothing run (Bob may approve again). Anything else (failed
 * but resized, executed without its resize, left 'approved') is broken.
 */
export type ApprovalOutcome = 'executed' | 'failed' | 'pending' | 'broken';

export function outcomeOf(r: ApprovalRun): ApprovalOutcome {
  if (r.state === 'executed' && r.runs === 1 && r.resized) return 'executed';
  if (r.state === 'failed' && r.runs === 0 && !r.resized && NOTHING_CHANGED.test(r.error ?? '') && r.told)
    return 'failed';
  if (r.state === 'pending' && r.runs === 0 && !r.resized) return 'pending';
  return 'broken';
}

export interface ApprovalCrashCounts {
  runs: number;
  /** Runs whose host died (each is killed once). */
  kills: number;
  /** Approvals whose resize reached the engine more than once. */
  twice: number;
  executed: number;
  failed: number;
  pending: number;
  /** Runs the later pass settled (an approval the dead host left 'approved'). */
  settled: number;
  broken: number;
  /** The broken runs, to replay: 'seed@diedAt: state, runs, resized'. */
  brokenRuns: string[];
  /** How many kills landed at each point. */
  where: Map<string, number>;
}

export function tally(results: ApprovalRun[]): ApprovalCrashCounts {
  const c: ApprovalCrashCounts = {
    runs: results.length,
    kills: 0,
    twice: 0,
    executed: 0,
    failed: 0,
    pending: 0,
    settled: 0,
    broken: 0,
    brokenRuns: [],
    where: new Map(),
  };
  for (const r of results) {
    if (r.diedAt) c.kills++;
    if (r.runs > 1) c.twice++;
    if (r.settled) c.settled++;
    const outcome = outcomeOf(r);
    c[outcome]++;
    if (outcome === 'broken') c.brokenRuns.push(`${r.seed}@${r.diedAt}: ${r.state}, ${r.runs} runs, ${r.resized}`);
    const at = r.diedAt ?? 'no kill';
    c.where.set(at, (c.where.get(at) ?? 0) + 1);
  }
  return c;
}

export interface ApprovalCrashLab {
  backend: ComputeBackend;
  stack: BotStack;
  /** One approval on a host killed at `step` of it (not killed when undefined). */
  run(seed: number, step?: number): Promise<ApprovalRun>;
  stop(): Promise<void>;
}

export async function startApprovalCrashLab(backend: ComputeBackend): Promise<ApprovalCrashLab> {
  const stack = await startBotStack({ nodes: 2, resizeApprovalThreshold: 3, backend });
  let n = 0;
  let executions = 0;

  function post(bot: BotServices, from: typeof ADA, conversationId: string, text: string) {
    const a = message(conversationId, '', stack.channel.serviceUrl, { from, value: { command: text } });
    const request = new HttpRequest({
      method: 'POST',
      url: 'http://127.0.0.1/api/messages',
      headers: { 'content-type': 'application/json' },
      body: { string: JSON.stringify(a) },
    });
    return { id: a.id!, done: createMessagesHandler(async () => bot)(request, new InvocationContext()) };
  }

  /** A bot whose compute port and Table requests go through `plan` (a fresh one: the restarted host). */
  async function host(plan: FaultPlan): Promise<BotServices> {
    const base = stack.services.deps.compute;
    const counting: ComputePort = {
      ...base,
      async scaleCluster(...args: Parameters<ComputePort['scaleCluster']>) {
        const r = await base.scaleCluster(...args);
        executions++;
        return r;
      },
    };
    const stores = await createStores(stack.config.storage, { tablePolicies: [faultyTablePolicy(plan)] });
    return createBotServices(stack.config, { compute: faultyCompute(counting, plan), stores, log: () => {} });
  }

  async function run(seed: number, step?: number): Promise<ApprovalRun> {
    const c = `approval-crash-${++n}`;
    const before = (await stack.services.deps.compute.getCluster({ ...WS, cluster: 'gpu' })).scale;
    // Each run asks for a size the cluster does not have, so that its resize shows.
    const nodes = before.mode === 'manual' && before.targetNodeCount === 5 ? 6 : 5;
    const ask = post(stack.services, ADA, c, `resize gpu ${nodes}`);
    await ask.done;
    const request = await stack.channel.waitFor(c, (r: Partial<Activity>) => r.replyToId === ask.id);
    const id = buttonCommands(request)
      .find((b) => b.startsWith('approve '))!
      .split(' ')[1]!;
    const plan = new FaultPlan({
      seed,
      ...(step === undefined ? {} : { kill: { phase: 'approval', ordinal: 0, step } }),
    });
    const dying = await host(plan);
    const counted = executions;
    await plan
      .phase('approval', async () => {
        const approve = post(dying, BOB, c, `approve ${id}`);
        await approve.done;
      })
      .catch((e: unknown) => {
        if (!(e instanceof HostDied)) throw e;
      });
    // Later (past the cut-off), a fresh host's expire-approvals pass.
    const expiry = createApprovalExpiry({
      stores: stack.services.deps.stores,
      sender: stack.services.deps.sender,
      compute: stack.services.deps.compute,
      log: () => {},
    });
    const report = await expiry.run(new Date(Date.now() + 11 * 60_000));
    const row = (await stack.services.deps.stores.approvals.get(id))!.value;
    const after = (await stack.services.deps.compute.getCluster({ ...WS, cluster: 'gpu' })).scale;
    return {
      seed,
      conversation: c,
      diedAt: plan.diedAt,
      steps: plan.trace.length,
      killable: plan.trace.filter((t) => t.startsWith('approval#0 ') && !t.includes(' compute.list')).length,
      runs: executions - counted,
      state: row.state,
      error: row.error,
      settled: report.settled ?? 0,
      resized: after.mode === 'manual' && after.targetNodeCount === nodes,
      told: stack.channel.activities(c).some((a) => NOTHING_CHANGED.test(cardText(a))),
    };
  }

  return { backend, stack, run, stop: () => stack.stop() };
}

/**
 * The bench's approval crash runs: a run without a kill to learn the approval's calls, then `runs` runs of seeds
 * seed, seed + 1…, each killed at a step its seed draws (at a call, or past the last one: at the approval's end).
 * `bound` wraps each run (the bench's time limit).
 */
export async function approvalCrashRuns(
  lab: ApprovalCrashLab,
  opts: { seed: number; runs: number },
  bound: (seed: number, run: () => Promise<ApprovalRun>) => Promise<ApprovalRun> = (_, run) => run(),
): Promise<ApprovalCrashCounts> {
  const whole = await bound(opts.seed, () => lab.run(opts.seed));
  // Without a kill the scenario itself is wrong: no kill run would say anything.
  if (outcomeOf(whole) !== 'executed')
    throw new Error(`approval without a kill (seed ${opts.seed}) ended ${whole.state}, ${whole.runs} runs`);
  const results: ApprovalRun[] = [];
  for (let i = 0; i < opts.runs; i++) {
    const seed = opts.seed + i;
    const step = Math.floor(draw(seed, 'approval step') * (whole.killable + 1));
    results.push(await bound(seed, () => lab.run(seed, step)));
  }
  return tally(results);
}
