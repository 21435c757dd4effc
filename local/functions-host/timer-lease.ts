// One timer runs on one instance at a time, as Azure does it: the WebJobs singleton listener lock, a blob lease on
// `azure-webjobs-hosts/locks/<host id>/<function>.listener` in AzureWebJobsStorage. The instance that holds the
// lease runs the timer; it renews at half the period (Azure: a 60 s period, SingletonOptions.ListenerLockPeriod,
// 15-60 s as blob leases allow); another instance tries again every recovery interval (Azure:
// ListenerLockRecoveryPollingInterval, 60 s). A holder that stops releases the lease; one that dies leaves it to
// expire, after which another instance takes the timer over.
import { BlobServiceClient, type BlobLeaseClient } from '@azure/storage-blob';
import { toError } from '../../shared/errors';
import type { HostLog } from './invocation';

export const LOCKS_CONTAINER = 'azure-webjobs-hosts';

export interface LeaseOptions {
  connectionString: string;
  /** Names the app: instances of one app share its locks (Azure: the host id, from the app's name). */
  hostId: string;
  /** Lease period in seconds, 15-60 (default 60, as Azure). */
  periodSeconds?: number;
  /** How often an instance without the lease tries to take it (default 60 s, as Azure). */
  recoveryMs?: number;
  log: HostLog;
}

export interface TimerLease {
  /** This instance holds the lease now: its timer may run. */
  held(): boolean;
  /** Renews or tries to take the lease now (not waiting for the next renewal or try); resolves with held(). */
  refresh(): Promise<boolean>;
  /** Stops renewing and trying; releases the lease if held. */
  stop(): Promise<void>;
  /** Stops renewing and trying, as a process that died: the lease stays until it expires. */
  abandon(): void;
}

const isStatus = (e: unknown, status: number) => (e as { statusCode?: number } | undefined)?.statusCode === status;

/** The blob of a timer's listener lock. */
export const lockBlobName = (hostId: string, functionName: string) =>
  `locks/${hostId.toLowerCase()}/${functionName.toLowerCase()}.listener`;

/** Tries once at start (resolving when that try is done), then keeps trying or renewing in the background. */
export async function startTimerLease(functionName: string, opts: LeaseOptions): Promise<TimerLease> {
  const period = opts.periodSeconds ?? 60;
  const recoveryMs = opts.recoveryMs ?? 60_000;
  const container = BlobServiceClient.fromConnectionString(opts.connectionString).getContainerClient(LOCKS_CONTAINER);
  const blob = container.getBlockBlobClient(lockBlobName(opts.hostId, functionName));
  const lease: BlobLeaseClient = blob.getBlobLeaseClient();
  let holding = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> = Promise.resolve();

  const acquire = async (): Promise<void> => {
    try {
      await lease.acquireLease(period);
      holding = true;
      opts.log(`[${functionName}] this instance holds the timer's lease (${period} s)`);
    } catch (e) {
      if (isStatus(e, 404)) {
        await container.createIfNotExists();
        await blob.upload('', 0).catch((err: unknown) => {
          // Created by another instance meanwhile, which may hold its lease already: fine.
          if (!isStatus(err, 412)) throw err;
        });
        return acquire();
      }
      if (!isStatus(e, 409)) throw e; // 409: another instance holds it
    }
  };
  const renew = async (): Promise<void> => {
    try {
      await lease.renewLease();
    } catch (e) {
      holding = false;
      opts.log(`[${functionName}] lost the timer's lease: ${toError(e).message}`);
    }
  };
  const step = async () => {
    try {
      if (holding) await renew();
      else await acquire();
    } catch (e) {
      opts.log(`[${functionName}] cannot reach the timer's lease: ${toError(e).message}`);
    }
    if (!stopped) timer = setTimeout(() => (current = step()), holding ? (period * 1000) / 2 : recoveryMs);
  };
  current = step();
  await current;

  const halt = () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
  return {
    held: () => holding && !stopped,
    async refresh() {
      await current;
      if (timer) clearTimeout(timer);
      current = step();
      await current;
      return holding && !stopped;
    },
    abandon: halt,
    async stop() {
      halt();
      await current; // a try under way may take the lease: released below
      if (!holding) return;
      holding = false;
      await lease.releaseLease().catch((e: unknown) => {
        opts.log(`[${functionName}] could not release the timer's lease: ${toError(e).message}`);
      });
    },
  };
}
