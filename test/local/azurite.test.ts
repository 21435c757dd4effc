// Azurite must not outlive a parent killed with SIGKILL: a child started with exitWithParentArgs stops once
// orphaned, and not before. Process tree: this test → parent (plain node) → child (node with the preload).
import { spawn } from 'node:child_process';
import { exitWithParentArgs } from '../../local/azurite';

let childPid: number | undefined;

afterEach(() => {
  // Only if the test failed and left the child behind.
  try {
    if (childPid !== undefined) process.kill(childPid, 'SIGKILL');
  } catch {
    // Already gone.
  }
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('a child started with exitWithParentArgs stops when its parent is killed with SIGKILL', async () => {
  // The parent starts the child with the arguments sent on its stdin. The child writes to the parent's stdout,
  // a pipe to this test that closes only when both processes are gone.
  const parent = spawn(process.execPath, ['-e', `
    process.stdin.once('data', (d) => {
      require('node:child_process').spawn(process.execPath, JSON.parse(d), { stdio: ['ignore', 'inherit', 'inherit'] });
    });
    setInterval(() => {}, 1000);`], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  let closed = false;
  parent.stdout.on('data', (d: Buffer) => { out += d.toString(); });
  parent.stdout.once('close', () => { closed = true; });
  parent.stdin.write(JSON.stringify([...exitWithParentArgs(parent.pid), '-e', 'console.log(process.pid); setInterval(() => {}, 1000)']));
  for (let i = 0; i < 100 && !out.includes('\n'); i++) await sleep(50);
  childPid = Number(out.trim());
  expect(childPid).toBeGreaterThan(0);

  await sleep(1500); // longer than the watchdog's period: a child with a live parent keeps running
  expect(closed).toBe(false);

  parent.kill('SIGKILL');
  for (let i = 0; i < 100 && !closed; i++) await sleep(50);
  expect(closed).toBe(true);
  childPid = undefined;
});
