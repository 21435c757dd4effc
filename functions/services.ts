// The whole composition root: the backend's services (functions/backend-services.ts) plus the chat side: the
// bot and its transport, proactive sender and card follow-up step (through the bot's own composition root, so
// there is one of each), the notifier, idle scale-down and approval expiry. Loaded on the first call of a
// function that needs it (functions/service-provider.ts); tests and the bench build it with overrides.
import { createBotServices, type BotOverrides, type BotServices } from '../bot/create-bot-services';
import type { Config } from '../shared/config';
import { createApprovalExpiry, type ApprovalExpiry } from '../shared/services/approval-expiry';
import { createIdleScaleDown, type IdleScaleDown } from '../shared/services/idle';
import { createNotifier, type AlertPort, type Notifier } from '../shared/services/notifier';
import { createBackendServices, type BackendOverrides, type BackendServices } from './backend-services';
import { defaultLog, redacting } from './log';

export interface Services extends BackendServices {
  transport: BotServices['transport'];
  slack?: BotServices['slack'];
  sender: AlertPort;
  bot: BotServices['bot'];
  cardActions: BotServices['cardActions'];
  followUpStep: BotServices['followUpStep'];
  progressReader: BotServices['progressReader'];
  notifier: Notifier;
  idle: IdleScaleDown;
  approvalExpiry: ApprovalExpiry;
}

export interface ServiceOverrides extends BackendOverrides {
  /** Replaces the proactive sender of alerts and notices (tests that simulate a crash mid-send). */
  sender?: AlertPort;
  /** The Slack sender's clock (see createBotServices). */
  slack?: BotOverrides['slack'];
  /** false: the poller leaves every message to the notify queue trigger (tests of that path). Default true. */
  handoff?: boolean;
}

/** `base`: the backend's services when already built (the lazy provider shares them with poll and health). */
export async function createServices(
  config: Config,
  overrides: ServiceOverrides = {},
  base?: BackendServices,
): Promise<Services> {
  const log = redacting(overrides.log ?? defaultLog);
  // The poller asks for the notifier only once it has news, after this has returned it.
  let notifier: Notifier | undefined;
  const backendServices =
    base ??
    (await createBackendServices(config, {
      ...overrides,
      ...(overrides.handoff === false
        ? {}
        : {
            notifier: async () => {
              if (!notifier) throw new Error('the notifier is asked for before the services are built');
              return notifier;
            },
          }),
    }));
  const { compute, stores, backend } = backendServices;
  const botServices = await createBotServices(config, {
    compute,
    stores,
    log,
    ...(overrides.slack ? { slack: overrides.slack } : {}),
  });
  const sender = overrides.sender ?? botServices.deps.sender;
  return {
    ...backendServices,
    sender,
    transport: botServices.transport,
    ...(botServices.slack ? { slack: botServices.slack } : {}),
    bot: botServices.bot,
    cardActions: botServices.cardActions,
    followUpStep: botServices.followUpStep,
    progressReader: botServices.progressReader,
    notifier: (notifier = createNotifier({
      stores,
      markers: backend.markers,
      batches: backend.batches,
      compute,
      sender,
      logs: config.logs,
      log,
      // After host.json's visibilityTimeout, as a retry of the message would come.
      requeue: { queue: backend.events, delaySeconds: 10 },
      ...(botServices.deps.progressWatches ? { progressWatches: botServices.deps.progressWatches } : {}),
    })),
    idle: createIdleScaleDown({
      compute,
      workspaces: config.compute.workspaces,
      stores,
      markers: backend.markers,
      sender,
      policy: config.policy,
      log,
    }),
    // An overridden sender replaces the sending of notices; cards are updated by the bot's own sender.
    approvalExpiry: createApprovalExpiry({
      stores,
      compute,
      sender: { send: (c, v) => sender.send(c, v), update: (c, id, v) => botServices.deps.sender.update(c, id, v) },
      log,
    }),
  };
}
