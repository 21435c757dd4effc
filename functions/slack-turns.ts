// Queue trigger on `slack-turns`: one message per Slack request the `slack` function acknowledged, naming its
// conversation; runs that conversation's waiting turns in order (bot/slack/transport.ts drain). A conversation
// another instance is draining is sent again, delayed, by the inbox; a turn that fails is logged, not retried
// (the inbox runs a turn at most once: a person can ask again, a submit must not run twice).
import { SLACK_TURNS_QUEUE } from '../shared/storage/queue-names';
import type { FunctionDefinition } from './definition';
import type { Services } from './services';

export function createSlackTurnsFunction(
  services: () => Promise<Pick<Services, 'bot' | 'slack'>>,
): Extract<FunctionDefinition, { trigger: { type: 'queue' } }> {
  return {
    name: 'slack-turns',
    trigger: { type: 'queue', queueName: SLACK_TURNS_QUEUE },
    handler: async (message, context) => {
      const { bot, slack } = await services();
      if (!slack) {
        context.warn('slack-turns: the Slack app is off (no SLACK_SIGNING_SECRET / SLACK_BOT_TOKEN); message dropped');
        return;
      }
      const r = await slack.drain(message, bot);
      if (r.outcome === 'busy') context.log(`slack-turns ${r.conversation}: another instance runs it; sent again`);
    },
  };
}
