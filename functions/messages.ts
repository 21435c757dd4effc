// HTTP trigger `messages`: the Bot Framework endpoint. Hands the Functions v4 request to the chat transport
// (bot/transport.ts), which authenticates it, runs the bot's turn and says what to answer.
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import type { ChatBot, ChatResponse, ChatTransport } from '../bot/transport';
import type { FunctionDefinition } from './definition';

export interface MessagesServices {
  bot: ChatBot;
  transport: ChatTransport;
}

function toInit(r: ChatResponse): HttpResponseInit {
  const init: HttpResponseInit = { status: r.status, ...(r.headers ? { headers: r.headers } : {}) };
  if (r.body === undefined) return init;
  return typeof r.body === 'string' ? { ...init, body: r.body } : { ...init, jsonBody: r.body };
}

export function createMessagesHandler(services: () => Promise<MessagesServices>) {
  return async (request: HttpRequest, _context: InvocationContext): Promise<HttpResponseInit> => {
    const body = await request.text();
    const { bot, transport } = await services();
    return toInit(await transport.handle({ method: request.method, headers: Object.fromEntries(request.headers), body }, bot));
  };
}

export function createMessagesFunction(services: () => Promise<MessagesServices>): Extract<FunctionDefinition, { trigger: { type: 'http' } }> {
  return {
    name: 'messages',
    trigger: { type: 'http', methods: ['POST'], route: 'messages', authLevel: 'anonymous' },
    handler: createMessagesHandler(services),
  };
}
