// The chaos bench's approval crash runs on one backend: approvals, each on a host killed at a step its seed draws,
// then a fresh host's expire-approvals pass (test/approvals/approval-crash-run.ts, the scenario its test proves at
// every step); every approval must run at most once and end executed with its resize, failed with nothing
// changed, or still pending.
import { approvalCrashRuns, startApprovalCrashLab } from '../test/approvals/approval-crash-run';
import type { ComputeBackend } from '../shared/compute/model';
import { record } from './report';
import { withinLimit } from './run-limit';

export async function approvalFigures(backend: ComputeBackend, seed: number, runs: number): Promise<void> {
  const lab = await startApprovalCrashLab(backend);
  try {
    const started = Date.now();
    const c = await approvalCrashRuns(lab, { seed, runs }, withinLimit);
    const perRun = (Date.now() - started) / (runs + 1);
    console.log(`${backend}: approval kills at ${[...c.where].map(([k, n]) => `${k} ×${n}`).join(', ')}`);
    record({
      name: `chaos ${backend}: approval crash runs (1 kill each)`,
      value: c.kills,
      unit: 'runs',
      note:
        `of ${c.runs}: ${c.executed} executed, ${c.failed} failed (nothing changed), ${c.pending} pending; ` +
        `${c.settled} settled by the later pass`,
    });
    record({ name: `chaos ${backend}: approvals executed twice`, value: c.twice, unit: 'approvals' });
    record({
      name: `chaos ${backend}: approvals broken`,
      value: c.broken,
      unit: 'approvals',
      note: c.brokenRuns.length
        ? `first: ${c.brokenRuns[0]}`
        : 'neither executed with its resize, failed with nothing changed, nor pending',
    });
    record({ name: `chaos ${backend}: time per approval crash run`, value: Math.round(perRun), unit: 'ms' });
  } finally {
    await lab.stop();
  }
}
