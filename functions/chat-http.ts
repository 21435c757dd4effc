// The Functions v4 HTTP request and response ↔ a chat transport's neutral request and response
// (bot/transport.ts), for every chat endpoint (messages, slack). The body stays the raw text: Slack signs
// the exact bytes, and the Bot Framework transport parses its own JSON.
import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import type { ChatRequest, ChatResponse } from '../bot/transport';

export async function toChatRequest(request: HttpRequest): Promise<ChatRequest> {
  // Headers iterate with lower-case names.
  return { method: request.method, headers: Object.fromEntries(request.headers), body: await request.text() };
}

export function toHttpResponse(r: ChatResponse): HttpResponseInit {
  const init: HttpResponseInit = { status: r.status, ...(r.headers ? { headers: r.headers } : {}) };
  if (r.body === undefined) return init;
  return typeof r.body === 'string' ? { ...init, body: r.body } : { ...init, jsonBody: r.body };
}
