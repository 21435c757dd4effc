// What the bot's handlers need from the outside world, injected at the composition root
// (bot/create-bot-services.ts) so tests can hand in the real engine client and real Azurite stores.
import type { ComputePort } from '../shared/compute/port';
import type { Config } from '../shared/config';
import type { Stores } from '../shared/storage';
import type { FollowUpQueue } from '../shared/storage/followup-queue';
import type { ProgressWatchStore } from '../shared/storage/progress-watch-store';
import type { ConversationSender } from '../shared/services/conversation-sender';

export interface BotDeps {
  /** The compute port (shared/compute/port.ts): Batch AI or Azure Batch, log tails included. */
  compute: ComputePort;
  stores: Stores;
  config: Pick<Config, 'compute' | 'policy' | 'logs' | 'followUps' | 'progress'>;
  /** Updates a card in place after the turn ended (long operations). */
  sender: ConversationSender;
  /** Where a long operation's card is handed over to be followed after the turn (functions/followups.ts). */
  followUps: FollowUpQueue;
  /** Cards the progress reader keeps up to date while their job runs (functions/progress.ts); absent: none. */
  progressWatches?: ProgressWatchStore;
  now(): Date;
  /** Where turn failures are logged (never with secrets); console.error unless the composition root says otherwise. */
  log: (line: string) => void;
}
