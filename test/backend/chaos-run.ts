// The chaos harness shared by the integration test (test/backend/chaos.test.ts) and `npm run bench -- chaos`:
// on a real stack (Azurite, the engine, the fake channel), job transitions happen in steps while a functions
// host polls and notifies through the seeded fault plan (local/harness/chaos): in a crash run the host is
// killed at a seeded step of a poll tick or a notify batch, and a fresh set of services on the same storage (the
// restart) carries on; in a fault run a share of its calls fail. Then a fault-free host runs until nothing is
// left, and the run counts what reached the channel against the jobs that exist. The idle, two-instance and
// follow-up runs do the same for an idle pass, two hosts on one storage, and the steps of followed job cards.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BlobServiceClient } from '@azure/storage-blob';
import { QueueClient } from '@azure/storage-queue';
import { decodeQueueMessage } from '../../local/functions-host/queue-message';
import { LOCKS_CONTAINER, lockBlobName, startTimerLease } from '../../local/functions-host/timer-lease';
import { draw, FaultPlan, HostDied, type Kill } from '../../local/harness/chaos/fault-plan';
import {
  faultyCardSender,
  faultyCompute,
  faultyEvents,
  faultyFollowUps,
  faultySender,
  faultyTablePolicy,
} from '../../local/harness/chaos/faulty-ports';
import { createBot } from '../../bot/bot';
import type { BotDeps } from '../../bot/deps';
import { createFollowUpStep, type FollowUpOutcome, type FollowUpStep } from '../../bot/follow-up-step';
import type { ChatBot } from '../../bot/transport';
import type { Services } from '../../functions/services';
import type { ComputeBackend } from '../../shared/compute/model';
import type { ComputePort } from '../../shared/compute/port';
import type { View } from '../../shared/core/views';
import { toError } from '../../shared/errors';
import type { ConversationSender } from '../../shared/services/conversation-sender';
import { createNotifier, type AlertPort, type Notifier } from '../../shared/services/notifier';
import { createHandoff } from '../../shared/services/handoff';
import { createPoller, type Poller } from '../../shared/services/poller';
import {
  FOLLOWUPS_QUEUE,
  FOLLOWUPS_TABLE,
  followUpQueue,
  type FollowUpMessage,
} from '../../shared/storage/followup-queue';
import { encodeKey } from '../../shared/storage/keys';
import { PROGRESS_WATCHES_TABLE, progressWatchStore } from '../../shared/storage/progress-watch-store';
import { openTable } from '../../shared/storage/table';
import { waitFor } from '../support/wait-for';
import { conversation, setupWorkspace, startStack, SUB, WS, type Stack } from './harness';

/** host.json's maxDequeueCount: a message failing this many times goes to the poison queue. */
const MAX_DEQUEUE = 5;
/** The phases a kill lands in, with about how many instrumented calls (listings aside) one run of each makes. */
/** Where a kill leaves a card sent but not marked: at the send (after it reached the channel) or the marking. */
const SEND_TO_MARK = /^notify\/(chat\.send|table\.)/;
const KILL_PHASES = { poll: 6, notify: 12 } as const;

export interface ChaosOptions {
  seed: number;
  /** Job transitions (finished jobs appearing) over the run. */
  transitions: number;
  /** Steps they happen in: each adds its jobs, then the host ticks and drains the queue. */
  steps: number;
  /** Share of calls that fail (fault runs). */
  rate?: number;
  /** Kill the host once, at a step the seed chooses (crash runs). */
  kill?: boolean;
}

export interface ChaosResult {
  seed: number;
  transitions: number;
  /** Where the host died ('phase/point'), or undefined when it was not killed. */
  diedAt?: string;
  lost: number;
  duplicates: number;
  /** Duplicates neither the kill (between a send and its marking) nor an unmarked send explains. */
  duplicatesOutsideWindow: number;
  /**
   * Sends that reached the channel but were not marked sent: the answer was lost (a timeout, a cut body) or the
   * marking failed. Each may be sent again, as at-least-once delivery allows.
   */
  ambiguousSends: number;
  /** Messages that failed MAX_DEQUEUE times (the poison queue); replayed once by a fault-free host. */
  poisoned: number;
  /** Their last errors. */
  poisonErrors: string[];
  faults: number;
  /** Alerts the fault-free host sent at the end: what the host under test had not delivered (poison replayed). */
  leftForCleanHost: number;
  /** Alerts received that name no job of the run (other events): expected none. */
  unexpected: string[];
  /** The alerts delivered, by the job's place in the run: the end state two runs compare. */
  delivered: string[];
  /** The killed or faulty host's instrumented calls, with the faults injected. */
  trace: string[];
}

export interface ChaosLab {
  backend: ComputeBackend;
  stack: Stack;
  /** What the hosts logged (poll and notify lines), for a failing run's report. */
  hostLog: string[];
  run(opts: ChaosOptions): Promise<ChaosResult>;
  /**
   * Two instances (two functions hosts on the same storage, as Flex scales out) over one seeded workload: each
   * timer runs on the instance holding its blob lease, queue messages on both; one instance killed once.
   */
  runTwo(opts: TwoInstanceOptions): Promise<TwoInstanceResult>;
  /** A cluster idles: one warning, then scale-down; the host killed at a seeded step of one of those idle passes. */
  runIdle(seed: number): Promise<IdleChaosResult>;
  /**
   * Cards of submitted jobs followed in place (the `followups` queue) while the jobs run to their end; the host
   * killed at a seeded step of one follow-up message.
   */
  runFollowUps(opts: FollowUpChaosOptions): Promise<FollowUpChaosResult>;
  stop(): Promise<void>;
}

export interface FollowUpChaosOptions {
  seed: number;
  /** Jobs submitted (one card each), at most FOLLOWUP_NODES. */
  jobs: number;
}

export interface FollowUpChaosResult {
  seed: number;
  diedAt?: string;
  cards: number;
  /** Cards whose last update does not show the job finished (expected none). */
  stale: number;
  /** Each card's states as it showed them: the posted card, then each update that reached the channel. */
  shown: string[][];
  updates: number;
  /** Updates showing what the card already showed. */
  duplicates: number;
  /** Duplicates the kill does not explain: one is, when an update reached the channel in the killed step. */
  duplicatesOutsideKill: number;
  /** Messages that failed MAX_DEQUEUE times (the poison queue). */
  poisoned: number;
  poisonErrors: string[];
  /** Chains (the `followups` table's rows) and messages left once nothing more runs (expected none). */
  chainsLeft: number;
  messagesLeft: number;
  /** What the steps reported, by outcome (a redelivered step 'recovered', copies 'duplicate' or 'superseded'). */
  outcomes: Partial<Record<FollowUpOutcome, number>>;
  /** The killed host's instrumented calls inside follow-up steps. */
  trace: string[];
}

export interface IdleChaosResult {
  seed: number;
  diedAt?: string;
  /** A job ran on the cluster right after the kill; scale requests made by the passes that followed it. */
  busy: boolean;
  scalesWhileBusy: number;
  /** Idle warnings and "scaled to zero" cards the run's cluster got, and scale requests that reached the service. */
  warnings: number;
  scaledCards: number;
  scaleCalls: number;
  /** The cluster's target node count at the end (0: scaled down). */
  target: number | undefined;
}

export interface TwoInstanceOptions {
  seed: number;
  transitions: number;
  steps: number;
}

export interface TwoInstanceResult {
  seed: number;
  diedAt?: string;
  transitions: number;
  lost: number;
  duplicates: number;
  /** Duplicates the kill (between a send and its marking) does not explain. */
  duplicatesOutsideWindow: number;
  poisoned: number;
  /** The idle cluster's warnings and "scaled to zero" cards, and the scale requests that reached the service. */
  warnings: number;
  scaledCards: number;
  scaleCalls: number;
  /** Timer runs per instance, and steps where both instances held a timer's lease (expected none). */
  timerRuns: { poll: number[]; idle: number[]; both: number };
}

/** Messages that failed MAX_DEQUEUE times: their texts (replayed later) and their last errors. */
interface Poison {
  n: number;
  texts: string[];
  errors: string[];
}

/** A follow-up host: the bot (to submit and post cards) and the `followups` step, on one fault plan. */
interface FollowUpHost {
  plan: FaultPlan;
  bot: ChatBot;
  step: FollowUpStep;
}

/** The follow-up runs' cluster: one node per job, so that every job runs at once. */
const FOLLOWUP_CLUSTER = 'fu';
export const FOLLOWUP_NODES = 4;
/**
 * The most instrumented calls a follow-up step makes: a finished job's (its row, the job, the conversation, the
 * tail, the tail's secrets, the progress watch, the update, the row's delete). A step that makes fewer (4 for an
 * unchanged one, 6 for an update) dies past its last call: after its work, before the host deletes its message.
 */
const FOLLOWUP_STEP_CALLS = 8;

interface Host {
  plan: FaultPlan;
  idle: Services['idle'];
  poller: Poller;
  notifier: Notifier;
}

export async function startChaosLab(backend: ComputeBackend): Promise<ChaosLab> {
  // The engine's clock runs ahead only while a job that must end after everything before it is seeded.
  let engineAhead = 0;
  const stack = await startStack('rg/ws', backend, () => Date.now() + engineAhead);
  try {
    await setupWorkspace(stack.client);
    await stack.services.poller.tick(); // the baseline: later ticks announce what changed since
  } catch (e) {
    await stack.stop();
    throw e;
  }
  let laps = 0;
  const hostLog: string[] = [];
  const quiet = (line: string) => {
    hostLog.push(line);
  };

  const seedJobs = (experiment: string, n: number): Promise<string[]> =>
    backend === 'azurebatch'
      ? Promise.resolve(stack.engine.batch!.seedFinishedJobs(n, ['gpu'], experiment))
      : stack.engine.seedFinishedJobs({ ...WS, experiment, subscriptionId: SUB }, n, { cluster: 'gpu' });

  /**
   * A job that ran on the cluster and ended after its last transition: a seeded job ends a moment before the
   * engine's now, and the cluster may have become steady within that moment, so the engine's clock runs ahead.
   */
  const seedClusterJob = async (cluster: string): Promise<void> => {
    engineAhead = 5000;
    try {
      if (backend === 'azurebatch') stack.engine.batch!.seedFinishedJobs(1, [cluster], `busy-${cluster}`);
      else
        await stack.engine.seedFinishedJobs({ ...WS, experiment: `busy-${cluster}`, subscriptionId: SUB }, 1, {
          cluster,
        });
    } finally {
      engineAhead = 0;
    }
  };

  // Below the faults: the scale requests that reached the service, per cluster.
  const scales = new Map<string, number>();
  const countingScales: ComputePort = {
    ...stack.services.compute,
    async scaleCluster(...args: Parameters<ComputePort['scaleCluster']>) {
      const r = await stack.services.compute.scaleCluster(...args);
      scales.set(args[0].cluster, (scales.get(args[0].cluster) ?? 0) + 1);
      return r;
    },
  };

  /** `markerLeaseMs`: 0 for a host that runs after the lease of a dead host's claims has passed. */
  async function startHost(plan: FaultPlan, sender: AlertPort, markerLeaseMs?: number): Promise<Host> {
    const s: Services = await stack.build({
      compute: faultyCompute(countingScales, plan),
      sender: faultySender(sender, plan),
      storage: { tablePolicies: [faultyTablePolicy(plan)], ...(markerLeaseMs === undefined ? {} : { markerLeaseMs }) },
      log: quiet,
    });
    const events = faultyEvents(s.backend.events, plan);
    // One card per alert (no digest), so that every card names its job and duplicates can be counted.
    const notifier = createNotifier({
      stores: s.stores,
      markers: s.backend.markers,
      batches: s.backend.batches,
      compute: s.compute,
      sender: s.sender,
      logs: s.config.logs,
      log: quiet,
      digestThreshold: Number.POSITIVE_INFINITY,
      requeue: { queue: events, delaySeconds: 0 },
      transientPauseMs: 0,
    });
    // As the product wires it: a tick delivers its first pass's news, a notify run inside the poll run.
    const handoff = createHandoff({
      notifier: async () => ({ handle: (m, o) => plan.phase('notify', () => notifier.handle(m, o)) }),
      queue: events,
      log: quiet,
    });
    const poller = createPoller({
      compute: s.compute,
      workspaces: [WS],
      stores: { ...s.backend, events },
      log: quiet,
      handoff,
    });
    return { plan, poller, notifier, idle: s.idle };
  }

  /** Delivers what the queue holds, as the Functions host does; stops at the host's death. */
  async function drain(host: Host, queue: QueueClient, poison: Poison): Promise<void> {
    for (;;) {
      const { receivedMessageItems: items } = await queue.receiveMessages({
        numberOfMessages: 8,
        visibilityTimeout: 30,
      });
      if (!items.length) return;
      for (const m of items) {
        try {
          await host.plan.phase('notify', () => host.notifier.handle(decodeQueueMessage(m.messageText, 'base64'), m));
          await queue.deleteMessage(m.messageId, m.popReceipt);
        } catch (e) {
          if (!(e instanceof HostDied) && m.dequeueCount >= MAX_DEQUEUE) {
            poison.n++;
            poison.errors.push(toError(e).message);
            poison.texts.push(m.messageText);
            await queue.deleteMessage(m.messageId, m.popReceipt);
            continue;
          }
          // The visibility timeout passes: the message is back for the next host (or the next try).
          await queue.updateMessage(m.messageId, m.popReceipt, m.messageText, 0);
          if (e instanceof HostDied) {
            for (const rest of items.slice(items.indexOf(m) + 1)) {
              await queue.updateMessage(rest.messageId, rest.popReceipt, rest.messageText, 0);
            }
            throw e;
          }
        }
      }
    }
  }

  async function run(opts: ChaosOptions): Promise<ChaosResult> {
    const lap = ++laps;
    const experiment = `chaos${lap}`;
    const conv = conversation(stack.channel, `chaos-${backend}-${lap}`);
    await stack.services.stores.conversations.save(conv);
    await stack.services.stores.subscriptions.add(conv.conversationId, { experiment });

    const logFrom = hostLog.length;
    const received = new Map<string, number>();
    let ambiguousSends = 0;
    // Below the faults: what really reached the channel.
    const channel: AlertPort = {
      async send(c, view) {
        const r = await stack.services.sender.send(c, view);
        const key = headline(view);
        if (c.conversationId === conv.conversationId) received.set(key, (received.get(key) ?? 0) + 1);
        return r;
      },
    };
    const phases = Object.keys(KILL_PHASES) as Array<keyof typeof KILL_PHASES>;
    const phase = phases[Math.floor(draw(opts.seed, 'phase') * phases.length)]!;
    // Each step has one tick and at least one message (notify's last ones may merge into fewer: not the last step).
    const kill: Kill | undefined = opts.kill
      ? {
          phase,
          ordinal: Math.floor(draw(opts.seed, 'ordinal') * (opts.steps - 1)),
          step: Math.floor(draw(opts.seed, 'step') * KILL_PHASES[phase]),
        }
      : undefined;
    const plan = new FaultPlan({ seed: opts.seed, rate: opts.rate ?? 0, ...(kill ? { kill } : {}) });
    let host = await startHost(plan, channel);
    const poison: Poison = { n: 0, texts: [], errors: [] };
    const restart = async () => {
      host = await startHost(new FaultPlan({ seed: opts.seed, rate: opts.rate ?? 0 }), channel);
    };
    const step = async (h: Host): Promise<number> => {
      // A tick that throws fails that timer invocation (the host logs it); the next timer tick tries again.
      const tick = await h.plan
        .phase('poll', () => h.poller.tick())
        .catch((e: unknown) => {
          if (e instanceof HostDied) throw e;
          quiet(`poll: the tick failed: ${toError(e).message}`);
          return undefined;
        });
      await drain(h, stack.queue, poison);
      return tick ? tick.workspaces.reduce((n, w) => n + w.messages + (w.ok ? 0 : 1), 0) : 1;
    };
    const perStep = Math.ceil(opts.transitions / opts.steps);
    for (let i = 0, left = opts.transitions; i < opts.steps && left > 0; i++, left -= perStep) {
      await seedJobs(experiment, Math.min(perStep, left));
      try {
        await step(host);
      } catch (e) {
        if (!(e instanceof HostDied)) throw e;
        await restart();
      }
    }
    // With faults, the timer and the queue go on retrying, as they would: until a tick finds nothing new.
    for (let round = 0; opts.rate && round < 20; round++) {
      try {
        if ((await step(host)) === 0) break;
      } catch (e) {
        if (!(e instanceof HostDied)) throw e;
        await restart();
      }
    }
    const beforeClean = [...received.values()].reduce((a, n) => a + n, 0);
    // Faults stop; a fault-free host (a later restart) runs until nothing is left, poison replayed first.
    const diedAt = plan.diedAt;
    const faults = plan.rate ? Object.values(plan.injected).reduce((a, b) => a + b, 0) : 0;
    // A send whose answer was lost (timeout, cut body) reached the channel, as did one the notifier could not
    // mark sent (it says so): a retry may show either twice.
    const lostAnswers = plan.trace.filter(
      (t, i) => / chat\.send$/.test(t) && /\^ (timeout|truncated)/.test(plan.trace[i + 1] ?? ''),
    ).length;
    const unmarked = hostLog.slice(logFrom).filter((l) => /could not mark it sent/.test(l)).length;
    ambiguousSends = lostAnswers + unmarked;
    const clean = await startHost(new FaultPlan({ seed: opts.seed }), channel);
    for (const text of poison.texts) await stack.queue.sendMessage(text);
    for (let round = 0; round < 10 && (await step(clean)) > 0; round++);

    const leftForCleanHost = [...received.values()].reduce((a, n) => a + n, 0) - beforeClean;
    const jobs: string[] = [];
    for await (const j of stack.services.compute.listJobs({ ...WS, experiment })) jobs.push(`${experiment}/${j.name}`);
    // Jobs in the order they were added (names count up; Azure Batch's across the account): the i-th job of a
    // run is the same transition in every run of a seed.
    jobs.sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
    const alertOf = (job: string) => `Job ${job} succeeded`;
    const delivered = jobs.flatMap((j, i) => (received.has(alertOf(j)) ? [`job ${i + 1} succeeded`] : []));
    const known = new Set(jobs.map(alertOf));
    const duplicates = [...received.values()].reduce((a, n) => a + n - 1, 0);
    // What may show twice: the card a kill left between its send and its marking, and each send a fault left so.
    const allowed = (diedAt && SEND_TO_MARK.test(diedAt) ? 1 : 0) + (opts.rate ? ambiguousSends : 0);
    return {
      seed: opts.seed,
      transitions: jobs.length,
      ...(diedAt ? { diedAt } : {}),
      lost: jobs.length - delivered.length,
      duplicates,
      duplicatesOutsideWindow: Math.max(0, duplicates - allowed),
      unexpected: [...received.keys()].filter((k) => !known.has(k)),
      ambiguousSends,
      poisoned: poison.n,
      poisonErrors: poison.errors,
      leftForCleanHost,
      faults,
      delivered,
      trace: plan.trace,
    };
  }

  async function runIdle(seed: number): Promise<IdleChaosResult> {
    const lap = ++laps;
    const cluster = `idle${lap}`;
    const { ref, cards, count } = await idleCluster(cluster);
    const t0 = Date.now();
    const channel: AlertPort = {
      async send(c, view) {
        const r = await stack.services.sender.send(c, view);
        count(c, view);
        return r;
      },
    };
    const kill: Kill = {
      phase: 'idle',
      ordinal: Math.floor(draw(seed, 'idle ordinal') * 2),
      step: Math.floor(draw(seed, 'idle step') * 6),
    };
    const plan = new FaultPlan({ seed, kill });
    let host = await startHost(plan, channel);
    // In half the runs a job runs on the cluster right after the kill: the cluster got busy, so a scale-down the
    // dead host had not requested yet must not happen (its intent is dropped), and one it had requested owes its card.
    const busy = draw(seed, 'idle busy') < 0.5;
    let scalesAtKill: number | undefined;
    // The warning at 31 min idle, the scale-down 11 min later (the grace period), as test/idle/idle-flow.test.ts.
    for (const at of [31, 42]) {
      try {
        await host.plan.phase('idle', () => host.idle.tick(new Date(t0 + at * 60_000)));
      } catch (e) {
        if (!(e instanceof HostDied)) throw e;
        scalesAtKill = scales.get(cluster) ?? 0;
        if (busy) await seedClusterJob(cluster);
        host = await startHost(new FaultPlan({ seed }), channel);
      }
    }
    // Simulated time has passed the markers' lease (10 min of the store's own clock): claims a dead host left
    // pending are taken over, as they would be by then.
    const clean = await startHost(new FaultPlan({ seed }), channel, 0);
    await clean.idle.tick(new Date(t0 + 43 * 60_000));
    const scalesWhileBusy = busy && scalesAtKill !== undefined ? (scales.get(cluster) ?? 0) - scalesAtKill : 0;
    // A busy cluster idles again from its job's end: warned, then scaled down after the grace period.
    for (const at of [44, 90, 91]) await clean.idle.tick(new Date(t0 + at * 60_000));
    const end = await stack.client.getCluster(ref);
    return {
      seed,
      ...(plan.diedAt ? { diedAt: plan.diedAt } : {}),
      busy,
      scalesWhileBusy,
      warnings: cards.warnings,
      scaledCards: cards.scaled,
      scaleCalls: scales.get(cluster) ?? 0,
      target: end.properties?.scaleSettings?.manual?.targetNodeCount,
    };
  }

  /** A new cluster at one node, steady, whose idle notices go to a conversation of its own. */
  async function idleCluster(name: string) {
    const ref = { ...WS, cluster: name };
    await stack.client.createCluster(ref, {
      properties: {
        vmSize: 'STANDARD_NC6',
        scaleSettings: { manual: { targetNodeCount: 1 } },
        userAccountSettings: { adminUserName: 'demo', adminUserPassword: 'not-used' },
      },
    });
    await waitFor(
      `cluster ${name} steady`,
      () => stack.client.getCluster(ref),
      (c) => c.properties?.allocationState === 'steady' && c.properties.currentNodeCount === 1,
    );
    const conv = conversation(stack.channel, `idle-${backend}-${name}`);
    await stack.services.stores.conversations.save(conv);
    await stack.services.stores.subscriptions.add(conv.conversationId, { workspace: WS.workspace });
    const cards = { warnings: 0, scaled: 0 };
    const count = (c: { conversationId: string }, view: View) => {
      const text = JSON.stringify(view);
      if (c.conversationId !== conv.conversationId) return;
      if (new RegExp(`\\b${name} is idle`).test(text)) cards.warnings++;
      if (new RegExp(`\\b${name} scaled to zero`).test(text)) cards.scaled++;
    };
    return { ref, cards, count };
  }

  async function runTwo(opts: TwoInstanceOptions): Promise<TwoInstanceResult> {
    const lap = ++laps;
    const experiment = `two${lap}`;
    const conv = conversation(stack.channel, `two-${backend}-${lap}`);
    await stack.services.stores.conversations.save(conv);
    await stack.services.stores.subscriptions.add(conv.conversationId, { experiment });
    const idle = await idleCluster(`twoidle${lap}`);
    const t0 = Date.now();
    const received = new Map<string, number>();
    const channel: AlertPort = {
      async send(c, view) {
        const r = await stack.services.sender.send(c, view);
        const key = headline(view);
        if (c.conversationId === conv.conversationId) received.set(key, (received.get(key) ?? 0) + 1);
        idle.count(c, view);
        return r;
      },
    };
    // One instance is killed once: at a seeded step of one of its poll ticks, notify batches or idle passes.
    const phases = ['poll', 'notify', 'idle'] as const;
    const phase = phases[Math.floor(draw(opts.seed, 'two phase') * phases.length)]!;
    const victim = draw(opts.seed, 'two victim') < 0.5 ? 0 : 1;
    const kill: Kill = {
      phase,
      ordinal: Math.floor(draw(opts.seed, 'two ordinal') * (phase === 'idle' ? 2 : 3)),
      step: Math.floor(draw(opts.seed, 'two step') * (phase === 'poll' ? 6 : phase === 'notify' ? 12 : 6)),
    };
    const leaseOpts = {
      connectionString: stack.azurite.connectionString,
      hostId: `chaos-${backend}-${lap}`,
      log: quiet,
    };
    // An instance: its services and its leases of the two timers (real blob leases on Azurite).
    const instance = async (plan: FaultPlan) => ({
      host: await startHost(plan, channel),
      poll: await startTimerLease('poll', leaseOpts),
      idle: await startTimerLease('idle', leaseOpts),
    });
    const instances = [
      await instance(new FaultPlan({ seed: opts.seed, ...(victim === 0 ? { kill } : {}) })),
      await instance(new FaultPlan({ seed: opts.seed + 1, ...(victim === 1 ? { kill } : {}) })),
    ];
    const killedPlan = instances[victim]!.host.plan;
    const runs = { poll: [0, 0], idle: [0, 0], both: 0 };
    const poison: Poison = { n: 0, texts: [], errors: [] };
    // The dead instance's leases are left to expire (broken here: simulated time passes their period), and Flex
    // starts a fresh instance in its place.
    const replaceDead = async () => {
      for (const [i, inst] of instances.entries()) {
        if (!inst.host.plan.dead) continue;
        inst.poll.abandon();
        inst.idle.abandon();
        for (const timer of ['poll', 'idle']) {
          await BlobServiceClient.fromConnectionString(stack.azurite.connectionString)
            .getContainerClient(LOCKS_CONTAINER)
            .getBlobClient(lockBlobName(leaseOpts.hostId, timer))
            .getBlobLeaseClient()
            .breakLease(0)
            .catch(() => undefined); // not leased: nothing to break
        }
        // The survivor's next try may come before the new instance starts (seeded): either may take the timers over.
        const survivor = instances[1 - i]!;
        if (draw(opts.seed, 'takeover') < 0.5) await Promise.all([survivor.poll.refresh(), survivor.idle.refresh()]);
        instances[i] = await instance(new FaultPlan({ seed: opts.seed + 2 + i }));
      }
    };
    const survive = async (work: Promise<unknown>) =>
      work.catch((e: unknown) => {
        if (!(e instanceof HostDied)) throw e;
      });
    /** The timer runs on the instance holding its lease, if any (each instance tries, as on its own schedule). */
    const timer = async (which: 'poll' | 'idle', run: (h: Host) => Promise<unknown>) => {
      const holders = [];
      // Which instance's timer comes first is seeded: after a lease expires, either may take it.
      const first = draw(opts.seed, `${which} ${runs[which].join()}`) < 0.5 ? 0 : 1;
      for (const i of [first, 1 - first]) if (await instances[i]![which].refresh()) holders.push(i);
      if (holders.length > 1) runs.both++;
      for (const i of holders) {
        runs[which][i]!++;
        const h = instances[i]!.host;
        await survive(
          h.plan
            .phase(which, () => run(h))
            .catch((e: unknown) => {
              if (e instanceof HostDied) throw e;
              quiet(`${which}: failed: ${toError(e).message}`);
            }),
        );
      }
      await replaceDead();
    };
    const drainBoth = async () => {
      await Promise.all(instances.map((inst) => survive(drain(inst.host, stack.queue, poison))));
      await replaceDead();
    };
    const perStep = Math.ceil(opts.transitions / opts.steps);
    // The idle timer at 31 min idle (warning), 42 (scale-down after the grace period), then later passes.
    const idleAt = new Map([
      [2, 31],
      [5, 42],
      [7, 43],
    ]);
    for (let i = 0, left = opts.transitions; i < opts.steps && left > 0; i++, left -= perStep) {
      await seedJobs(experiment, Math.min(perStep, left));
      await timer('poll', (h) => h.poller.tick());
      await drainBoth();
      const at = idleAt.get(i);
      if (at !== undefined) await timer('idle', (h) => h.idle.tick(new Date(t0 + at * 60_000)));
    }
    for (const inst of instances) await Promise.all([inst.poll.stop(), inst.idle.stop()]);
    // Then one fault-free instance, past the markers' lease, until nothing is left.
    const clean = await startHost(new FaultPlan({ seed: opts.seed }), channel, 0);
    for (const text of poison.texts) await stack.queue.sendMessage(text);
    for (let round = 0; round < 10; round++) {
      const tick = await clean.poller.tick();
      await drain(clean, stack.queue, poison);
      if (tick.workspaces.every((w) => w.ok && w.messages === 0)) break;
    }
    for (const at of [44, 90, 91]) await clean.idle.tick(new Date(t0 + at * 60_000));

    const jobs: string[] = [];
    for await (const j of stack.services.compute.listJobs({ ...WS, experiment })) jobs.push(j.name);
    const lost = jobs.filter((j) => !received.has(`Job ${experiment}/${j} succeeded`)).length;
    const duplicates = [...received.values()].reduce((a, n) => a + n - 1, 0);
    const diedAt = killedPlan.diedAt;
    return {
      seed: opts.seed,
      ...(diedAt ? { diedAt: `instance ${victim === 0 ? 'a' : 'b'}: ${diedAt}` } : {}),
      transitions: jobs.length,
      lost,
      duplicates,
      duplicatesOutsideWindow: Math.max(0, duplicates - (diedAt && SEND_TO_MARK.test(diedAt) ? 1 : 0)),
      poisoned: poison.n,
      warnings: idle.cards.warnings,
      scaledCards: idle.cards.scaled,
      scaleCalls: scales.get(idle.ref.cluster) ?? 0,
      timerRuns: runs,
    };
  }

  // The follow-up runs' jobs wait for a file of their name in `releases`: the run ends each at a step it chooses.
  let releases: string | undefined;
  const followUpQueueClient = new QueueClient(stack.azurite.connectionString, FOLLOWUPS_QUEUE);
  let followUpSetup: Promise<void> | undefined;
  const setUpFollowUps = () =>
    (followUpSetup ??= (async () => {
      releases = mkdtempSync(join(tmpdir(), 'chaos-releases-'));
      await stack.client.createCluster(
        { ...WS, cluster: FOLLOWUP_CLUSTER },
        {
          properties: {
            vmSize: 'STANDARD_NC6',
            scaleSettings: { manual: { targetNodeCount: FOLLOWUP_NODES } },
            userAccountSettings: { adminUserName: 'demo', adminUserPassword: 'not-used' },
          },
        },
      );
      await waitFor(
        `cluster ${FOLLOWUP_CLUSTER} steady`,
        () => stack.client.getCluster({ ...WS, cluster: FOLLOWUP_CLUSTER }),
        (c) => c.properties?.allocationState === 'steady' && c.properties.currentNodeCount === FOLLOWUP_NODES,
      );
      await stack.services.stores.templates.put('chaoswait', {
        description: 'Runs until the chaos run releases it, then prints a line.',
        properties: {
          nodeCount: 1,
          customToolkitSettings: {
            commandLine: `while [ ! -e ${releases}/$AZ_BATCHAI_JOB_NAME ]; do sleep 0.05; done; echo released`,
          },
          stdOutErrPathPrefix: '$AZ_BATCHAI_MOUNT_ROOT/afs',
        },
      });
    })());

  /**
   * The bot and the follow-up step as the functions host composes them (bot/create-bot-services.ts), on ports
   * that ask the plan: compute, every Table (stores, the followups rows, progress watches), the followups queue
   * and the card sender. Steps follow each other with no delay: the run says when the next one is due.
   */
  async function startFollowUpHost(plan: FaultPlan, sender: ConversationSender): Promise<FollowUpHost> {
    const storage = { tablePolicies: [faultyTablePolicy(plan)] };
    const s = await stack.build({ compute: faultyCompute(stack.services.compute, plan), storage, log: quiet });
    const [rows, watches] = await Promise.all([
      openTable(s.config.storage, FOLLOWUPS_TABLE, storage),
      openTable(s.config.storage, PROGRESS_WATCHES_TABLE, storage),
    ]);
    const deps: BotDeps = {
      compute: s.compute,
      stores: s.stores,
      config: s.config,
      sender: faultyCardSender(sender, plan),
      followUps: faultyFollowUps(followUpQueue(followUpQueueClient, rows, { delaySeconds: 0 }), plan),
      progressWatches: progressWatchStore(watches),
      now: () => new Date(),
      log: quiet,
    };
    return { plan, bot: createBot(deps), step: createFollowUpStep(deps) };
  }

  async function runFollowUps(opts: FollowUpChaosOptions): Promise<FollowUpChaosResult> {
    if (opts.jobs > FOLLOWUP_NODES) throw new Error(`runFollowUps: at most ${FOLLOWUP_NODES} jobs`);
    await setUpFollowUps();
    const lap = ++laps;
    const conv = conversation(stack.channel, `followup-${backend}-${lap}`);
    const names = Array.from({ length: opts.jobs }, (_, i) => `fu${lap}-${i + 1}`);
    // Below the faults: what each card showed, as the channel got it.
    const shown = new Map<string, string[]>();
    let updatesSent = 0;
    const show = (id: string, view: View) => {
      // The headline's first sentence: the posted card's goes on to name the subscription the submit made.
      const s = view.kind === 'job' ? `${view.headline?.split('.')[0] ?? ''} ${view.job.state}`.trim() : view.kind;
      shown.set(id, [...(shown.get(id) ?? []), s]);
    };
    const real = stack.services.transport.sender;
    const channel: ConversationSender = {
      send: (c, view) => real.send(c, view),
      async update(c, id, view) {
        await real.update(c, id, view);
        if (c.conversationId !== conv.conversationId) return;
        updatesSent++;
        show(id, view);
      },
    };
    // Job i ends before round i + 1: round 0 sees them all running, each later round one more finished.
    const rounds = opts.jobs + 1;
    const steps = (opts.jobs * (opts.jobs + 3)) / 2; // job i's card takes i + 2 steps
    const kill: Kill = {
      phase: 'followup',
      ordinal: Math.floor(draw(opts.seed, 'followup ordinal') * steps),
      step: Math.floor(draw(opts.seed, 'followup step') * FOLLOWUP_STEP_CALLS),
    };
    const plan = new FaultPlan({ seed: opts.seed, kill });
    let host = await startFollowUpHost(plan, channel);

    // Through the bot, as a turn: the job submitted, the card posted, then handed to the followups queue. The
    // jobs' creation is held meanwhile, so that every card is posted showing its job queued, in every run.
    const creation = stack.engine.hold('create');
    try {
      for (const name of names) {
        const reply = await host.bot.turn({
          text: `submit chaoswait --cluster ${FOLLOWUP_CLUSTER} --experiment followups --name ${name}`,
          user: { id: 'u1', name: 'Ada' },
          conversation: conv,
        });
        const { id } = await channel.send(conv, reply.view);
        if (!id) throw new Error(`runFollowUps: the channel gave card ${name} no id`);
        if (reply.view.kind !== 'job')
          throw new Error(`runFollowUps: submit ${name} answered ${JSON.stringify(reply.view)}`);
        show(id, reply.view);
        await reply.posted(id);
      }
    } finally {
      creation.release();
    }
    const jobRef = (name: string) => ({ ...WS, experiment: 'followups', job: name });
    const state = (name: string, want: string[]) =>
      waitFor(
        `job ${name} ${want.join(' or ')}`,
        () => stack.services.compute.getJob(jobRef(name)),
        (j) => want.includes(j.state),
      );
    for (const name of names) await state(name, ['running']);

    const poison: Poison = { n: 0, texts: [], errors: [] };
    const outcomes: Partial<Record<FollowUpOutcome, number>> = {};
    let sentInKilledStep = false;
    /** One step of each message visible now, as the Functions host runs them; returns how many ran. */
    const round = async (h: FollowUpHost): Promise<number> => {
      const items = [];
      for (;;) {
        const { receivedMessageItems: got } = await followUpQueueClient.receiveMessages({
          numberOfMessages: 32,
          visibilityTimeout: 30,
        });
        if (!got.length) break;
        items.push(...got);
      }
      // The queue's order of messages sent together varies (and the channel's activity ids do): by the card's
      // place in the run, then step, so that a seed kills the same step.
      const decoded = items.map((m) => ({ m, msg: decodeQueueMessage(m.messageText, 'base64') as FollowUpMessage }));
      const place = (msg: FollowUpMessage) => [...shown.keys()].indexOf(msg.activityId);
      decoded.sort((a, b) => place(a.msg) - place(b.msg) || a.msg.seq - b.msg.seq);
      for (const [i, { m, msg }] of decoded.entries()) {
        const before = updatesSent;
        try {
          const r = await h.plan.phase('followup', () => h.step(msg, m.messageId));
          outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + 1;
          await followUpQueueClient.deleteMessage(m.messageId, m.popReceipt);
        } catch (e) {
          if (!(e instanceof HostDied) && m.dequeueCount >= MAX_DEQUEUE) {
            poison.n++;
            poison.errors.push(toError(e).message);
            await followUpQueueClient.deleteMessage(m.messageId, m.popReceipt);
            continue;
          }
          // The visibility timeout passes: the message (and the batch's rest, at a kill) is back for the next round.
          const back = e instanceof HostDied ? decoded.slice(i) : [{ m }];
          for (const { m: b } of back)
            await followUpQueueClient.updateMessage(b.messageId, b.popReceipt, b.messageText, 0);
          if (e instanceof HostDied) {
            sentInKilledStep = updatesSent > before;
            throw e;
          }
          quiet(`followups: step failed: ${toError(e).message}`);
        }
      }
      return decoded.length;
    };
    for (let r = 0; r < rounds; r++) {
      if (r > 0) {
        writeFileSync(join(releases!, names[r - 1]!), '');
        await state(names[r - 1]!, ['succeeded', 'failed']);
      }
      try {
        await round(host);
      } catch (e) {
        if (!(e instanceof HostDied)) throw e;
        host = await startFollowUpHost(new FaultPlan({ seed: opts.seed }), channel);
      }
    }
    // A fault-free host (a later restart) runs the steps until nothing is left.
    const clean = await startFollowUpHost(new FaultPlan({ seed: opts.seed }), channel);
    for (let r = 0; r < 10 && (await round(clean)) > 0; r++);

    const rows = await openTable(stack.azurite.connectionString, FOLLOWUPS_TABLE);
    let chainsLeft = 0;
    const pk = encodeKey(conv.conversationId).replace(/'/g, "''");
    for await (const _ of rows.listEntities({ queryOptions: { filter: `PartitionKey eq '${pk}'` } })) chainsLeft++;
    const { approximateMessagesCount } = await followUpQueueClient.getProperties();
    const cards = [...shown.values()];
    const stale = cards.filter((c) => c[c.length - 1] !== 'Finished succeeded').length;
    const duplicates = cards.reduce((n, c) => n + c.filter((x, i) => i > 0 && x === c[i - 1]).length, 0);
    return {
      seed: opts.seed,
      ...(plan.diedAt ? { diedAt: plan.diedAt } : {}),
      cards: cards.length,
      stale,
      shown: cards,
      updates: cards.reduce((n, c) => n + c.length - 1, 0),
      duplicates,
      duplicatesOutsideKill: Math.max(0, duplicates - (sentInKilledStep ? 1 : 0)),
      poisoned: poison.n,
      poisonErrors: poison.errors,
      chainsLeft,
      messagesLeft: approximateMessagesCount ?? 0,
      outcomes,
      trace: plan.trace.filter((t) => t.startsWith('followup#')),
    };
  }

  return {
    backend,
    stack,
    hostLog,
    run,
    runIdle,
    runTwo,
    runFollowUps,
    stop: async () => {
      await stack.stop();
      if (releases) rmSync(releases, { recursive: true, force: true });
    },
  };
}

const headline = (view: View): string =>
  'headline' in view && typeof view.headline === 'string' ? view.headline : JSON.stringify(view).slice(0, 80);
