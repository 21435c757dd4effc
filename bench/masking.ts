// `npm run bench -- masking`: the cost of showing a tail line (shared/services/masked-tails.ts): terminal control
// sequences stripped, then each job secret masked by its prints (a keyed rolling hash picks the windows worth an
// HMAC) over the tail's lines as one text, so a secret split across lines is found too. Per line of 200
// characters with escapes in it, 5 secrets, tails of 100 lines; beside masking alone (no stripping).
import { performance } from 'node:perf_hooks';
import { maskPrintedLines, secretPrints } from '../shared/core/secret-prints';
import { stripControls } from '../shared/core/terminal-text';
import { record } from './report';

const LINES = 20_000;
/** Lines of one tail, masked together. */
const TAIL = 100;

export async function benchMasking(): Promise<void> {
  const secrets = ['tok-3f9a81c2d7', 'hunter2-hunter2', 'AKIAEXAMPLE123', 'p@ssw0rd!!', 'sk-live-0123456789'];
  const prints = secretPrints(secrets)!;
  const lines = Array.from(
    { length: LINES },
    (_, i) => `\r\x1b[32mstep ${i}\x1b[0m loss=0.${i % 997} ${'x'.repeat(150)} tok-3f9a\x1b[0m81c2d7 done\r`,
  );
  const tails = Array.from({ length: LINES / TAIL }, (_, i) => lines.slice(i * TAIL, (i + 1) * TAIL));
  const time = (f: (tail: string[]) => string[]): number => {
    const t0 = performance.now();
    for (const t of tails) f(t);
    return ((performance.now() - t0) / LINES) * 1000;
  };
  time((t) => maskPrintedLines(t.map(stripControls), prints)); // warm-up
  const both = time((t) => maskPrintedLines(t.map(stripControls), prints));
  const maskOnly = time((t) => maskPrintedLines(t, prints));
  record({
    name: 'tail line shown: strip + mask (200 chars, 5 secrets)',
    value: Math.round(both * 10) / 10,
    unit: 'µs',
    naive: Math.round(maskOnly * 10) / 10,
    note: 'naive = masking alone, which misses a secret split by an escape',
  });
}
