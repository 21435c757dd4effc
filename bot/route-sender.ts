// With two chat transports, a stored conversation is sent into by the transport that stored it: each stores
// its own channelId (the Slack app `slack-app`; the Bot Framework the channel's: msteams, slack, webchat, …).
import type { ConversationSender } from '../shared/services/conversation-sender';

/** `byChannel[conv.channelId]` when there is one, else `fallback`. */
export function routeByChannel(
  byChannel: Record<string, ConversationSender>,
  fallback: ConversationSender,
): ConversationSender {
  const pick = (channelId: string) => byChannel[channelId] ?? fallback;
  return {
    send: (conv, view) => pick(conv.channelId).send(conv, view),
    update: (conv, id, view) => pick(conv.channelId).update(conv, id, view),
  };
}
