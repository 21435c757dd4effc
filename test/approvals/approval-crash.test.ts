// Approvals killed at every step of their execution (approve → the `approved` write that claims it → the resize
// → the outcome written → the cards), through the chaos fault plan (local/harness/chaos) in front of the dying
// bot's compute port and Table requests; then a fresh host's `expire-approvals` pass, once the run is long over.
// Executions are counted at the compute port, below the faults: each approval runs at most once, and each ends
// executed (its resize is there) or failed saying nothing was changed, never left `approved`.
import { HttpRequest, InvocationContext } from '@azure/functions';
import type { Activity } from 'botbuilder';
import { createBotServices, type BotServices } from '../../bot/create-bot-services';
import { createMessagesHandler } from '../../functions/messages';
import { draw, FaultPlan, HostDied } from '../../local/harness/chaos/fault-plan';
import { faultyCompute, faultyTablePolicy } from '../../local/harness/chaos/faulty-ports';
import { buttonCommands, cardText, message, startBotStack, WS, type BotStack } from '../../local/harness/bot-stack';
import type { ComputeBackend } from '../../shared/compute/model';
import type { ComputePort } from '../../shared/compute/port';
import { createApprovalExpiry } from '../../shared/services/approval-expiry';
import { createStores } from '../../shared/storage';
import { useStarted } from '../support/use-started';

const ADA = { id: 'user-ada', name: 'Ada' };
const BOB = { id: 'user-bob', name: 'Bob' };
const SEED = Number(process.env.CHAOS_SEED ?? 2126);

describe.each<ComputeBackend>(['batchai', 'azurebatch', 'azureml'])('on %s', (backend) => {
  const started = useStarted(
    'bot stack',
    () => startBotStack({ nodes: 2, resizeApprovalThreshold: 3, backend }),
    (s) => s.stop(),
  );
  let stack: BotStack;
  beforeAll(() => {
    stack = started.current;
  });

  let n = 0;
  /** Resize requests that reached the engine, below the faults. */
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

  /** Ada asks for a resize above the threshold; Bob approves it on a host killed at `step` of the approval. */
  async function run(seed: number, step: number | undefined) {
    const c = `approval-crash-${++n}`;
    const before = (await stack.services.deps.compute.getCluster({ ...WS, cluster: 'gpu' })).scale;
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
      conversation: c,
      diedAt: plan.diedAt,
      steps: plan.trace.length,
      runs: executions - counted,
      state: row.state,
      error: row.error,
      settled: report.settled ?? 0,
      resized: after.mode === 'manual' && after.targetNodeCount === nodes,
    };
  }

  test('an approval killed at any step runs at most once, then ends executed or failed (nothing changed)', async () => {
    const whole = await run(SEED, undefined);
    expect(whole).toMatchObject({ runs: 1, state: 'executed', resized: true, settled: 0 });
    // A kill at a call lands before it or after it (its effect happened, its answer lost), as the seed draws: two
    // seeds that differ at the resize, so that both sides of it are covered.
    const seeds = [SEED, SEED + 1, SEED + 2, SEED + 3].filter(
      (s, i, all) =>
        all.findIndex(
          (o) => draw(o, 'after|compute.scaleCluster') < 0.5 === draw(s, 'after|compute.scaleCluster') < 0.5,
        ) === i,
    );
    expect(seeds).toHaveLength(2);
    const outcomes = new Set<string>();
    for (const seed of seeds) {
      for (let step = 0; step < whole.steps; step++) {
        const r = await run(seed, step);
        expect(r.diedAt).toBeDefined();
        expect(r.runs).toBeLessThanOrEqual(1);
        expect(['executed', 'failed', 'pending']).toContain(r.state);
        if (r.state === 'executed') expect({ runs: r.runs, resized: r.resized }).toEqual({ runs: 1, resized: true });
        if (r.state === 'failed') {
          expect({ runs: r.runs, resized: r.resized }).toEqual({ runs: 0, resized: false });
          expect(r.error).toMatch(/nothing was changed/);
          // The conversation that asked is told.
          const told = stack.channel.activities(r.conversation).some((a) => /nothing was changed/.test(cardText(a)));
          expect(told).toBe(true);
        }
        // Killed before the approve was written: still pending, nothing ran (Bob may approve again).
        if (r.state === 'pending') expect(r.runs).toBe(0);
        outcomes.add(`${r.state}${r.settled ? ' (settled by the later pass)' : ''}`);
        if (r.diedAt?.endsWith('/end')) break; // past its last call
      }
    }
    expect([...outcomes].sort()).toEqual([
      'executed',
      'executed (settled by the later pass)',
      'failed (settled by the later pass)',
      'pending',
    ]);
  }, 120_000);
});
