// The process under test for `npm run bench -- exhaustion`: the local stack as `npm start` runs it (the engine
// with its Azure Batch facade, the functions host, the bot; one process), on the Azure Batch backend. It
// samples its own resident memory every few milliseconds and its event-loop delay, and answers the bench over
// IPC: `mark` starts a class (a collection first, so the baseline is what is live), `read` gives the class's
// largest RSS growth and event-loop delay. Run with --expose-gc.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { startLocalStack } from '../local/start';
import { createStores } from '../shared/storage/index';

/** A template whose node count is a person's to choose, up to any number: what an approval of a huge submit needs. */
const HUGE = {
  description: 'Any number of nodes.',
  parameters: [{ name: 'nodes', type: 'int', min: 1, max: 1_000_000_000 }],
  properties: {
    nodeCount: '{{nodes}}',
    customToolkitSettings: { commandLine: 'true' },
    stdOutErrPathPrefix: '$AZ_BATCHAI_MOUNT_ROOT/afs',
  },
};

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-exhaustion-'));
  const stack = await startLocalStack({
    dataDir,
    azuriteInMemory: true,
    pollSeconds: 3600,
    env: { ...process.env, COMPUTE_BACKEND: 'azurebatch', RESIZE_APPROVAL_THRESHOLD: '8', ADMINS: '', APPROVERS: '' },
    log: () => undefined,
  });
  await (await createStores(stack.config.storage)).templates.put('huge', HUGE);
  let baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 5);
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const send = (m: unknown) => process.send!(m);
  process.on('message', async (m: { kind: string }) => {
    if (m.kind === 'mark') {
      (globalThis as { gc?: () => void }).gc?.();
      baseline = process.memoryUsage().rss;
      peak = baseline;
      delay.reset();
      send({ kind: 'marked' });
    } else if (m.kind === 'read') {
      peak = Math.max(peak, process.memoryUsage().rss);
      send({ kind: 'read', rssGrowthMiB: (peak - baseline) / 2 ** 20, maxDelayMs: delay.max / 1e6 });
    } else if (m.kind === 'stop') {
      clearInterval(sampler);
      delay.disable();
      await stack.stop();
      rmSync(dataDir, { recursive: true, force: true });
      process.exit(0);
    }
  });
  send({ kind: 'ready', urls: stack.urls, batch: stack.batchAccount });
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
