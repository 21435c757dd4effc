// The bot's composition root: from one Config to the compute port (COMPUTE_BACKEND), Table stores, the `followups`
// queue, the Bot Framework transport (CloudAdapter and its proactive sender), the Slack app transport when its secrets
// are set, one sender routing each conversation to the transport that stored it, the bot, and the step that the
// `followups` queue function runs. The messages and followups functions (and the local host through them) use this;
// tests pass overrides but the same real parts.
import { createCompute } from '../shared/create-compute';
import { maskingTails } from '../shared/services/masked-tails';
import type { Config } from '../shared/config';
import { createStores } from '../shared/storage';
import { createFollowUpQueue } from '../shared/storage/followup-queue';
import { createSlackInbox } from '../shared/storage/slack-inbox';
import { createProgressWatchStore } from '../shared/storage/progress-watch-store';
import { createBotFrameworkTransport } from './botframework/adapter';
import { createBot } from './bot';
import type { BotDeps } from './deps';
import { createFollowUpStep, type FollowUpStep } from './follow-up-step';
import { createProgressReader, type ProgressReader } from './progress-reader';
import { routeByChannel } from './route-sender';
import { SLACK_APP_CHANNEL } from './slack/conversation';
import { createSlackTransport, type SlackTransport, type SlackTransportOptions } from './slack/transport';
import type { ChatBot, ChatTransport } from './transport';

export interface BotServices {
  bot: ChatBot;
  transport: ChatTransport;
  /**
   * The Slack app's turns and posts (Slack's own protocol); undefined unless SLACK_SIGNING_SECRET and
   * SLACK_BOT_TOKEN are set. Its requests come in through functions/slack-intake.ts.
   */
  slack?: SlackTransport;
  deps: BotDeps;
  /** One step of a followed card: what the `followups` queue function runs per message. */
  followUpStep: FollowUpStep;
  /** One tick of the progress reader: what the `progress` timer runs. */
  progressReader: ProgressReader;
}

export type BotOverrides = Partial<Pick<BotDeps, 'compute' | 'stores' | 'now' | 'log'>> & {
  /** The Slack sender's clock (tests run 429 storms without waiting). */
  slack?: Pick<SlackTransportOptions, 'clock'>;
};

export async function createBotServices(config: Config, overrides: BotOverrides = {}): Promise<BotServices> {
  const [stores, followUps, inbox, progressWatches] = await Promise.all([
    overrides.stores ?? createStores(config.storage),
    createFollowUpQueue(config.storage, { delaySeconds: config.followUps.delaySeconds }),
    config.slack ? createSlackInbox(config.storage) : undefined,
    createProgressWatchStore(config.storage),
  ]);
  // Every tail the bot shows (logs, job cards) passes here: the job's secrets are masked by value.
  const compute = maskingTails(overrides.compute ?? (await createCompute(config)), stores.submissions);
  const transport = createBotFrameworkTransport(config.bot);
  const slack =
    config.slack &&
    inbox &&
    createSlackTransport({
      slack: config.slack,
      inbox,
      ...overrides.slack,
      ...(overrides.log ? { log: overrides.log } : {}),
    });
  const deps: BotDeps = {
    compute,
    stores,
    config,
    sender: slack ? routeByChannel({ [SLACK_APP_CHANNEL]: slack.sender }, transport.sender) : transport.sender,
    followUps,
    progressWatches,
    now: overrides.now ?? (() => new Date()),
    log: overrides.log ?? ((line) => console.error(line)),
  };
  const progressReader = createProgressReader({
    ...deps,
    watches: progressWatches,
    budget: {
      maxJobs: config.progress.maxJobsPerTick,
      updateSeconds: config.progress.updateSeconds,
      stallMinutes: config.progress.stallMinutes,
    },
    endedKeptMs: config.retention.progresswatches,
  });
  return {
    bot: createBot(deps),
    transport,
    ...(slack ? { slack } : {}),
    deps,
    followUpStep: createFollowUpStep(deps),
    progressReader,
  };
}
