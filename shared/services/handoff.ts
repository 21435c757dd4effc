// A tick's news delivered by the process that found it (services/poller.ts), without waiting for the queue: the
// tick enqueues its message hidden (held), hands it to the notifier here, and deletes it once delivered. The
// message stays the fallback. A failed delivery makes it visible at once, for the notify queue trigger and its
// retries; a host that dies leaves it hidden only until its hold lapses, and the trigger's delivery then takes
// this one's claims over, as any redelivery of a message does. The hold is renewed while the delivery runs, as
// the Functions host renews a triggered message's, so the two deliveries never run at once.
import { toError } from '../errors';
import type { EventBatchRef } from '../core/events';
import type { EventQueue, HeldMessage } from '../storage/event-queue';
import type { Notifier } from './notifier';

/** How long a held message stays hidden without a renewal: the fallback's delay after a host died. */
export const HOLD_SECONDS = 30;

export type Handoff = (message: EventBatchRef & { held: HeldMessage }) => Promise<void>;

export interface HandoffDeps {
  /** The notifier, built on first use: a tick without news never loads the chat side. */
  notifier: () => Promise<Pick<Notifier, 'handle'>>;
  queue: Pick<EventQueue, 'hold' | 'complete' | 'release'>;
  log: (line: string) => void;
}

export function createHandoff(deps: HandoffDeps): Handoff {
  const { queue, log } = deps;
  return async ({ held, ...message }) => {
    let current = held;
    let renewal = Promise.resolve();
    const timer = setInterval(
      () => {
        renewal = renewal.then(async () => {
          current = await queue.hold(current, HOLD_SECONDS).catch((e: unknown) => {
            log(`poll: cannot keep batch ${message.batchId} hidden: ${toError(e).message}`);
            return current;
          });
        });
      },
      (HOLD_SECONDS * 1000) / 2,
    );
    timer.unref();
    let failure: Error | undefined;
    try {
      // One try: a transient failure goes to the queue's retries rather than hold up the tick.
      await (await deps.notifier()).handle(message, { tries: 1 });
    } catch (e) {
      failure = toError(e);
    }
    clearInterval(timer);
    await renewal;
    const settle = failure ? queue.release(current) : queue.complete(current);
    if (failure) log(`poll: batch ${message.batchId} goes to the notify queue: ${failure.message}`);
    // A message left hidden comes back when its hold lapses: delivered already (its batch is gone), or retried.
    await settle.catch((e: unknown) =>
      log(`poll: cannot settle the message of batch ${message.batchId}: ${toError(e).message}`),
    );
  };
}
