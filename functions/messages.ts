// HTTP trigger `messages`: the Bot Framework endpoint. Hands the Functions v4 request to the chat transport
// (bot/transport.ts), which authenticates it, runs the bot's turn and says what to answer.
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import type { ChatBot, ChatTransport } from '../bot/transport';
import { toChatRequest, toHttpResponse } from './chat-http';
import { CHAT_BODY_BYTES, type FunctionDefinition } from './definition';

export interface MessagesServices {
  bot: ChatBot;
  transport: ChatTransport;
}

export function createMessagesHandler(services: () => Promise<MessagesServices>) {
  return async (request: HttpRequest, _context: InvocationContext): Promise<HttpResponseInit> => {
    const chatRequest = await toChatRequest(request);
    const { bot, transport } = await services();
    return toHttpResponse(await transport.handle(chatRequest, bot));
  };
}

export function createMessagesFunction(
  services: () => Promise<MessagesServices>,
): Extract<FunctionDefinition, { trigger: { type: 'http' } }> {
  return {
    name: 'messages',
    trigger: { type: 'http', methods: ['POST'], route: 'messages', authLevel: 'anonymous' },
    maxBodyBytes: CHAT_BODY_BYTES,
    handler: createMessagesHandler(services),
  };
}
