// Where to tell a person something outside of their own turn (an approval request they may answer): the
// conversations they last talked to the bot in, one per kind. A personal (1:1) conversation is theirs alone,
// so it is preferred; a channel they used is the fallback. Pure: the table is read by the caller.

import { sameUser } from './roles';

export type ConversationKind = 'personal' | 'channel';

/** The latest conversation of each kind a person talked to the bot in. */
export interface KnownConversations {
  personal?: string;
  channel?: string;
}

export const conversationKind = (personal: boolean): ConversationKind => (personal ? 'personal' : 'channel');

export function whereToTell(known: KnownConversations): string | undefined {
  return known.personal ?? known.channel;
}

export interface CardPlan {
  /** One card per conversation, naming whom it is for. */
  send: Array<{ userId: string; conversationId: string }>;
  /** Would be told, but never talked to the bot. */
  unreachable: string[];
}

/**
 * Whom of `people` to send a card to, and where: never the requester, never into `alreadyThere` (the
 * conversation that asked already shows the card), and one card for several people sharing a channel.
 */
export function planCards(
  people: readonly string[],
  requester: string,
  alreadyThere: string,
  known: ReadonlyMap<string, KnownConversations>,
): CardPlan {
  const plan: CardPlan = { send: [], unreachable: [] };
  const covered = new Set([alreadyThere]);
  for (const userId of people) {
    if (sameUser(userId, requester)) continue;
    const where = whereToTell(known.get(userId) ?? {});
    if (where === undefined) plan.unreachable.push(userId);
    else if (!covered.has(where)) {
      covered.add(where);
      plan.send.push({ userId, conversationId: where });
    }
  }
  return plan;
}
