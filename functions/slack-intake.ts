// The Slack HTTP function's own small graph: the signing secret and the inbox (a table and a queue), nothing
// else. Required on the first Slack request (functions/service-provider.ts), so acknowledging Slack on a cold
// start never waits for bolt, botbuilder or the compute backend; the `slack-turns` queue function builds those.
import { createSlackIntake, type SlackIntake } from '../bot/slack/intake';
import type { Config } from '../shared/config';
import { createSlackInbox } from '../shared/storage/turn-inbox';
import { defaultLog, redacting } from './log';

/** Undefined when the Slack app is off (SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN not set). */
export async function createSlackIntakeServices(
  config: Config,
  log: (line: string) => void = defaultLog,
): Promise<SlackIntake | undefined> {
  if (!config.slack) return undefined;
  const inbox = await createSlackInbox(config.storage);
  return createSlackIntake({ signingSecret: config.slack.signingSecret, inbox, log: redacting(log) });
}
