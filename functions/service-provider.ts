// What the function definitions get instead of services: the service graphs, each required and built on the
// first call that needs it, then shared. Registering the functions loads no SDK but @azure/functions (a cold
// start of a Flex instance pays only that); the health function never loads the chat SDK, the poll function only
// once a tick has news to deliver.
import type { Config } from '../shared/config';
import type { BackendServices } from './backend-services';
import type { Services } from './services';
import type { SlackIntake } from '../bot/slack/intake';

export interface ServiceProvider {
  /** Batch AI client, stores, poller: no chat SDK. */
  backend(): Promise<BackendServices>;
  /** Everything, the chat transport included (built on the same backend services). */
  all(): Promise<Services>;
  /** The Slack HTTP function's graph: signature check and inbox only; undefined when the Slack app is off. */
  slackIntake(): Promise<SlackIntake | undefined>;
}

/** Builds once and shares the result; a failed build is forgotten, so the next call tries again. */
function once<T>(build: () => Promise<T>): () => Promise<T> {
  let shared: Promise<T> | undefined;
  return () =>
    (shared ??= build().catch((e: unknown) => {
      shared = undefined;
      throw e;
    }));
}

export function lazyServices(config: Config): ServiceProvider {
  // require, not import: the modules (and the SDKs below them) load here, on first use, not with this file.
  // The poller's news goes to the whole graph's notifier, built on the first tick that has news.
  const backend: () => Promise<BackendServices> = once(async () =>
    (require('./backend-services') as typeof import('./backend-services')).createBackendServices(config, {
      notifier: async () => (await all()).notifier,
    }),
  );
  const all: () => Promise<Services> = once(async () =>
    (require('./services') as typeof import('./services')).createServices(config, {}, await backend()),
  );
  const slackIntake = once(async () =>
    (require('./slack-intake') as typeof import('./slack-intake')).createSlackIntakeServices(config),
  );
  return { backend, all, slackIntake };
}
