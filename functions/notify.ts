// Queue trigger on `events`: a message per part of a workspace's tick with news, referencing its stored event batch
// (the tick delivers the first part's itself, and leaves it here when that fails) → alerts, one digest per
// conversation for a burst
// (shared/services/notifier.ts). Any failed delivery throws, so the host
// retries the message (markers keep the retry from repeating what was sent) and moves it to `events-poison`
// after host.json's maxDequeueCount; a retry that sent something before failing enqueues the message again
// instead (its count starts over), so only tries that made no progress use the message's tries up.
import type { FunctionDefinition } from './definition';
import { EVENTS_QUEUE } from '../shared/storage/queue-names';
import type { Services } from './services';

export function createNotifyFunction(
  services: () => Promise<Pick<Services, 'notifier'>>,
): Extract<FunctionDefinition, { trigger: { type: 'queue' } }> {
  return {
    name: 'notify',
    trigger: { type: 'queue', queueName: EVENTS_QUEUE },
    handler: async (message, context) => {
      const dequeueCount = Number(context.triggerMetadata?.dequeueCount ?? 1);
      const r = await (await services()).notifier.handle(message, { dequeueCount });
      context.log(
        r.gone
          ? `notify ${r.batchId}: batch already delivered (or past its retention); nothing to send`
          : r.requeued
            ? `notify ${r.batchId}: ${r.requeued}; enqueued again for the rest`
            : `notify ${r.batchId}: ${r.events} events, ${r.sent} sent in ${r.cards} cards, ` +
              `${r.alreadySent} already sent or in flight, ${r.conversations} conversations`,
      );
    },
  };
}
