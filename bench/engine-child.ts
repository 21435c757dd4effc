// The engine in a process of its own, as the service is elsewhere in Azure: the process that runs the product then
// spends its time on the product (alert latency bench: the poll and the alerts, not serving the ARM listing) and
// holds only the product's memory (soak bench: the engine keeps every job it ever ran). The parent seeds jobs
// (finished, or running until it ends them), deletes experiments and reads the child's RSS through IPC;
// `startEngineChild` is the parent's side. Started with `batch`, the jobs are its Azure Batch account's (the
// experiment a job label; the workspace is the account's).
import { fork, type ChildProcess } from 'node:child_process';
import { engineShareDir, startEngine, type Engine, type EngineOptions } from '../local/engine/index';
import type { StackEngine } from '../local/start';
import type { ExperimentRef } from '../shared/compute/model';
import { createBatchAiClient } from '../shared/batchai/client';
import { staticTokenCredential } from '../shared/http/credential';

type SubscriptionRef = ExperimentRef & { subscriptionId: string };
/** Crosses IPC as JSON: no clock function. */
export type EngineChildOptions = Omit<EngineOptions, 'now'>;
type Ask = {
  id: number;
  seed?: { ref: SubscriptionRef; n: number; running?: boolean };
  end?: SubscriptionRef;
  drop?: SubscriptionRef;
  rss?: true;
};
type Started = Pick<Engine, 'url' | 'filesUrl' | 'storageAccount' | 'azureml'> & { batch?: StackEngine['batch'] };

export interface EngineChild extends StackEngine {
  /** `running`: the jobs stay running (no process) until `end`. Resolves with their names. */
  seed(ref: SubscriptionRef, n: number, opts?: { running?: boolean }): Promise<string[]>;
  /** Ends the experiment's running jobs now, succeeded; resolves with how many. */
  end(ref: SubscriptionRef): Promise<number>;
  /** Deletes an experiment with its jobs (through the engine's ARM API, waiting for the operation to end). */
  drop(ref: SubscriptionRef): Promise<void>;
  /** The engine process's resident set. */
  rssMiB(): Promise<number>;
}

export function startEngineChild(opts: EngineChildOptions): Promise<EngineChild> {
  const child: ChildProcess = fork(__filename, [JSON.stringify(opts)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  type Answer = { value?: number; names?: string[] };
  const waiting = new Map<number, { resolve: (a: Answer) => void; reject: (e: Error) => void }>();
  let next = 0;
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`engine child exited (${code}) before it started`)));
    child.on('message', (m: Answer & { started?: Started; id?: number; error?: string }) => {
      if (m.started) {
        const ask = (a: Omit<Ask, 'id'>) =>
          new Promise<Answer>((res, rej) => {
            const id = ++next;
            waiting.set(id, { resolve: res, reject: rej });
            child.send({ ...a, id });
          });
        resolve({
          ...m.started,
          shareDir: (account, share) => engineShareDir(opts.dataDir, account, share),
          seed: (ref, n, seedOpts) => ask({ seed: { ref, n, ...seedOpts } }).then((a) => a.names ?? []),
          end: (ref) => ask({ end: ref }).then((a) => a.value ?? 0),
          drop: (ref) => ask({ drop: ref }).then(() => undefined),
          rssMiB: () => ask({ rss: true }).then((a) => a.value ?? Number.NaN),
          stop: () =>
            new Promise<void>((res) => {
              if (child.exitCode !== null || child.signalCode !== null) return res();
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
      else w?.resolve(m);
    });
  });
}

async function main(): Promise<void> {
  const opts = JSON.parse(process.argv[2] ?? '{}') as EngineChildOptions;
  const engine = await startEngine(opts);
  const client = (subscriptionId: string) =>
    createBatchAiClient({
      endpoint: engine.url,
      subscriptionId,
      credential: staticTokenCredential('bench'),
      pollIntervalMs: 20,
    });
  const stop = () => void engine.stop().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  // The parent died without stopping it.
  process.on('disconnect', stop);
  const { batch } = engine;
  const seed = ({ ref, n, running }: NonNullable<Ask['seed']>): Promise<string[]> =>
    batch
      ? Promise.resolve(batch.seedFinishedJobs(n, ['gpu'], ref.experiment, { running }))
      : engine.seedFinishedJobs(ref, n, { cluster: 'gpu', running });
  const end = (ref: SubscriptionRef) =>
    batch ? Promise.resolve(batch.endSeededJobs(ref.experiment)) : engine.endSeededJobs(ref);
  const drop = (ref: SubscriptionRef) =>
    batch
      ? Promise.resolve(batch.dropExperiment(ref.experiment))
      : client(ref.subscriptionId)
          .deleteExperiment(ref)
          .then(() => undefined);
  process.on('message', (a: Ask) => {
    const work: Promise<{ value?: number; names?: string[] }> = a.seed
      ? seed(a.seed).then((names) => ({ names }))
      : a.end
        ? end(a.end).then((value) => ({ value }))
        : a.drop
          ? drop(a.drop).then(() => ({}))
          : Promise.resolve({ value: process.memoryUsage().rss / 2 ** 20 });
    work.then(
      (answer) => process.send!({ id: a.id, ...answer }),
      (e: unknown) => process.send!({ id: a.id, error: e instanceof Error ? e.message : String(e) }),
    );
  });
  const started: Started = {
    url: engine.url,
    filesUrl: engine.filesUrl,
    storageAccount: engine.storageAccount,
    ...(engine.batch
      ? { batch: { url: engine.batch.url, account: engine.batch.account, accountKey: engine.batch.accountKey } }
      : {}),
    ...(engine.azureml ? { azureml: engine.azureml } : {}),
  };
  process.send!({ started });
}

if (require.main === module) void main();
