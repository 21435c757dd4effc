// The Bot Framework side of the proactive port (shared/services/conversation-sender.ts): renders the view for
// the stored conversation's channel and sends or updates it with continueConversationAsync on its
// ConversationReference. The connector client already retries a 429 a few times after its Retry-After; when a
// channel keeps throttling past that, we wait its Retry-After again, a bounded number of times, and then give
// up by throwing (the queue message is retried later).
import type { CloudAdapter, ConversationReference, TurnContext } from 'botbuilder';
import type { ConversationSender } from '../../shared/services/conversation-sender';
import type { StoredConversation } from '../../shared/storage/index';
import type { ChartLinker } from '../chart-links';
import { activityWithChart } from './render';

export interface ProactiveOptions {
  /** Extra tries after the connector's own 429 retries gave up (default 2). */
  throttleRetries?: number;
  /** Longest Retry-After honoured, in seconds (default 60); a longer one fails at once. */
  maxRetryAfterSeconds?: number;
  /** Stores a Slack conversation's chart image and answers its link (bot/chart-links.ts); absent: text. */
  chartLink?: ChartLinker;
}

function retryAfterMs(e: unknown): number | undefined {
  if (typeof e !== 'object' || e === null || !('statusCode' in e) || e.statusCode !== 429) return undefined;
  const headers =
    'response' in e
      ? (e.response as { headers?: { get?(n: string): string | undefined } } | undefined)?.headers
      : undefined;
  const raw = headers?.get?.('retry-after');
  if (!raw) return 1000;
  const secs = Number(raw);
  if (Number.isFinite(secs)) return Math.max(0, secs * 1000);
  const at = Date.parse(raw);
  return Number.isNaN(at) ? 1000 : Math.max(0, at - Date.now());
}

export function createProactiveSender(
  adapter: CloudAdapter,
  appId: string,
  opts: ProactiveOptions = {},
): ConversationSender {
  const tries = 1 + (opts.throttleRetries ?? 2);
  const maxWaitMs = (opts.maxRetryAfterSeconds ?? 60) * 1000;

  async function withThrottleRetry<T>(fn: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn();
      } catch (e) {
        const wait = retryAfterMs(e);
        if (wait === undefined || attempt >= tries || wait > maxWaitMs) throw e;
        await new Promise((r) => setTimeout(r, wait));
      }
    }
  }

  function inConversation<T>(conv: StoredConversation, fn: (ctx: TurnContext) => Promise<T>): Promise<T> {
    const reference = conv.reference as Partial<ConversationReference>;
    return withThrottleRetry(async () => {
      let out: T | undefined;
      await adapter.continueConversationAsync(appId, reference, async (ctx) => {
        out = await fn(ctx);
      });
      return out as T;
    });
  }

  return {
    async send(conv, view) {
      const activity = await activityWithChart(conv.channelId, view, opts.chartLink);
      const r = await inConversation(conv, (ctx) => ctx.sendActivity(activity));
      return r?.id ? { id: r.id } : {};
    },
    async update(conv, messageId, view) {
      const activity = await activityWithChart(conv.channelId, view, opts.chartLink);
      await inConversation(conv, (ctx) => ctx.updateActivity({ ...activity, id: messageId }));
    },
  };
}
