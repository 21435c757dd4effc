// Log tails as the product shows them (the logs command, the job card's tail, alerts): each job's secrets
// masked by value, from the prints its submit stored (core/secret-prints.ts). One wrapper around the compute
// port's readTail, so no path that shows a tail can skip it. The raw files behind output links stay as written.
import type { ComputePort } from '../compute/port';
import { maskPrinted } from '../core/secret-prints';
import type { Stores } from '../storage/store-types';

/** Ports already masking: a composition root handing its port to another wraps it once. */
const masking = new WeakSet<ComputePort>();

export function maskingTails(compute: ComputePort, submissions: Pick<Stores['submissions'], 'get'>): ComputePort {
  if (masking.has(compute)) return compute;
  const wrapped: ComputePort = {
    ...compute,
    async readTail(ref, file, opts) {
      const [tail, kept] = await Promise.all([
        compute.readTail(ref, file, opts),
        submissions.get(ref.workspace, ref.experiment, ref.job),
      ]);
      const prints = kept?.secrets;
      return prints ? { ...tail, lines: tail.lines.map((l) => maskPrinted(l, prints)) } : tail;
    },
  };
  masking.add(wrapped);
  return wrapped;
}
