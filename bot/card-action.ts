// A Teams card action (Action.Execute → an `adaptiveCard/action` invoke) is answered at once, whatever the
// operation behind it costs: Teams gives the bot five seconds to answer an invoke, then shows the person an
// error ("Your app has five seconds to respond to the invoke": Microsoft Learn, Teams platform docs, "Respond to
// the dialog submit action", learn.microsoft.com/microsoftteams/platform/messaging-extensions/how-to/
// action-commands/respond-to-task-module-submit), and one backend call can take longer than that (a cold start,
// an ARM operation). Nothing runs after the answer in this process (a Functions instance may be stopped then):
// the action is kept, sealed (its command may carry a secret value), in the card actions' inbox
// (shared/storage/turn-inbox.ts) and its conversation enqueued on `card-actions`; only then is the invoke
// answered with the clicked card in a working state (what runs, for whom, since when; no buttons, so it cannot
// be pressed again). The queue function runs it (card-action-run.ts) and updates the same card in place.
// Not kept or not enqueued: the invoke is answered with an error and nothing runs. The inbox accepts an invoke
// id once, so a redelivered invoke runs nothing and is told where the first one is (card-action-claims.ts).
import type { View } from '../shared/core/views';
import { redactText } from '../shared/core/redact';
import { toError } from '../shared/errors';
import type { CardActionClaims } from '../shared/storage/card-action-claims';
import type { TurnInbox } from '../shared/storage/turn-inbox';
import type { TurnInput } from './transport';

export interface CardActionDeps {
  inbox: Pick<TurnInbox, 'accept'>;
  claims: Pick<CardActionClaims, 'state'>;
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

/**
 * What the invoke answers: a card that replaces the clicked one, a message that leaves it as it is, or an error
 * (the action was not kept: nothing runs).
 */
export type CardActionAnswer = { card: View } | { message: string } | { notAccepted: string };

/** What a card action's notices name: the command up to its first option or parameter (a value may be a secret). */
export function shownCommand(text: string): string {
  const words: string[] = [];
  for (const w of text.trim().split(/\s+/)) {
    if (w.includes('=') || w.startsWith('--')) break;
    words.push(w);
  }
  const shown = words.join(' ') || 'help';
  return shown.length > 80 ? `${shown.slice(0, 79)}…` : shown;
}

export function noticeView(title: string, text: string, facts: Array<{ title: string; value: string }> = []): View {
  return { kind: 'text', title, text, facts, actions: [] };
}

export async function answerCardAction(deps: CardActionDeps, action: CardAction): Promise<CardActionAnswer> {
  const { input } = action;
  const shown = `\`${shownCommand(input.text)}\``;
  const conversation = input.conversation.conversationId;
  let outcome: 'queued' | 'duplicate';
  try {
    outcome = await deps.inbox.accept({
      conversation,
      requestKey: `${conversation}\n${action.id}`,
      body: JSON.stringify(action),
      contentType: 'application/json',
    });
  } catch (e) {
    deps.log(`[bot] card action ${action.id} not accepted: ${redactText(toError(e).message)}`);
    return { notAccepted: `${shown} was not accepted (storage did not answer) and did not run: try again.` };
  }
  if (outcome === 'duplicate') {
    if ((await deps.claims.state(conversation, action.id)) === 'done')
      return { message: `${shown} already ran (once); its card shows how it ended.` };
    const text = `${shown} was received before and runs once: this card shows its result when it ends.`;
    return { card: noticeView('Already received', text) };
  }
  const who = input.user.name ?? input.user.id;
  const started = deps
    .now()
    .toISOString()
    .replace(/\.\d+Z$/, 'Z');
  return {
    card: noticeView('Working…', `${shown} for ${who}: this card shows the result when it ends.`, [
      { title: 'Started', value: started },
    ]),
  };
}
