// The bot's composition root: from one Config to the real Batch AI client, Table stores, CloudAdapter,
// proactive sender and bot. The messages function (and the local host through it) uses this; tests pass
// overrides (e.g. short follow-up timings) but the same real parts.
import type { CloudAdapter } from 'botbuilder';
import { createBatchAiClient } from '../shared/batchai/client';
import { credentialFor } from '../shared/batchai/credential';
import type { Config } from '../shared/config';
import { createStores } from '../shared/storage';
import { readTail } from '../shared/storage/file-tail';
import { createCloudAdapter } from './adapter';
import { createBot, type ChatBot } from './bot';
import type { BotDeps } from './deps';
import { createProactiveSender } from './proactive';

export interface BotServices {
  bot: ChatBot;
  adapter: CloudAdapter;
  deps: BotDeps;
  /** Stops follow-ups still running. */
  stop(): Promise<void>;
}

export async function createBotServices(
  config: Config,
  overrides: Partial<Pick<BotDeps, 'batchAi' | 'stores' | 'readTail' | 'now' | 'timing' | 'log'>> = {},
): Promise<BotServices> {
  const batchAi =
    overrides.batchAi ??
    createBatchAiClient({
      endpoint: config.batchAi.endpoint,
      subscriptionId: config.batchAi.subscriptionId,
      credential: credentialFor(config.batchAi),
    });
  const stores = overrides.stores ?? (await createStores(config.storage.connectionString));
  const adapter = createCloudAdapter(config.bot);
  const deps: BotDeps = {
    batchAi,
    stores,
    config,
    readTail: overrides.readTail ?? ((url, size, opts) => readTail(url, size, opts)),
    sender: createProactiveSender(adapter, config.bot.appId),
    now: overrides.now ?? (() => new Date()),
  };
  if (overrides.timing) deps.timing = overrides.timing;
  if (overrides.log) deps.log = overrides.log;
  const bot = createBot(deps);
  return { bot, adapter, deps, stop: () => bot.stop() };
}
