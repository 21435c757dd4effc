// The chat seam: the bot is a function from a neutral turn input to a reply, and a chat transport is what
// turns one chat SDK's wire protocol into turns and back. Nothing here or in the bot imports a chat SDK.
//
//   incoming HTTP --> ChatTransport.handle --> TurnInput --> ChatBot.turn --> TurnReply (a View)
//                     (authenticate, parse,                      |              | rendered and posted
//                      render, post, answer)  <------------------+--------------+ by the transport
//   alerts, follow-ups --> ConversationSender.send / update (the transport's proactive side)
//
// The Bot Framework transport (bot/botframework/: Teams, web chat and the local chat, Azure Bot Service's Slack
// channel) is the one today; its two files are the only production code that imports botbuilder. A second
// transport (a native Slack app on @slack/bolt, say) plugs in the same way, shaped like bolt's Receiver:
// - an HTTP function verifies the request (Slack: the signing secret over `body`, which is why `body` is the
//   raw text) and maps each event or button press to a TurnInput: `text` = the message without the bot's
//   mention, or the button's `value` (our buttons carry the command); `user` = the Slack user; `conversation`
//   = a StoredConversation whose `reference` is whatever that transport needs to post there later;
// - it calls `bot.turn(input)`, renders `reply.view` (cards/slack.ts renders Block Kit), posts it, and calls
//   `reply.posted(messageId)` with the posted message's id (Slack: its `ts`) so long operations update it;
// - its ConversationSender renders and posts/updates from the stored `reference`. Which sender a stored
//   conversation needs is the transport that stored it: a composition root with two transports routes
//   send/update on the conversation's `channelId`, so each transport stores a channelId of its own (a native
//   Slack app not `slack`, which Azure Bot Service's Slack channel already uses).
// "Continue a conversation" is exactly send/update here: nothing else runs inside a stored conversation.
import type { View } from '../shared/core/views';
import type { ConversationSender } from '../shared/services/conversation-sender';
import type { StoredConversation } from '../shared/storage/index';

export type { ConversationSender };

export interface TurnInput {
  /**
   * What the user asked: the typed text with mentions of the bot removed, or the command a card button carries.
   * Empty = help.
   */
  text: string;
  user: { id: string; name?: string };
  /** The conversation is the person's 1:1 with the bot (Teams `personal`, a Slack DM): where to tell them things. */
  personal?: boolean;
  /** Where the turn happens, as the transport stores it: saved on first contact so alerts can reach it later. */
  conversation: StoredConversation;
}

export interface TurnReply {
  view: View;
  /**
   * Tells the bot that the reply is message `messageId` in the conversation (a new message, or the clicked card
   * it replaced): a long operation keeps that card up to date. Resolves once handed over; never rejects.
   */
  posted(messageId: string): Promise<void>;
}

export interface ChatBot {
  /** One turn. Never rejects: a failure becomes an error view (logged with a reference, never a secret). */
  turn(input: TurnInput): Promise<TurnReply>;
  /** The bot was added to a conversation (or saw it some other way): remember it for alerts. Never rejects. */
  remember(conversation: StoredConversation): Promise<void>;
}

/** An incoming request, as any HTTP host gives it. Header names in lower case; `body` is the raw text. */
export interface ChatRequest {
  method: string;
  headers: Record<string, string | undefined>;
  body: string;
}

/** The answer to send back: a string body as it is, any other body as JSON. */
export interface ChatResponse {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface ChatTransport {
  /** Authenticates one request from the chat service and answers it, running `bot` for each turn it carries. */
  handle(request: ChatRequest, bot: ChatBot): Promise<ChatResponse>;
  /** The proactive side: sends into and updates messages of conversations this transport stored. */
  sender: ConversationSender;
}
