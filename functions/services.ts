// The backend's composition root: one Config → the real Batch AI client, Table stores, the events queue, the
// chat transport, proactive sender and card follow-up step (through the bot's own composition root, so there is
// one of each), the poller and the notifier. Function files get their services from here; tests build them
// with overrides.
import { createBotServices, type BotServices } from '../bot/create-bot-services';
import { createBatchAiClient } from '../shared/batchai/client';
import { credentialFor } from '../shared/batchai/credential';
import type { BatchAi } from '../shared/batchai/port';
import { loadConfig, type Config } from '../shared/config';
import { createApprovalExpiry, type ApprovalExpiry } from '../shared/services/approval-expiry';
import { createIdleScaleDown, type IdleScaleDown } from '../shared/services/idle';
import { createPoller, type Poller } from '../shared/services/poller';
import { createNotifier, type AlertPort, type Notifier } from '../shared/services/notifier';
import { readTail } from '../shared/storage/file-tail';
import { createBackendStores, createStores, type BackendStores, type StorageOptions, type Stores } from '../shared/storage/index';

export interface Services {
  config: Config;
  batchAi: BatchAi;
  stores: Stores;
  backend: BackendStores;
  transport: BotServices['transport'];
  sender: AlertPort;
  bot: BotServices['bot'];
  followUpStep: BotServices['followUpStep'];
  poller: Poller;
  notifier: Notifier;
  idle: IdleScaleDown;
  approvalExpiry: ApprovalExpiry;
}

export interface ServiceOverrides {
  batchAi?: BatchAi;
  /** e.g. a Table write counter. */
  storage?: StorageOptions;
  /** Replaces the proactive sender (tests that simulate a crash mid-send). */
  sender?: AlertPort;
  log?: (line: string) => void;
}

export async function createServices(config: Config, overrides: ServiceOverrides = {}): Promise<Services> {
  const log = overrides.log ?? ((line: string) => console.log(line));
  const batchAi = overrides.batchAi ?? createBatchAiClient({
    endpoint: config.batchAi.endpoint, subscriptionId: config.batchAi.subscriptionId, credential: credentialFor(config.batchAi),
  });
  const conn = config.storage;
  const [stores, backend] = await Promise.all([createStores(conn, overrides.storage), createBackendStores(conn, overrides.storage)]);
  const botServices = await createBotServices(config, { batchAi, stores, log });
  const sender = overrides.sender ?? botServices.deps.sender;
  return {
    config, batchAi, stores, backend, sender,
    transport: botServices.transport,
    bot: botServices.bot,
    followUpStep: botServices.followUpStep,
    poller: createPoller({ batchAi, workspaces: config.batchAi.workspaces, stores: backend, log }),
    notifier: createNotifier({
      stores, markers: backend.markers, batches: backend.batches, batchAi, readTail,
      sender, logs: config.logs, log,
    }),
    idle: createIdleScaleDown({
      batchAi, workspaces: config.batchAi.workspaces, stores, markers: backend.markers, sender, policy: config.policy, log,
    }),
    approvalExpiry: createApprovalExpiry({ stores, sender, log }),
  };
}

let shared: Promise<Services> | undefined;

/** The process-wide services from the environment, built on first use; a failed build is retried next call. */
export function getServices(): Promise<Services> {
  shared ??= createServices(loadConfig()).catch((e: unknown) => {
    shared = undefined;
    throw e;
  });
  return shared;
}

/**
 * Forgets what getServices() built, so that a host started again in the same process (tests, the local stack)
 * builds it from its own configuration. Nothing runs between invocations, so there is nothing to stop.
 */
export function resetServices(): void {
  shared = undefined;
}
