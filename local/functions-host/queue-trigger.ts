// Runs one queue-triggered function against a real Storage queue (Azurite locally), with the runtime's rules:
// receive in batches, hide a message while its handler runs (lease renewed), delete it on success, make it
// visible again after host.json's visibilityTimeout on failure, and move it to `<queue>-poison` once it has
// been dequeued maxDequeueCount times.
import { QueueServiceClient, type DequeuedMessageItem, type QueueClient } from '@azure/storage-queue';
import type { FunctionDefinition } from '../../functions/definition';
import { toError } from '../../shared/errors';
import type { QueueSettings } from './host-json';
import { createContext, type HostLog, type InFlight } from './invocation';
import { decodeQueueMessage } from './queue-message';

type QueueDefinition = Extract<FunctionDefinition, { trigger: { type: 'queue' } }>;

// The lease hides a message from other receivers while its handler runs; renewed at half-time, so a crashed
// host's messages come back within this long.
const LEASE_SECONDS = 30;
const FIRST_IDLE_DELAY_MS = 50;

export interface QueueRunner {
  /** Stops receiving; running handlers are awaited by the host's InFlight. */
  stop(): void;
}

interface Options {
  connectionString: string;
  settings: QueueSettings;
  log: HostLog;
  inFlight: InFlight;
}

export async function startQueueListener(def: QueueDefinition, opts: Options): Promise<QueueRunner> {
  const service = QueueServiceClient.fromConnectionString(opts.connectionString);
  const queue = service.getQueueClient(def.trigger.queueName);
  const poison = service.getQueueClient(`${def.trigger.queueName}-poison`);
  await queue.createIfNotExists();
  const { settings, log } = opts;
  let stopped = false;
  let active = 0;
  let wake: (() => void) | undefined;
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(t);
        resolve();
      };
    });

  const handle = async (msg: DequeuedMessageItem) => {
    if (msg.dequeueCount > settings.maxDequeueCount) {
      // Dequeued before by a host that died mid-run: it already had its tries.
      await moveToPoison(queue, poison, msg, msg.popReceipt);
      log(`[${def.name}] message ${msg.messageId} moved to ${poison.name} (dequeued ${msg.dequeueCount} times)`);
      return;
    }
    const lease = renewLease(queue, msg, log);
    const context = createContext(def.name, log, {
      id: msg.messageId,
      dequeueCount: msg.dequeueCount,
      insertionTime: msg.insertedOn.toISOString(),
      expirationTime: msg.expiresOn.toISOString(),
      nextVisibleTime: msg.nextVisibleOn.toISOString(),
      popReceipt: msg.popReceipt,
      queueTrigger: msg.messageText,
    });
    let failure: Error | undefined;
    try {
      await def.handler(decodeQueueMessage(msg.messageText, settings.messageEncoding), context);
    } catch (e) {
      failure = toError(e);
    }
    const popReceipt = await lease.end();
    if (!failure) {
      await queue.deleteMessage(msg.messageId, popReceipt);
    } else if (msg.dequeueCount >= settings.maxDequeueCount) {
      await moveToPoison(queue, poison, msg, popReceipt);
      log(
        `[${def.name}] failed (try ${msg.dequeueCount}/${settings.maxDequeueCount}): ` +
          `${failure.message}; moved to ${poison.name}`,
      );
    } else {
      await queue.updateMessage(
        msg.messageId,
        popReceipt,
        msg.messageText,
        Math.round(settings.visibilityTimeoutMs / 1000),
      );
      log(`[${def.name}] failed (try ${msg.dequeueCount}/${settings.maxDequeueCount}): ${failure.message}; will retry`);
    }
  };

  const runOne = (msg: DequeuedMessageItem) => {
    active++;
    const done = opts.inFlight.track(handle(msg)).catch((e) => {
      // The message stays in the queue and comes back after its lease: nothing is lost.
      log(`[${def.name}] could not settle message ${msg.messageId}: ${toError(e).message}`);
    });
    void done.finally(() => {
      active--;
      wake?.();
    });
  };

  const loop = async () => {
    let idle = FIRST_IDLE_DELAY_MS;
    let outage = false;
    while (!stopped) {
      // As the runtime: fetch a new batch only when the running ones drop to newBatchThreshold.
      if (active > settings.newBatchThreshold) {
        await sleep(settings.maxPollingIntervalMs);
        continue;
      }
      try {
        const { receivedMessageItems } = await queue.receiveMessages({
          numberOfMessages: settings.batchSize,
          visibilityTimeout: LEASE_SECONDS,
        });
        if (outage) log(`[${def.name}] queue ${queue.name} reachable again`);
        outage = false;
        if (stopped) {
          // Received after stop() was called: give them straight back.
          await Promise.allSettled(
            receivedMessageItems.map((m) => queue.updateMessage(m.messageId, m.popReceipt, m.messageText, 0)),
          );
          break;
        }
        receivedMessageItems.forEach(runOne);
        if (receivedMessageItems.length > 0) {
          idle = FIRST_IDLE_DELAY_MS;
          continue;
        }
      } catch (e) {
        if (!outage) log(`[${def.name}] cannot receive from ${queue.name}: ${toError(e).message}`);
        outage = true;
      }
      await sleep(idle);
      idle = Math.min(idle * 2, settings.maxPollingIntervalMs);
    }
  };
  void opts.inFlight.track(loop());

  return {
    stop() {
      stopped = true;
      wake?.();
    },
  };
}

/** Keeps a message hidden while its handler runs; end() stops renewing and returns the current popReceipt. */
function renewLease(queue: QueueClient, msg: DequeuedMessageItem, log: HostLog): { end(): Promise<string> } {
  let popReceipt = msg.popReceipt;
  let chain: Promise<void> = Promise.resolve();
  const timer = setInterval(
    () => {
      chain = chain.then(async () => {
        try {
          popReceipt =
            (await queue.updateMessage(msg.messageId, popReceipt, msg.messageText, LEASE_SECONDS)).popReceipt ??
            popReceipt;
        } catch (e) {
          log(`lease renewal of message ${msg.messageId} failed: ${toError(e).message}`);
        }
      });
    },
    (LEASE_SECONDS * 1000) / 2,
  );
  return {
    async end() {
      clearInterval(timer);
      await chain;
      return popReceipt;
    },
  };
}

async function moveToPoison(
  queue: QueueClient,
  poison: QueueClient,
  msg: DequeuedMessageItem,
  popReceipt: string,
): Promise<void> {
  await poison.createIfNotExists();
  // The original text, unchanged, as the runtime does: a poison message can be re-queued as it is.
  await poison.sendMessage(msg.messageText);
  await queue.deleteMessage(msg.messageId, popReceipt);
}
