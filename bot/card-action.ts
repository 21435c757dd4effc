// A Teams card action (Action.Execute → an `adaptiveCard/action` invoke) is answered at once, whatever the
// operation behind it costs: Teams gives the bot five seconds to answer an invoke, then shows the person an
// error ("Your app has five seconds to respond to the invoke": Microsoft Learn, Teams platform docs, "Respond to
// the dialog submit action", learn.microsoft.com/microsoftteams/platform/messaging-extensions/how-to/
// action-commands/respond-to-task-module-submit), and one backend call can take longer than that (a cold start,
// an ARM operation). So the answer is the clicked card in a working state (what runs, for whom, since when; no
// buttons, so it cannot be pressed again); the turn runs after it, and the same card is updated in place with
// the result, or with the error card, through the transport's sender (as follow-ups update cards).
// The claim (shared/storage/card-action-claims.ts) makes a redelivered invoke run nothing: it is told that the
// action was received before, or ran.
import type { View } from '../shared/core/views';
import { redactText } from '../shared/core/redact';
import { toError } from '../shared/errors';
import type { CardActionClaims } from '../shared/storage/card-action-claims';
import type { ChatBot, ConversationSender, TurnInput } from './transport';

export interface CardActionDeps {
  claims: CardActionClaims;
  sender: ConversationSender;
  now(): Date;
  log(line: string): void;
}

export interface CardAction {
  /** The invoke's activity id: what a redelivery of the same invoke repeats. */
  id: string;
  /** The clicked card's message id (the invoke's replyToId); absent: the result is posted as a new message. */
  cardId?: string;
  input: TurnInput;
}

/** What the invoke answers: a card that replaces the clicked one, or a message that leaves it as it is. */
export type CardActionAnswer = { card: View } | { message: string };

/** What the working card names: the command up to its first option or parameter (a value may be a secret). */
export function shownCommand(text: string): string {
  const words: string[] = [];
  for (const w of text.trim().split(/\s+/)) {
    if (w.includes('=') || w.startsWith('--')) break;
    words.push(w);
  }
  const shown = words.join(' ') || 'help';
  return shown.length > 80 ? `${shown.slice(0, 79)}…` : shown;
}

function noticeView(title: string, text: string, facts: Array<{ title: string; value: string }> = []): View {
  return { kind: 'text', title, text, facts, actions: [] };
}

export async function answerCardAction(
  deps: CardActionDeps,
  action: CardAction,
  bot: ChatBot,
): Promise<CardActionAnswer> {
  const { input } = action;
  const shown = `\`${shownCommand(input.text)}\``;
  const claim = await deps.claims.claim(input.conversation.conversationId, action.id);
  if (claim.status === 'done') return { message: `${shown} already ran (once); its card shows the result.` };
  if (claim.status === 'running') {
    const text =
      `${shown} was received before and runs once: this card shows its result when it ends. If it does not ` +
      'change, that run was interrupted: see `jobs` or `audit` before asking again.';
    return { card: noticeView('Already received', text) };
  }
  const who = input.user.name ?? input.user.id;
  const working = noticeView('Working…', `${shown} for ${who}: this card shows the result when it ends.`, [
    {
      title: 'Started',
      value: deps
        .now()
        .toISOString()
        .replace(/\.\d+Z$/, 'Z'),
    },
  ]);
  const conv = input.conversation;
  // Runs on after the answer went out: in this process, which may be stopped; the claim covers that.
  void (async () => {
    // Never rejects: a failure of the operation is its error view, which replaces the working card.
    const reply = await bot.turn(input);
    // The operation ended: from here a redelivery hears that it ran, whatever happens to the card's update.
    await claim.done();
    let messageId = action.cardId;
    try {
      if (messageId) await deps.sender.update(conv, messageId, reply.view);
      else messageId = (await deps.sender.send(conv, reply.view)).id;
    } catch (e) {
      deps.log(`[bot] card action ${action.id}: its result could not be shown: ${redactText(toError(e).message)}`);
    }
    if (messageId) await reply.posted(messageId);
  })().catch((e: unknown) => {
    deps.log(`[bot] card action ${action.id}: ${redactText(toError(e).message)}`);
  });
  return { card: working };
}
