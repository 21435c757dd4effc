// What the bot's handlers need from the outside world, injected at the composition root
// (bot/create-bot-services.ts) so tests can hand in the real engine client and real Azurite stores.
import type { BatchAi } from '../shared/batchai/port';
import type { Config } from '../shared/config';
import type { Stores } from '../shared/storage';
import type { FollowUpQueue } from '../shared/storage/followup-queue';
import type { ReadTail } from '../shared/services/alert-content';
import type { ConversationSender } from '../shared/services/conversation-sender';

/** shared/storage/file-tail.ts `readTail` in production: one ranged read of the end of a file, cut to whole lines. */
export type { ReadTail };

export interface BotDeps {
  batchAi: BatchAi;
  stores: Stores;
  config: Pick<Config, 'batchAi' | 'policy' | 'logs' | 'followUps'>;
  readTail: ReadTail;
  /** Updates a card in place after the turn ended (long operations). */
  sender: ConversationSender;
  /** Where a long operation's card is handed over to be followed after the turn (functions/followups.ts). */
  followUps: FollowUpQueue;
  now(): Date;
  /** Where turn failures are logged (never with secrets); console.error unless the composition root says otherwise. */
  log: (line: string) => void;
}
