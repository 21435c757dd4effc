// The backend's composition root without any chat SDK: one Config → the compute port (COMPUTE_BACKEND), Table stores,
// the backend's stores and queue, and the poller. The poll and health functions need only this (so their
// first call never loads botbuilder); functions/services.ts adds the chat side on top of it. The poller delivers
// its news itself through a notifier it asks for when it has some (services/handoff.ts): a poll without news
// loads no chat SDK.
import { createCompute } from '../shared/create-compute';
import type { ComputePort } from '../shared/compute/port';
import type { Config } from '../shared/config';
import { maskingTails } from '../shared/services/masked-tails';
import { createHandoff } from '../shared/services/handoff';
import type { Notifier } from '../shared/services/notifier';
import { createPoller, type Poller } from '../shared/services/poller';
import {
  createBackendStores,
  createStores,
  type BackendStores,
  type StorageOptions,
  type Stores,
} from '../shared/storage/index';
import { createHousekeeping, type Housekeeping } from '../shared/storage/housekeeping-store';
import { defaultLog, redacting } from './log';

export interface BackendServices {
  config: Config;
  compute: ComputePort;
  stores: Stores;
  backend: BackendStores;
  poller: Poller;
  /** Expires the cache and queue tables (the `housekeeping` timer). */
  housekeeping: Housekeeping;
}

export interface BackendOverrides {
  compute?: ComputePort;
  /** e.g. a Table write counter. */
  storage?: StorageOptions;
  log?: (line: string) => void;
  /** The notifier the poller hands its news to (absent: the notify queue trigger delivers every message). */
  notifier?: () => Promise<Pick<Notifier, 'handle'>>;
}

export async function createBackendServices(
  config: Config,
  overrides: BackendOverrides = {},
): Promise<BackendServices> {
  const conn = config.storage;
  const log = redacting(overrides.log ?? defaultLog);
  const [stores, backend, housekeeping] = await Promise.all([
    createStores(conn, overrides.storage),
    createBackendStores(conn, overrides.storage),
    createHousekeeping(conn, { retention: config.retention, log }),
  ]);
  // Every tail the product shows passes here: the job's secrets are masked by value.
  const compute = maskingTails(overrides.compute ?? (await createCompute(config)), stores.submissions);
  const poller = createPoller({
    compute,
    workspaces: config.compute.workspaces,
    stores: backend,
    log,
    ...(overrides.notifier
      ? { handoff: createHandoff({ notifier: overrides.notifier, queue: backend.events, log }) }
      : {}),
  });
  return { config, compute, stores, backend, poller, housekeeping };
}
