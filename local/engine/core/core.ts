// The engine's core: state, the clock, the pending time-driven transitions and the running jobs. It starts no
// timer of its own: the wiring (local/engine/run-core.ts) recovers after a restart and runs scheduler passes.
// Facades (the ARM REST one, an Azure Batch data-plane one) call the operations in lookups.ts, resources.ts,
// clusters.ts, jobs.ts and cascades.ts with a Core; nothing here knows about HTTP.
import { join } from 'node:path';
import { Holds, type OperationKind } from './holds';
import { Journal } from './journal';
import type { JobExecution } from './job-run';
import { State } from './state';

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
  kind: OperationKind;
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
  /** Hold points for tests: a held kind of operation does not complete until released. */
  readonly holds = new Holds();
  signer: UrlSigner | undefined;
  /** Asks for a scheduler pass soon; set by the wiring (a core alone only records the wish). */
  wake: () => void = () => {};
  private stopped = false;
  readonly now: () => number;

  constructor(opts: CoreOptions) {
    this.dataDir = opts.dataDir;
    this.filesRoot = join(opts.dataDir, 'files');
    this.timing = { ...DEFAULT_TIMING, ...opts.timing };
    this.region = opts.region ?? 'eastus';
    this.now = opts.now ?? Date.now;
    this.state = new State(new Journal(join(opts.dataDir, 'state')));
  }

  /** Asks for a scheduler pass, after a change that may let a job start or nodes move. */
  kick(): void {
    if (!this.stopped) this.wake();
  }

  /** Kills every running job; they are recorded as failed ("the engine stopped"), held or not. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.wallClockTimers.values()) clearTimeout(t);
    this.holds.releaseAll();
    const pending = [...this.executions.values()];
    for (const e of pending) e.stop('engineStopped');
    await Promise.allSettled(pending.map((e) => e.outcome));
    // Outcome handlers run in later microtasks; give them a turn to record the failures.
    await new Promise((r) => setImmediate(r));
  }

  /** Runs `run` after `delayMs` (and once `ready` holds and no hold of `kind` is left), on a scheduler pass. */
  defer(kind: OperationKind, delayMs: number, run: () => void, ready?: () => boolean): void {
    this.deferred.push({ kind, at: this.now() + delayMs, run, ready });
    this.kick();
  }

  get isStopped(): boolean {
    return this.stopped;
  }
}
