// The proactive port: what sends into a stored conversation outside of a turn (alerts, idle warnings, expired
// approvals) and updates a message sent before (cards followed in place). Each chat transport implements it and
// renders the view for its own channel (bot/botframework/proactive.ts: Teams, web chat, Azure Bot Service's
// Slack channel). shared/ imports no chat SDK and no renderer: it hands over views.
import type { View } from '../core/views';
import type { StoredConversation } from '../storage/index';

export interface ConversationSender {
  /** Posts `view` as a new message; resolves with the message's id when the channel gives one. */
  send(conv: StoredConversation, view: View): Promise<{ id?: string }>;
  /** Replaces message `messageId` (sent or answered before) with `view`. */
  update(conv: StoredConversation, messageId: string, view: View): Promise<void>;
}
