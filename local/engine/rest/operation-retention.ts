// Async operations are answered from memory for as long as a client may still poll them: ARM keeps an
// operation's status for hours, a client polls for seconds to minutes. Without a bound, every resize and submit
// of a long-running engine (npm start, the soak) would stay in memory for good.
export const OPERATION_KEEP_MS = 60 * 60_000;

/** Drops the operations started before `now - keepMs`; the map is in start order: it stops at the first young one. */
export function dropOldOperations(
  ops: Map<string, { startTime: number }>,
  now: number,
  keepMs = OPERATION_KEEP_MS,
): void {
  for (const [id, op] of ops) {
    if (op.startTime >= now - keepMs) return;
    ops.delete(id);
  }
}
