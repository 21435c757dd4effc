// The engine in a process of its own for the alert latency bench, as the service is elsewhere in Azure: the
// functions host's process then spends its time on the poll and the alerts, not on serving the ARM listing.
// The parent seeds finished jobs and deletes experiments through IPC; `startEngineChild` is the parent's side.
import { fork, type ChildProcess } from 'node:child_process';
import { startEngine } from '../local/engine/index';
import type { ExperimentRef } from '../shared/compute/model';
import { createBatchAiClient } from '../shared/batchai/client';
import { staticTokenCredential } from '../shared/http/credential';

type Ask = { id: number; seed?: { ref: ExperimentRef & { subscriptionId: string }; n: number }; drop?: ExperimentRef };

export interface EngineChild {
  url: string;
  seed(ref: ExperimentRef & { subscriptionId: string }, n: number): Promise<void>;
  /** Deletes an experiment with its jobs (through the engine's ARM API, waiting for the operation to end). */
  drop(ref: ExperimentRef): Promise<void>;
  stop(): Promise<void>;
}

export function startEngineChild(dataDir: string, subscriptionId: string): Promise<EngineChild> {
  const child: ChildProcess = fork(__filename, [dataDir, subscriptionId], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const waiting = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  let next = 0;
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`engine child exited (${code}) before it started`)));
    child.on('message', (m: { url?: string; id?: number; error?: string }) => {
      if (m.url) {
        const ask = (a: Omit<Ask, 'id'>) =>
          new Promise<void>((res, rej) => {
            const id = ++next;
            waiting.set(id, { resolve: res, reject: rej });
            child.send({ ...a, id });
          });
        resolve({
          url: m.url,
          seed: (ref, n) => ask({ seed: { ref, n } }),
          drop: (ref) => ask({ drop: ref }),
          stop: () =>
            new Promise<void>((res) => {
              child.removeAllListeners('exit');
              child.once('exit', () => res());
              child.kill('SIGTERM');
            }),
        });
        return;
      }
      const w = waiting.get(m.id ?? -1);
      waiting.delete(m.id ?? -1);
      if (m.error) w?.reject(new Error(m.error));
      else w?.resolve();
    });
  });
}

async function main(): Promise<void> {
  const [dataDir, subscriptionId] = process.argv.slice(2) as [string, string];
  const engine = await startEngine({ dataDir });
  const client = createBatchAiClient({
    endpoint: engine.url,
    subscriptionId,
    credential: staticTokenCredential('bench'),
    pollIntervalMs: 20,
  });
  const stop = () => void engine.stop().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  // The parent died without stopping it.
  process.on('disconnect', stop);
  process.on('message', (a: Ask) => {
    const work = a.seed
      ? engine.seedFinishedJobs(a.seed.ref, a.seed.n, { cluster: 'gpu' })
      : client.deleteExperiment(a.drop!).then(() => undefined);
    work.then(
      () => process.send!({ id: a.id }),
      (e: unknown) => process.send!({ id: a.id, error: e instanceof Error ? e.message : String(e) }),
    );
  });
  process.send!({ url: engine.url });
}

if (require.main === module) void main();
