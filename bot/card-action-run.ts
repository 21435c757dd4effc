// The `card-actions` queue function's side of a Teams card action (card-action.ts answered the invoke): the
// conversation's waiting actions run in arrival order (the inbox's lease: one drainer per conversation), each
// once. Its claim (shared/storage/card-action-claims.ts) is taken before the operation and marked done after;
// then the clicked card is updated in place with the result or the error card, through the Teams sender. The
// inbox keeps an action's row until its run returns, so a run that died (the instance stopped) is delivered
// again: the claim then says it was started (or ran), nothing runs again, and the card says what happened
// instead of staying in its working state.
import { redactText } from '../shared/core/redact';
import type { View } from '../shared/core/views';
import { toError } from '../shared/errors';
import type { CardActionClaims } from '../shared/storage/card-action-claims';
import { CARD_ACTIONS_QUEUE } from '../shared/storage/queue-names';
import { parseTurnsMessage, type QueuedTurn, type TurnInbox } from '../shared/storage/turn-inbox';
import { type CardAction, noticeView, shownCommand } from './card-action';
import type { ChatBot, ConversationSender, TurnReply } from './transport';

export interface CardActionRunDeps {
  inbox: Pick<TurnInbox, 'drain'>;
  claims: Pick<CardActionClaims, 'claim'>;
  /** The Teams transport's sender: the clicked card is one of its messages. */
  sender: ConversationSender;
  log(line: string): void;
}

export interface CardActionRunner {
  /** One `card-actions` queue message: runs the waiting actions of the conversation it names. */
  drain(message: unknown, bot: ChatBot): Promise<{ conversation: string; outcome: 'drained' | 'busy' }>;
}

/** What the card says when the delivered action was claimed by an earlier run, which did not update it. */
function earlierRunView(action: CardAction, status: 'running' | 'done'): View {
  const shown = `\`${shownCommand(action.input.text)}\``;
  return status === 'running'
    ? noticeView(
        'Interrupted',
        `${shown} started, and its run was interrupted before this card could show how it ended; it does not run ` +
          'again. See `jobs` or `audit` for what it did before asking again.',
      )
    : noticeView('Ran once', `${shown} ran once, but its result could not be shown here: see \`jobs\` or \`audit\`.`);
}

export function createCardActionRunner(deps: CardActionRunDeps): CardActionRunner {
  async function run(turn: QueuedTurn, bot: ChatBot): Promise<void> {
    const action = JSON.parse(turn.body) as CardAction;
    const conv = action.input.conversation;
    const claim = await deps.claims.claim(conv.conversationId, action.id);
    let reply: TurnReply | undefined;
    if (claim.status === 'claimed') {
      // Never rejects: a failure of the operation is its error view, which replaces the working card.
      reply = await bot.turn(action.input);
      // The operation ended: from here a redelivery hears that it ran, whatever happens to the card's update.
      await claim.done();
    }
    const view = reply?.view ?? earlierRunView(action, claim.status === 'done' ? 'done' : 'running');
    let messageId = action.cardId;
    try {
      if (messageId) await deps.sender.update(conv, messageId, view);
      else messageId = (await deps.sender.send(conv, view)).id;
    } catch (e) {
      deps.log(`[bot] card action ${action.id}: its card could not be updated: ${redactText(toError(e).message)}`);
      return;
    }
    if (reply && messageId) await reply.posted(messageId);
  }
  return {
    async drain(message, bot) {
      const conversation = parseTurnsMessage(message, CARD_ACTIONS_QUEUE);
      return { conversation, outcome: await deps.inbox.drain(conversation, (turn) => run(turn, bot)) };
    },
  };
}
