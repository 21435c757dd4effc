// Log tails as the product shows them (the logs command, the job card's tail, alerts): each job's secrets
// stripped of terminal control sequences and masked by value, from the prints its submit stored
// (core/secret-prints.ts). One wrapper around the compute
// port's readTail, so no path that shows a tail can skip it. The raw files behind output links stay as written.
import type { ComputePort } from '../compute/port';
import { REDACTED } from '../core/redact';
import { maskPrintedLines } from '../core/secret-prints';
import { stripControls } from '../core/terminal-text';
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
      // Terminal control sequences go first: they are no text to show, and one inside a secret splits it.
      const plain = tail.lines.map(stripControls);
      const prints = kept?.secrets;
      if (!prints) return { ...tail, lines: plain };
      const lines = maskPrintedLines(plain, prints);
      // A tail cut before its first line's start may begin inside a secret, which no whole-value print matches:
      // its first characters, up to one shorter than the longest secret, are masked too.
      const longest = Math.max(0, ...prints.prints.map((x) => x.length));
      if (tail.truncated && lines.length > 0 && longest > 1 && !lines[0]!.startsWith(REDACTED)) {
        lines[0] = REDACTED + lines[0]!.slice(longest - 1);
      }
      return { ...tail, lines };
    },
  };
  masking.add(wrapped);
  return wrapped;
}
