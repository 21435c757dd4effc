// The Slack app's side of the proactive port (shared/services/conversation-sender.ts): renders the view as
// Block Kit (cards/slack.ts) and posts it with chat.postMessage, or replaces a message with chat.update, with
// the bot token; a message's id is its `ts`. Calls for one channel are paced to one per second (pacer.ts).
// A 429 is honoured: the channel waits its Retry-After and the call is tried again, a bounded number of
// times; then the send throws, so that the caller (the notifier, a follow-up step) releases its claim and its
// queue retries. Nothing else is retried here: a post whose outcome is unknown (a dropped connection) is left
// to the queue, whose markers say what was sent.
import { ErrorCode, WebClient, type WebAPIRateLimitedError } from '@slack/web-api';
import { renderSlack } from '../../cards/slack';
import { redactText } from '../../shared/core/redact';
import type { View } from '../../shared/core/views';
import { ProtocolError, toError } from '../../shared/errors';
import type { ConversationSender } from '../../shared/services/conversation-sender';
import type { StoredConversation } from '../../shared/storage/index';
import { chartToUpload, uploadChart } from './chart-upload';
import { slackTarget } from './conversation';
import { createPacer, type PacerClock } from './pacer';

export interface SlackSenderOptions {
  client: WebClient;
  clock?: PacerClock;
  /** Tries after a 429 before giving up (default 3). */
  throttleRetries?: number;
  /** Longest Retry-After waited for, in seconds (default 30); a longer one fails at once (the queue retries later). */
  maxRetryAfterSeconds?: number;
  /** Where a failed chart upload is noted (the card still goes out). */
  log?: (line: string) => void;
}

/** A WebClient for the sender: 429s come back as errors (the sender waits them), no retries of its own. */
export function createSlackClient(token: string, apiUrl: string): WebClient {
  return new WebClient(token, { slackApiUrl: apiUrl, rejectRateLimitedCalls: true, retryConfig: { retries: 0 } });
}

const realClock: PacerClock = { now: () => Date.now(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) };

function isRateLimited(e: unknown): e is WebAPIRateLimitedError {
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === ErrorCode.RateLimitedError;
}

function targetOf(conv: StoredConversation) {
  const t = slackTarget(conv);
  if (!t) throw new ProtocolError(`conversation ${conv.conversationId} is not a Slack Web API conversation`);
  return t;
}

export function createSlackSender(opts: SlackSenderOptions): ConversationSender {
  const clock = opts.clock ?? realClock;
  const pacer = createPacer(1000, clock);
  const tries = 1 + (opts.throttleRetries ?? 3);
  const maxWaitMs = (opts.maxRetryAfterSeconds ?? 30) * 1000;

  async function paced<T>(channel: string, call: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await pacer.run(channel, call);
      } catch (e) {
        if (!isRateLimited(e)) throw e;
        const waitMs = e.retryAfter * 1000;
        if (attempt >= tries || waitMs > maxWaitMs) throw e;
        pacer.holdOff(channel, waitMs);
      }
    }
  }

  /** Block Kit for the view, its chart uploaded first where it has one; a failed upload leaves the summary line. */
  async function blocks(view: View): Promise<ReturnType<typeof renderSlack>> {
    const chart = chartToUpload(view);
    if (!chart || view.kind !== 'job') return renderSlack(view);
    try {
      const name = `${view.job.experiment}/${view.job.name}`;
      return renderSlack(view, { chartFileId: await uploadChart(opts.client, chart, name) });
    } catch (e) {
      opts.log?.(`[slack] chart upload failed, the card shows its summary: ${redactText(toError(e).message)}`);
      return renderSlack(view);
    }
  }

  return {
    async send(conv, view) {
      const { channel } = targetOf(conv);
      const body = await blocks(view);
      const r = await paced(channel, () => opts.client.chat.postMessage({ channel, ...body }));
      return r.ts ? { id: r.ts } : {};
    },
    async update(conv, ts, view) {
      const { channel } = targetOf(conv);
      const body = await blocks(view);
      await paced(channel, () => opts.client.chat.update({ channel, ts, ...body }));
    },
  };
}
