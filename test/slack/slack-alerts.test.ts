// Alerts to a Slack subscription through the real notifier, its `sent` markers on REAL Azurite, and the Slack
// sender with the real @slack/web-api against the local Slack, which answers 429 to more than one post per
// second per channel and to a storm on demand. A storm longer than the sender waits fails the delivery; the
// notifier releases what it had not sent and the queue's retry (handle() again) posts the rest: every alert
// once, in order, none twice.
import { slackConversation } from '../../bot/slack/conversation';
import { createSlackClient, createSlackSender } from '../../bot/slack/sender';
import { createBatchAiClient } from '../../shared/batchai/client';
import { staticTokenCredential } from '../../shared/http/credential';
import { batchAiCompute } from '../../shared/batchai/compute';
import type { ClusterEvent, EventBatch } from '../../shared/core/events';
import { createNotifier } from '../../shared/services/notifier';
import { createBackendStores, createStores } from '../../shared/storage/index';
import { startLocalSlack, type LocalSlack } from '../../local/slack/local-slack';
import { useAzurite } from '../support/azurite';
import { BOT_TOKEN, SIGNING_SECRET } from './support/slack-requests';
import { virtualClock } from './support/virtual-clock';

const azurite = useAzurite();
let slack: LocalSlack;

afterEach(() => slack?.stop());

// Each test its own workspace (the subscriptions of the other tests' conversations do not match it).
const wsOf = (workspace: string) => ({ resourceGroup: 'rg', workspace });

function clusterEvents(workspace: string, n: number): ClusterEvent[] {
  return Array.from({ length: n }, (_, i) => ({
    kind: 'cluster',
    id: `${workspace}-${i}`,
    workspace: wsOf(workspace),
    resourceId: `/x/clusters/c${i}`,
    cluster: `c${i}`,
    change: 'nodes',
    fromNodeCount: 0,
    at: 't',
    view: {
      workspace,
      name: `c${i}`,
      vmSize: 'STANDARD_NC6',
      allocationState: 'steady',
      currentNodeCount: 2,
      nodes: { idle: 2, running: 0, preparing: 0, leaving: 0, unusable: 0 },
      scale: { mode: 'manual', targetNodeCount: 2 },
      errors: [],
    },
  }));
}

async function setup(channel: string, workspace: string) {
  const clock = virtualClock();
  slack = await startLocalSlack({
    botToken: BOT_TOKEN,
    signingSecret: SIGNING_SECRET,
    now: clock.now,
    strictChannelRate: true,
  });
  const [stores, backend] = await Promise.all([
    createStores(azurite.connectionString),
    createBackendStores(azurite.connectionString),
  ]);
  const conv = slackConversation({ team: 'T0TEAM', channel }, slack.apiUrl);
  await stores.conversations.save(conv);
  await stores.subscriptions.add(conv.conversationId, { workspace });
  const logs: string[] = [];
  const notifier = createNotifier({
    stores,
    markers: backend.markers,
    batches: backend.batches,
    // Cluster alerts read nothing from Batch AI; a client of nowhere proves it.
    compute: batchAiCompute(
      createBatchAiClient({
        endpoint: 'http://127.0.0.1:9',
        subscriptionId: 's',
        credential: staticTokenCredential('t'),
      }),
    ),
    logs: { tailBytes: 4096, tailLines: 5, linkExpiryMinutes: 60 },
    sender: createSlackSender({ client: createSlackClient(BOT_TOKEN, slack.apiUrl), clock }),
    // One card per alert, so that a burst is many posts to one channel.
    digestThreshold: 100,
    log: (l) => logs.push(l),
  });
  return { notifier, logs };
}

const message = (batchId: string, events: ClusterEvent[]): EventBatch => ({
  v: 1,
  batchId,
  workspace: events[0].workspace,
  tickAt: 't',
  events,
});
const posted = (channel: string) => slack.fake.messages(channel).map((m) => /c\d+/.exec(m.text)?.[0]);

test('a 429 storm mid-burst: the delivery fails, the retry posts the rest; every alert once, in order', async () => {
  const { notifier } = await setup('C0ALERTS', 'storm');
  const burst = clusterEvents('storm', 10);
  // Four posts go through, then six 429s (Retry-After 1 s): four are more than the sender waits for one post.
  slack.fake.throttle(6, 1, 'chat.postMessage', 4);

  await expect(notifier.handle(message('b1', burst))).rejects.toThrow(/1 of 1 conversations failed/);
  expect(posted('C0ALERTS')).toEqual(['c0', 'c1', 'c2', 'c3']);

  expect(await notifier.handle(message('b1', burst))).toMatchObject({ sent: 6, alreadySent: 4 });
  // A third delivery of the same message (the queue redelivers) posts nothing.
  expect(await notifier.handle(message('b1', burst))).toMatchObject({ sent: 0, alreadySent: 10 });

  expect(posted('C0ALERTS')).toEqual(burst.map((e) => e.cluster));
  const calls = slack.fake.calls('chat.postMessage');
  expect(calls.filter((c) => c.status === 429)).toHaveLength(6);
  // Every call after a 429 waited its Retry-After; every post to the channel came a second or more after the last.
  calls.slice(1).forEach((c, i) => expect(c.at - calls[i].at).toBeGreaterThanOrEqual(1000));
});

test('a storm at the very start: nothing is lost once Slack lets posts through again', async () => {
  const { notifier } = await setup('C0START', 'start');
  const burst = clusterEvents('start', 5);
  slack.fake.throttle(4, 2, 'chat.postMessage');
  // The failure names the conversation (reported once, by the queue's try that gives up, not per attempt).
  await expect(notifier.handle(message('b2', burst))).rejects.toThrow(/C0START.*rate/i);
  expect(posted('C0START')).toEqual([]);
  expect(await notifier.handle(message('b2', burst))).toMatchObject({ sent: 5, alreadySent: 0 });
  expect(posted('C0START')).toEqual(['c0', 'c1', 'c2', 'c3', 'c4']);
});
