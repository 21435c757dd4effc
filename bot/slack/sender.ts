// The Slack app's side of the proactive port (shared/services/conversation-sender.ts): renders the view as
// Block Kit (cards/slack.ts) and posts it with chat.postMessage, or replaces a message with chat.update, with
// the bot token; a message's id is its `ts`. Calls for one channel are paced to one per second (pacer.ts).
// A 429 is honoured: the channel waits its Retry-After and the call is tried again, a bounded number of
// times; then the send throws, so that the caller (the notifier, a follow-up step) releases its claim and its
// queue retries. Nothing else is retried here: a post whose outcome is unknown (a dropped connection) is left
// to the queue, whose markers say what was sent.
import { ErrorCode, WebClient, type WebAPIRateLimitedError } from '@slack/web-api';
import { renderSlack } from '../../cards/slack';
import type { View } from '../../shared/core/views';
import { ProtocolError } from '../../shared/errors';
import type { ConversationSender } from '../../shared/services/conversation-sender';
import type { StoredConversation } from '../../shared/storage/index';
import { createChartImages } from './chart-images';
import { slackTarget } from './conversation';
import { createFileBudget } from './file-budget';
import { createPacer, type PacerClock } from './pacer';

type Body = ReturnType<typeof renderSlack>;

export interface SlackSenderOptions {
  client: WebClient;
  clock?: PacerClock;
  /** Tries after a 429 before giving up (default 3). */
  throttleRetries?: number;
  /** Longest Retry-After waited for, in seconds (default 30); a longer one fails at once (the queue retries later). */
  maxRetryAfterSeconds?: number;
  /** Where a failed chart upload is noted (the card still goes out). */
  log?: (line: string) => void;
  /** Slack file calls per minute for charts (default 20): file-budget.ts. */
  fileCallsPerMinute?: number;
  /** A running job's chart is uploaded again at most this often (default 300 s): chart-images.ts. */
  chartEverySeconds?: number;
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

  const charts = createChartImages({
    client: opts.client,
    budget: createFileBudget(opts.fileCallsPerMinute ?? 20, clock),
    clock,
    everyMs: (opts.chartEverySeconds ?? 300) * 1000,
    ...(opts.log ? { log: opts.log } : {}),
  });

  /** Posts (or updates) with the chart's image as chart-images.ts decides; tells it which message shows it. */
  async function post(
    channel: string,
    view: View,
    ts: string | undefined,
    call: (body: Body) => Promise<string | undefined>,
  ) {
    const key = (t: string) => `${channel}/${t}`;
    const chart = await charts.prepare(view, ts === undefined ? undefined : key(ts));
    let posted: string | undefined;
    try {
      posted = await paced(channel, () => call(renderSlack(view, chart.image ? { chart: chart.image } : {})));
      return posted;
    } finally {
      await chart.done(posted === undefined ? undefined : key(posted));
    }
  }

  return {
    async send(conv, view) {
      const { channel } = targetOf(conv);
      const ts = await post(channel, view, undefined, async (body) => {
        const r = await opts.client.chat.postMessage({ channel, ...body });
        return r.ts;
      });
      return ts ? { id: ts } : {};
    },
    async update(conv, ts, view) {
      const { channel } = targetOf(conv);
      await post(channel, view, ts, async (body) => {
        await opts.client.chat.update({ channel, ts, ...body });
        return ts;
      });
    },
  };
}
