// HTTP trigger `slack` (POST /api/slack/events): the Slack app's one request URL, for the Events API, the
// `/batchai` slash command and interactivity. The Slack transport (bot/slack/transport.ts) verifies Slack's
// signature over the raw body, runs the bot's turn and says what to answer. Off (404) until both Slack
// secrets are set.
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import type { ChatBot, ChatTransport } from '../bot/transport';
import { toChatRequest, toHttpResponse } from './chat-http';
import { CHAT_BODY_BYTES, type FunctionDefinition } from './definition';

export interface SlackServices {
  bot: ChatBot;
  /** Undefined when SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN are not set. */
  slack?: ChatTransport;
}

export function createSlackHandler(services: () => Promise<SlackServices>) {
  return async (request: HttpRequest, _context: InvocationContext): Promise<HttpResponseInit> => {
    const { bot, slack } = await services();
    if (!slack) {
      return {
        status: 404,
        jsonBody: {
          error: {
            code: 'SlackAppOff',
            message: 'The Slack app is off: set SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN.',
          },
        },
      };
    }
    return toHttpResponse(await slack.handle(await toChatRequest(request), bot));
  };
}

export function createSlackFunction(
  services: () => Promise<SlackServices>,
): Extract<FunctionDefinition, { trigger: { type: 'http' } }> {
  return {
    name: 'slack',
    trigger: { type: 'http', methods: ['POST'], route: 'slack/events', authLevel: 'anonymous' },
    maxBodyBytes: CHAT_BODY_BYTES,
    handler: createSlackHandler(services),
  };
}
