// What the bot's handlers need from the outside world, injected at the composition root
// (bot/create-bot-services.ts) so tests can hand in the real engine client and real Azurite stores.
import type { BatchAi } from '../shared/batchai/port';
import type { Config } from '../shared/config';
import type { Stores } from '../shared/storage';
import type { AlertSender } from './proactive';

/** shared/storage/file-tail.ts `readTail`: one ranged read of the end of a file, cut to whole lines. */
export type ReadTail = (
  downloadUrl: string,
  size: number,
  opts: { maxBytes: number; maxLines: number },
) => Promise<{ lines: string[]; truncated: boolean; bytesRead: number }>;

export interface BotTiming {
  /** How often a long operation's follow-up polls Batch AI. */
  pollMs: number;
  /** A follow-up gives up (leaving the card as last updated) after this long. */
  followUpMaxMs: number;
}

export interface BotDeps {
  batchAi: BatchAi;
  stores: Stores;
  config: Pick<Config, 'batchAi' | 'policy' | 'logs'>;
  readTail: ReadTail;
  /** Updates a card in place after the turn ended (long operations). */
  sender: AlertSender;
  now(): Date;
  timing?: Partial<BotTiming>;
  /** Where turn failures are logged (never with secrets); console.error by default. */
  log?: (line: string) => void;
}

export const DEFAULT_TIMING: BotTiming = { pollMs: 3000, followUpMaxMs: 30 * 60 * 1000 };
