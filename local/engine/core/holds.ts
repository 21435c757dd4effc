// Hold points for the completion of long-running operations. Production never holds: every operation completes
// after its normal delay. A test holds a kind, looks at the operation while it is in progress (202, InProgress,
// 'creating', 'terminating'), then releases it; nothing then depends on how fast the machine is.

/**
 * What a hold keeps from completing: creations (cluster, job, file server), deletions (of any resource), node
 * allocation (a resize reaching its size) and job ends (the recording of a started job's outcome: completion,
 * terminate, wall-clock limit, preemption; a job stopped before it started ends at once).
 */
export type OperationKind = 'create' | 'delete' | 'allocation' | 'jobEnd';

export const OPERATION_KINDS: readonly OperationKind[] = ['create', 'delete', 'allocation', 'jobEnd'];

export interface Hold {
  /** Lets the held operations complete (idempotent). */
  release(): void;
}

export class Holds {
  private readonly counts = new Map<OperationKind, number>();
  private readonly waiting: Array<{ kind: OperationKind; run: () => void }> = [];

  /** Called after a release, so held work that is now free gets done soon (the wiring asks for a scheduler pass). */
  onRelease: () => void = () => {};

  hold(kinds: readonly OperationKind[] = OPERATION_KINDS): Hold {
    for (const k of kinds) this.counts.set(k, (this.counts.get(k) ?? 0) + 1);
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        for (const k of kinds) this.counts.set(k, (this.counts.get(k) ?? 1) - 1);
        this.runFree();
        this.onRelease();
      },
    };
  }

  isHeld(kind: OperationKind): boolean {
    return (this.counts.get(kind) ?? 0) > 0;
  }

  /** Runs `run` now, or once no hold of `kind` is left. */
  whenFree(kind: OperationKind, run: () => void): void {
    if (this.isHeld(kind)) this.waiting.push({ kind, run });
    else run();
  }

  /** Drops every hold (the engine is stopping: what was held must still be recorded). */
  releaseAll(): void {
    this.counts.clear();
    this.runFree();
  }

  private runFree(): void {
    const free = this.waiting.filter((w) => !this.isHeld(w.kind));
    if (free.length === 0) return;
    const freeSet = new Set(free);
    const keep = this.waiting.filter((w) => !freeSet.has(w));
    this.waiting.length = 0;
    this.waiting.push(...keep);
    for (const w of free) w.run();
  }
}
