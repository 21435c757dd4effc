// One seeded fault plan for tests and benchmarks: every instrumented call (a compute call, a Table request, an
// enqueue, a chat send) asks the plan first. The plan may fail it (429 with Retry-After, 500, 503, a connection
// reset, a timeout, a truncated body) at a given rate, or kill the host at a seeded step of a phase (a poll tick,
// a notify batch…): from then on every call of that host throws HostDied, as nothing runs after a SIGKILL.
// Decisions hang on the call's identity, not on the wall clock: a fault is drawn from (seed, point, key with its
// digits and ids blanked, occurrence), so the same seed replays the same faults; a kill is the k-th call of the
// chosen phase's n-th run.

export const FAULT_KINDS = ['429', '500', '503', 'reset', 'timeout', 'truncated'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** The process is gone: thrown by every instrumented call of a killed host. */
export class HostDied extends Error {
  override readonly name = 'HostDied';
}

export interface Kill {
  /** The phase whose run dies, e.g. 'poll' or 'notify'. */
  phase: string;
  /** Which run of that phase (0 = the first). */
  ordinal: number;
  /**
   * Instrumented calls (listings aside) of that run that complete before the kill; past its last call, it dies at
   * its end.
   */
  step: number;
}

export interface FaultPlanOptions {
  seed: number;
  /** Share of instrumented calls that fail (0…1). */
  rate?: number;
  kill?: Kill;
}

/** FNV-1a of the text, then one round of mulberry32: a uniform draw in [0, 1) from (seed, text). */
export function draw(seed: number, text: string): number {
  let h = (2166136261 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
  let t = (h + 0x6d2b79f5) >>> 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

/**
 * Ids, hashes and counters vary between runs of one seed (batch ids, event ids, job numbers, times): blanked, so
 * the key is the call's shape.
 */
const blank = (key: string) =>
  key
    .replace(/[0-9a-f]{8}-[0-9a-f-]{27}/gi, 'U')
    .replace(/[0-9a-f]{16,}/gi, 'H')
    .replace(/\d+/g, '#');

export class FaultPlan {
  readonly seed: number;
  readonly rate: number;
  private readonly kill?: Kill;
  private readonly seen = new Map<string, number>();
  private readonly phaseRuns = new Map<string, number>();
  private current?: { phase: string; ordinal: number; steps: number };
  /** Where the host died ('phase/point'), once it has. */
  diedAt?: string;
  /** Every instrumented call, as 'phase#ordinal point' (for a replay's report). */
  readonly trace: string[] = [];
  readonly injected: Record<FaultKind, number> = { 429: 0, 500: 0, 503: 0, reset: 0, timeout: 0, truncated: 0 };

  constructor(opts: FaultPlanOptions) {
    this.seed = opts.seed;
    this.rate = opts.rate ?? 0;
    if (opts.kill) this.kill = opts.kill;
  }

  get dead(): boolean {
    return this.diedAt !== undefined;
  }

  /**
   * Runs one phase (a tick, a message…): a killed host throws HostDied, also when the kill step is past its end. A
   * phase may run inside another (a tick delivering its news): the outer one goes on when it ends.
   */
  async phase<T>(phase: string, run: () => Promise<T>): Promise<T> {
    this.alive(phase);
    const ordinal = this.phaseRuns.get(phase) ?? 0;
    this.phaseRuns.set(phase, ordinal + 1);
    const outer = this.current;
    this.current = { phase, ordinal, steps: 0 };
    try {
      const result = await run();
      if (!this.dead && this.armed()) this.die('end');
      this.alive(phase);
      return result;
    } finally {
      this.current = outer;
    }
  }

  /**
   * Asked before each instrumented call: throws HostDied when the host is dead or dies here; otherwise the fault
   * to inject, if any. `after`: the kill lands once the call is done (its effect happened, its answer is lost).
   */
  enter(point: string, key: string): { fault?: FaultKind; dieAfter?: boolean } {
    this.alive(point);
    const cur = this.current;
    this.trace.push(`${cur ? `${cur.phase}#${cur.ordinal}` : '-'} ${point}`);
    // Listings run side by side (clusters beside experiments, experiments at once), so their order varies: a kill
    // counts the other calls only, so that the same seed kills at the same call. A kill during a read is a kill
    // before the next write anyway.
    if (cur && this.armed() && !point.startsWith('compute.list') && cur.steps++ === this.kill!.step) {
      if (draw(this.seed, `after|${point}`) < 0.5) return { dieAfter: true };
      this.die(point);
    }
    // Faults only inside a phase: the host's start (tables created) is not what is under test.
    if (this.rate <= 0 || !cur) return {};
    const id = `${point}|${blank(key)}`;
    const n = this.seen.get(id) ?? 0;
    this.seen.set(id, n + 1);
    if (draw(this.seed, `${id}|${n}`) >= this.rate) return {};
    const fault = FAULT_KINDS[Math.floor(draw(this.seed, `${id}|${n}|kind`) * FAULT_KINDS.length)]!;
    this.injected[fault]++;
    this.trace.push(`  ^ ${fault}`);
    return { fault };
  }

  /** Kills the host now (for a kill that lands after its call). */
  die(point: string): never {
    this.diedAt ??= `${this.current?.phase ?? '-'}/${point}`;
    throw new HostDied(`host died at ${this.diedAt}`);
  }

  private alive(point: string): void {
    if (this.dead) throw new HostDied(`host is dead (died at ${this.diedAt}; called ${point})`);
  }

  private armed(): boolean {
    const k = this.kill;
    return !!k && !!this.current && this.current.phase === k.phase && this.current.ordinal === k.ordinal;
  }
}
