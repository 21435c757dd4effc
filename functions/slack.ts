// HTTP trigger `slack` (POST /api/slack/events): the Slack app's one request URL, for the Events API, the
// `/batchai` slash command and interactivity. The Slack transport (bot/slack/transport.ts) verifies Slack's
// signature over the raw body, runs the bot's turn and says what to answer. Off (404) until both Slack
// secrets are set.
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import type { ChatBot, ChatRequest, ChatResponse, ChatTransport } from '../bot/transport';
import type { FunctionDefinition } from './definition';
import { getServices } from './services';

export interface SlackServices {
  bot: ChatBot;
  /** Undefined when SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN are not set. */
  slack?: ChatTransport;
}

/** Slack signs the exact bytes: the body goes on as text, never re-serialized. */
export async function toChatRequest(request: HttpRequest): Promise<ChatRequest> {
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => { headers[name.toLowerCase()] = value; });
  return { method: request.method, headers, body: await request.text() };
}

export function toHttpResponse(r: ChatResponse): HttpResponseInit {
  const init: HttpResponseInit = { status: r.status, ...(r.headers ? { headers: r.headers } : {}) };
  if (r.body === undefined) return init;
  return typeof r.body === 'string' ? { ...init, body: r.body } : { ...init, jsonBody: r.body };
}

export function createSlackHandler(services: () => Promise<SlackServices>) {
  return async (request: HttpRequest, _context: InvocationContext): Promise<HttpResponseInit> => {
    const { bot, slack } = await services();
    if (!slack) {
      return { status: 404, jsonBody: { error: { code: 'SlackAppOff', message: 'The Slack app is off: set SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN.' } } };
    }
    return toHttpResponse(await slack.handle(await toChatRequest(request), bot));
  };
}

export const slackFunction: FunctionDefinition = {
  name: 'slack',
  trigger: { type: 'http', methods: ['POST'], route: 'slack/events', authLevel: 'anonymous' },
  handler: createSlackHandler(getServices as unknown as () => Promise<SlackServices>),
};
