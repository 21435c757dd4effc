// Queue trigger on `card-actions`: one message per Teams card action the `messages` function accepted (kept in
// the inbox, the invoke answered with the working card), naming its conversation; runs that conversation's
// waiting actions in order, each once, and updates their cards (bot/card-action-run.ts). A conversation another
// instance is draining is sent again, delayed, by the inbox. A run that throws (storage did not answer) is
// retried by the host with the same message: the action's claim keeps its operation at most once.
import { CARD_ACTIONS_QUEUE } from '../shared/storage/queue-names';
import type { FunctionDefinition } from './definition';
import type { Services } from './services';

export function createCardActionsFunction(
  services: () => Promise<Pick<Services, 'bot' | 'cardActions'>>,
): Extract<FunctionDefinition, { trigger: { type: 'queue' } }> {
  return {
    name: 'card-actions',
    trigger: { type: 'queue', queueName: CARD_ACTIONS_QUEUE },
    handler: async (message, context) => {
      const { bot, cardActions } = await services();
      const r = await cardActions.drain(message, bot);
      if (r.outcome === 'busy') context.log(`card-actions ${r.conversation}: another instance runs it; sent again`);
    },
  };
}
