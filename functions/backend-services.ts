// The backend's composition root without any chat SDK: one Config → the compute port (COMPUTE_BACKEND), Table stores,
// the backend's stores and queue, and the poller. The poll and health functions need only this (so their
// first call never loads botbuilder); functions/services.ts adds the chat side on top of it.
import { createCompute } from '../shared/create-compute';
import type { ComputePort } from '../shared/compute/port';
import type { Config } from '../shared/config';
import { maskingTails } from '../shared/services/masked-tails';
import { createPoller, type Poller } from '../shared/services/poller';
import {
  createBackendStores,
  createStores,
  type BackendStores,
  type StorageOptions,
  type Stores,
} from '../shared/storage/index';
import { defaultLog, redacting } from './log';

export interface BackendServices {
  config: Config;
  compute: ComputePort;
  stores: Stores;
  backend: BackendStores;
  poller: Poller;
}

export interface BackendOverrides {
  compute?: ComputePort;
  /** e.g. a Table write counter. */
  storage?: StorageOptions;
  log?: (line: string) => void;
}

export async function createBackendServices(
  config: Config,
  overrides: BackendOverrides = {},
): Promise<BackendServices> {
  const conn = config.storage;
  const [stores, backend] = await Promise.all([
    createStores(conn, overrides.storage),
    createBackendStores(conn, overrides.storage),
  ]);
  // Every tail the product shows passes here: the job's secrets are masked by value.
  const compute = maskingTails(overrides.compute ?? (await createCompute(config)), stores.submissions);
  const poller = createPoller({
    compute,
    workspaces: config.compute.workspaces,
    stores: backend,
    log: redacting(overrides.log ?? defaultLog),
  });
  return { config, compute, stores, backend, poller };
}
