// A deliberately hung test, for .ci/prove-hang-guard: with HANG_TEST=1 it blocks its process for good, so no
// per-test timeout can end it (a blocked event loop runs no timers) and only the CI run's own time limit
// can. The proof is that the run then fails within that limit and names this file and this test.
const hang = process.env.HANG_TEST === '1';

(hang ? test : test.skip)('hangs forever (skipped unless HANG_TEST=1: proves that .ci/run names a hung test)', () => {
  // Waits on a value nobody will ever change: blocks without using the CPU.
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
});
