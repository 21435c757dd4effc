// HTTP trigger `slack` (POST /api/slack/events): the Slack app's one request URL, for the Events API, the
// `/batchai` slash command and interactivity. The intake (bot/slack/intake.ts) verifies Slack's signature over
// the raw body, leaves the turn in the inbox and acknowledges at once; `slack-turns` (slack-turns.ts) runs it.
// Off (404) until both Slack secrets are set.
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import type { SlackIntake } from '../bot/slack/intake';
import { toChatRequest, toHttpResponse } from './chat-http';
import { CHAT_BODY_BYTES, type FunctionDefinition } from './definition';

/** Undefined when SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN are not set. */
export type SlackIntakeProvider = () => Promise<SlackIntake | undefined>;

export function createSlackHandler(intake: SlackIntakeProvider) {
  return async (request: HttpRequest, _context: InvocationContext): Promise<HttpResponseInit> => {
    const slack = await intake();
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
    return toHttpResponse(await slack.handle(await toChatRequest(request)));
  };
}

export function createSlackFunction(
  intake: SlackIntakeProvider,
): Extract<FunctionDefinition, { trigger: { type: 'http' } }> {
  return {
    name: 'slack',
    trigger: { type: 'http', methods: ['POST'], route: 'slack/events', authLevel: 'anonymous' },
    maxBodyBytes: CHAT_BODY_BYTES,
    handler: createSlackHandler(intake),
  };
}
