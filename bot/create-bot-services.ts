// The bot's composition root: from one Config to the compute port (COMPUTE_BACKEND), Table stores, the `followups`
// queue, the card actions' inbox and runner (the `card-actions` queue), the Bot Framework transport (CloudAdapter
// and its proactive sender), the Slack app transport when its secrets are set, one sender routing each
// conversation to the transport that stored it, the bot, and the step that the `followups` queue function runs.
// The messages, followups and card-actions functions (and the local host through them) use this; tests pass
// overrides but the same real parts.
import { createCompute } from '../shared/create-compute';
import { maskingTails } from '../shared/services/masked-tails';
import type { Config } from '../shared/config';
import { createStores } from '../shared/storage';
import { createFollowUpQueue } from '../shared/storage/followup-queue';
import { createCardActionInbox, createSlackInbox } from '../shared/storage/turn-inbox';
import { createCardActionClaims } from '../shared/storage/card-action-claims';
import { createAppBlobs } from '../shared/storage/output-blobs';
import { createProgressWatchStore } from '../shared/storage/progress-watch-store';
import { createBotFrameworkTransport } from './botframework/adapter';
import { createCardActionRunner, type CardActionRunner } from './card-action-run';
import { createBot } from './bot';
import { CHART_CONTAINER, createChartLinks } from './chart-links';
import type { BotDeps } from './deps';
import { createFollowUpStep, type FollowUpStep } from './follow-up-step';
import { createProgressReader, type ProgressReader } from './progress-reader';
import { routeByChannel } from './route-sender';
import { SLACK_APP_CHANNEL } from './slack/conversation';
import type { SlackTransport, SlackTransportOptions } from './slack/transport';
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
  /** Teams card actions the `messages` function accepted: what the `card-actions` queue function runs. */
  cardActions: CardActionRunner;
  /** One step of a followed card: what the `followups` queue function runs per message. */
  followUpStep: FollowUpStep;
  /** One tick of the progress reader: what the `progress` timer runs. */
  progressReader: ProgressReader;
}

export type BotOverrides = Partial<Pick<BotDeps, 'compute' | 'stores' | 'now' | 'log'>> & {
  /** The Slack sender's clock (tests run 429 storms without waiting). */
  slack?: Pick<SlackTransportOptions, 'clock'>;
};

/**
 * The Slack app's transport, built (and @slack/web-api required) on its first send, update or drain: a Teams
 * turn shares this root and never loads it (bench cold-start).
 */
function lazySlackTransport(opts: SlackTransportOptions): SlackTransport {
  let built: SlackTransport | undefined;
  const get = () =>
    (built ??= (require('./slack/transport') as typeof import('./slack/transport')).createSlackTransport(opts));
  return {
    sender: { send: (c, v) => get().sender.send(c, v), update: (c, id, v) => get().sender.update(c, id, v) },
    drain: (message, bot) => get().drain(message, bot),
  };
}

export async function createBotServices(config: Config, overrides: BotOverrides = {}): Promise<BotServices> {
  const log = overrides.log ?? ((line: string) => console.error(line));
  const [stores, followUps, inbox, progressWatches, claims, cardInbox] = await Promise.all([
    overrides.stores ?? createStores(config.storage),
    createFollowUpQueue(config.storage, { delaySeconds: config.followUps.delaySeconds }),
    config.slack ? createSlackInbox(config.storage, { log }) : undefined,
    createProgressWatchStore(config.storage),
    createCardActionClaims(config.storage),
    createCardActionInbox(config.storage, { log }),
  ]);
  // Every tail the bot shows (logs, job cards) passes here: the job's secrets are masked by value.
  const compute = maskingTails(overrides.compute ?? (await createCompute(config)), stores.submissions);
  const now = overrides.now ?? (() => new Date());
  // Bot Service's Slack channel shows a chart by link to a blob of the app's storage account (when it has one).
  const chartBlobs = createAppBlobs(config.storage, CHART_CONTAINER);
  const chartLink = chartBlobs && createChartLinks(chartBlobs, log);
  const transport = createBotFrameworkTransport(config.bot, {
    cardActions: { inbox: cardInbox, claims, now, log },
    ...(chartLink ? { chartLink } : {}),
  });
  const slack =
    config.slack &&
    inbox &&
    lazySlackTransport({
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
    now,
    log,
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
    cardActions: createCardActionRunner({ inbox: cardInbox, claims, sender: transport.sender, log }),
    followUpStep: createFollowUpStep(deps),
    progressReader,
  };
}
