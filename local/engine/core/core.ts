// The engine's core: state, the clock that moves resources through their states, and the running jobs.
// Facades (the ARM REST one today, an Azure Batch data-plane one later) call the operations in resources.ts,
// clusters.ts and jobs.ts with a Core; nothing here knows about HTTP.
import { join } from 'node:path';
import { Journal } from './journal';
import type { JobExecution } from './job-run';
import { State } from './state';
import { tick } from './scheduler';
import { recoverAfterRestart } from './recovery';

export interface Timing {
  /** How long nodes take to join or leave a cluster. */
  allocationDelayMs: number;
  /** How long creation and deletion take before they report done. */
  operationDelayMs: number;
  /** How often the scheduler looks at time-driven changes (timeouts, delays). */
  schedulerIntervalMs: number;
}

export const DEFAULT_TIMING: Timing = { allocationDelayMs: 1500, operationDelayMs: 500, schedulerIntervalMs: 200 };

/** Signs a read URL for a path below the Files root (`<account>/<share>/<path>`). */
export type UrlSigner = (relPath: string, expiresAt: Date, permissions?: 'r' | 'rl') => string;

export interface Deferred {
  at: number;
  /** Checked once due: e.g. a deletion waits until the job's processes are gone. */
  ready?: () => boolean;
  run: () => void;
}

export interface CoreOptions {
  dataDir: string;
  timing?: Partial<Timing>;
  region?: string;
  now?: () => number;
}

export class Core {
  readonly dataDir: string;
  readonly filesRoot: string;
  readonly timing: Timing;
  readonly region: string;
  readonly state: State;
  /** Running jobs by uuid (records are replaced on every change; the uuid stays). */
  readonly executions = new Map<string, JobExecution>();
  readonly wallClockTimers = new Map<string, NodeJS.Timeout>();
  /** Time-driven transitions (creating → succeeded, deleting → gone), run by the scheduler when due and ready. */
  readonly deferred: Deferred[] = [];
  signer: UrlSigner | undefined;
  private interval: NodeJS.Timeout | undefined;
  private kicked = false;
  private stopped = false;
  readonly now: () => number;

  constructor(opts: CoreOptions) {
    this.dataDir = opts.dataDir;
    this.filesRoot = join(opts.dataDir, 'files');
    this.timing = { ...DEFAULT_TIMING, ...opts.timing };
    this.region = opts.region ?? 'eastus';
    this.now = opts.now ?? Date.now;
    this.state = new State(new Journal(join(opts.dataDir, 'state')));
    recoverAfterRestart(this);
    this.interval = setInterval(() => this.runTick(), this.timing.schedulerIntervalMs);
  }

  /** Asks for a scheduler pass soon (coalesced), after a change that may let a job start or nodes move. */
  kick(): void {
    if (this.kicked || this.stopped) return;
    this.kicked = true;
    setImmediate(() => {
      this.kicked = false;
      this.runTick();
    });
  }

  private runTick(): void {
    if (this.stopped) return;
    try {
      tick(this);
    } catch (e) {
      // A scheduler bug must not take the server down; the next tick retries.
      console.error(`engine scheduler: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** Stops the clock and kills every running job; they are recorded as failed ("the engine stopped"). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.interval) clearInterval(this.interval);
    for (const t of this.wallClockTimers.values()) clearTimeout(t);
    const pending = [...this.executions.values()];
    for (const e of pending) e.stop('engineStopped');
    await Promise.allSettled(pending.map((e) => e.outcome));
    // Outcome handlers run in later microtasks; give them a turn to record the failures.
    await new Promise((r) => setImmediate(r));
  }

  /** Runs `run` after `delayMs` (and once `ready` holds), on a scheduler pass. */
  defer(delayMs: number, run: () => void, ready?: () => boolean): void {
    this.deferred.push({ at: this.now() + delayMs, run, ready });
    this.kick();
  }

  get isStopped(): boolean {
    return this.stopped;
  }
}
