// Queue trigger on `followups`: one step of a card that a long operation (submit, terminate, resize, an approval
// request) keeps updating in place (bot/follow-up-step.ts). Each step enqueues its own delayed successor until
// the resource settles or the deadline passes, so following survives restarts and never runs between
// invocations. A failed step throws: the host retries the same message, which is safe (see the step's notes).
import { ProtocolError } from '../shared/errors';
import { FOLLOWUPS_QUEUE } from '../shared/storage/queue-names';
import type { FunctionDefinition } from './definition';
import type { Services } from './services';

export function createFollowUpsFunction(
  services: () => Promise<Pick<Services, 'followUpStep'>>,
): Extract<FunctionDefinition, { trigger: { type: 'queue' } }> {
  return {
    name: 'followups',
    trigger: { type: 'queue', queueName: FOLLOWUPS_QUEUE },
    handler: async (message, context) => {
      // The queue message id is the same on every redelivery: the step needs it to tell a retry from a copy.
      const id = context.triggerMetadata?.id;
      if (typeof id !== 'string' || !id) throw new ProtocolError('followups: the trigger metadata has no message id');
      const r = await (await services()).followUpStep(message, id);
      // Routine steps (nothing changed yet) stay out of the log: there is one every few seconds per card.
      if (r.outcome !== 'unchanged') context.log(`followups ${r.activityId} step ${r.seq}: ${r.outcome}`);
    },
  };
}
