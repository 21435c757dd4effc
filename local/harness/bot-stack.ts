// The whole chat stack for bot tests and the chat-latency benchmark (a harness, not part of the product): the REAL
// local engine (jobs run as processes), REAL Azurite, botbuilder's real CloudAdapter behind the `messages` function,
// the `followups` and `card-actions` queue functions in the Functions dev host (cards updated in place), and a fake
// channel (the only fake: Teams/Slack's cloud) as serviceUrl. Activities go in as Functions HttpRequests.
// `backend: 'azurebatch'`: the same stack with the product on the engine's Azure Batch facade (account = the
// workspace, pool = cluster gpu).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpRequest, InvocationContext, type HttpResponseInit } from '@azure/functions';
import type { Activity } from 'botbuilder';
import { createBotServices, type BotServices } from '../../bot/create-bot-services';
import { createCardActionsFunction } from '../../functions/card-actions';
import { createFollowUpsFunction } from '../../functions/followups';
import { createMessagesHandler } from '../../functions/messages';
import { startAzurite } from '../azurite';
import { repoRoot } from '../chat/static-files';
import { startEngine, type Engine } from '../engine/index';
import { startFunctionsHost, type FunctionsHost } from '../functions-host/index';
import { loadTemplates } from '../templates-load';
import { createBatchAiClient } from '../../shared/batchai/client';
import { staticTokenCredential } from '../../shared/http/credential';
import { httpClientTrusting } from '../../shared/http/trusted-ca';
import { createDefaultHttpClient, createPipelineRequest } from '@azure/core-rest-pipeline';
import { batchAiCompute } from '../../shared/batchai/compute';
import type { ComputeBackend } from '../../shared/compute/model';
import type { ComputePort } from '../../shared/compute/port';
import { loadConfig, type Config } from '../../shared/config';
import { startFakeChannel, type FakeChannel } from './fake-channel';
import { startOrStop } from './stoppers';

export const SUB = '00000000-0000-0000-0000-0000000000b0';
export const WS = { resourceGroup: 'rg', workspace: 'ws' };
/** The file share the cluster mounts at `afs` (templates write stdout.txt under $AZ_BATCHAI_MOUNT_ROOT/afs). */
const SHARE = {
  accountName: 'acct',
  azureFileUrl: 'https://acct.file.core.windows.net/logs',
  credentials: { accountKey: 'a2V5LW5vdC1yZWFs' },
  relativeMountPath: 'afs',
};

export interface BotStack {
  engine: Engine;
  channel: FakeChannel;
  /** The running bot's services (replaced by startBot after stopBot). */
  readonly services: BotServices;
  config: Config;
  logLines: string[];
  /** Posts an activity to the messages function; returns its HTTP answer. */
  post(activity: Partial<Activity>): Promise<HttpResponseInit>;
  /** Sends text (or a card button's value) as a message and waits for the bot's reply to it. */
  say(conversationId: string, text: string, extra?: Partial<Activity>): Promise<Activity>;
  /** Stops the bot's host (its queue functions) and drops its services, as a host restart would. */
  stopBot(): Promise<void>;
  /**
   * Builds new services and a new host from the same config and storage; `queues: false`: services without the
   * host, an instance that answers chat requests and runs no queue message (it is stopped before it would).
   */
  startBot(opts?: { queues?: boolean }): Promise<void>;
  /** GETs a link from a card as a person's browser would (trusting the engine's Azure ML certificate). */
  fetchText(url: string): Promise<string>;
  stop(): Promise<void>;
}

let seq = 0;

export function message(
  conversationId: string,
  text: string,
  serviceUrl: string,
  extra: Partial<Activity> = {},
): Partial<Activity> {
  return {
    type: 'message',
    id: `in-${++seq}`,
    channelId: 'webchat',
    serviceUrl,
    conversation: { id: conversationId } as Activity['conversation'],
    from: { id: 'user-ada', name: 'Ada' },
    recipient: { id: 'bot', name: 'ChatOps' },
    text,
    timestamp: new Date(),
    ...extra,
  };
}

export async function startBotStack(
  opts: {
    nodes?: number;
    resizeApprovalThreshold?: number;
    env?: Record<string, string>;
    backend?: ComputeBackend;
    /** Wraps the bot's compute port (Batch AI only): tests hold or fail a backend call. */
    wrapCompute?: (compute: ComputePort) => ComputePort;
  } = {},
): Promise<BotStack> {
  return startOrStop(async (stoppers) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'bot-stack-'));
    stoppers.add('data dir', () => rmSync(dataDir, { recursive: true, force: true }));
    const [engine, azurite, channel] = await Promise.all([
      stoppers.track(
        'engine',
        startEngine({
          dataDir,
          timing: { allocationDelayMs: 100, operationDelayMs: 50, schedulerIntervalMs: 50 },
          batch:
            opts.backend === 'azurebatch'
              ? { workspace: { ...WS, subscriptionId: SUB }, account: WS.workspace }
              : undefined,
          azureml: opts.backend === 'azureml' ? {} : undefined,
        }),
        (e) => e.stop(),
      ),
      stoppers.track('Azurite', startAzurite(), (a) => a.stop()),
      stoppers.track('fake channel', startFakeChannel(), (c) => c.stop()),
    ]);
    const config = loadConfig({
      COMPUTE_ARM_ENDPOINT: engine.url,
      COMPUTE_SUBSCRIPTION_ID: SUB,
      COMPUTE_WORKSPACES: `${WS.resourceGroup}/${WS.workspace}`,
      COMPUTE_DEFAULT_EXPERIMENT: 'exp',
      COMPUTE_DEFAULT_CLUSTER: 'gpu',
      COMPUTE_LOCAL_TOKEN: 'local-engine',
      AzureWebJobsStorage: azurite.connectionString,
      RESIZE_APPROVAL_THRESHOLD: String(opts.resizeApprovalThreshold ?? 3),
      FOLLOWUP_DELAY_SECONDS: '1',
      ...(engine.batch
        ? {
            COMPUTE_BACKEND: 'azurebatch',
            AZURE_BATCH_ACCOUNTS: `${engine.batch.account}=${engine.batch.url}`,
            AZURE_BATCH_ACCOUNT_KEY: engine.batch.accountKey,
          }
        : {}),
      ...(engine.azureml
        ? {
            COMPUTE_BACKEND: 'azureml',
            COMPUTE_ARM_ENDPOINT: engine.azureml.url,
            COMPUTE_CA_FILE: engine.azureml.caFile,
          }
        : {}),
      ...opts.env,
    });
    const batchAi = createBatchAiClient({
      endpoint: engine.url,
      subscriptionId: SUB,
      credential: staticTokenCredential('local-engine'),
      pollIntervalMs: 100,
    });
    await batchAi.createWorkspace(WS, { location: 'eastus' });
    await batchAi.createCluster(
      { ...WS, cluster: 'gpu' },
      {
        properties: {
          vmSize: 'STANDARD_NC6',
          scaleSettings: { manual: { targetNodeCount: opts.nodes ?? 2 } },
          userAccountSettings: { adminUserName: 'demo', adminUserPassword: 'not-used-here' },
          nodeSetup: { mountVolumes: { azureFileShares: [SHARE] } },
        },
      },
    );
    const logLines: string[] = [];
    let services: BotServices | undefined;
    let host: FunctionsHost | undefined;
    const running = () => {
      if (!services) throw new Error('the bot is stopped (stopBot): startBot first');
      return services;
    };
    const startBot = async ({ queues = true } = {}) => {
      // Azure Batch: the compute port from the config, as production builds it. Batch AI: the same client with a
      // short LRO poll interval.
      const compute =
        opts.backend === 'azurebatch' || opts.backend === 'azureml'
          ? {}
          : { compute: (opts.wrapCompute ?? ((c) => c))(batchAiCompute(batchAi)) };
      services = await createBotServices(config, { ...compute, log: (l) => logLines.push(l) });
      if (!queues) return;
      host = await startFunctionsHost({
        definitions: [createFollowUpsFunction(async () => running()), createCardActionsFunction(async () => running())],
        connectionString: config.storage.connectionString,
        httpPort: 0,
        // Polled often, so that a follow-up's update arrives soon after its message becomes visible.
        hostJson: { extensions: { queues: { maxPollingInterval: 100, visibilityTimeout: '00:00:01' } } },
        log: (l) => logLines.push(l),
      });
    };
    const stopBot = async () => {
      await host?.stop();
      host = undefined;
      services = undefined;
    };
    stoppers.add('bot host', stopBot);
    await startBot();
    await loadTemplates(running().deps.stores, join(repoRoot(), 'templates'));
    const handler = createMessagesHandler(async () => running());

    const post = (activity: Partial<Activity>) =>
      handler(
        new HttpRequest({
          method: 'POST',
          url: 'http://127.0.0.1/api/messages',
          headers: { 'content-type': 'application/json' },
          body: { string: JSON.stringify(activity) },
        }),
        new InvocationContext({ functionName: 'messages' }),
      );
    const say = async (conversationId: string, text: string, extra: Partial<Activity> = {}) => {
      const a = message(conversationId, text, channel.serviceUrl, extra);
      const res = await post(a);
      if (res.status !== 200)
        throw new Error(`messages answered ${res.status}: ${JSON.stringify(res.jsonBody ?? res.body)}`);
      return channel.waitFor(conversationId, (r) => r.replyToId === a.id);
    };
    return {
      engine,
      channel,
      config,
      logLines,
      post,
      say,
      stopBot,
      startBot,
      async fetchText(url) {
        const ca = engine.azureml && readFileSync(engine.azureml.caFile, 'utf8');
        const http = httpClientTrusting(ca) ?? createDefaultHttpClient();
        const r = await http.sendRequest(createPipelineRequest({ url, method: 'GET', allowInsecureConnection: true }));
        return r.bodyAsText ?? '';
      },
      stop: () => stoppers.stopAll(),
      get services() {
        return running();
      },
    };
  });
}

/** The Adaptive Card of a reply, or undefined (e.g. a Slack reply). */
export function cardOf(a: Partial<Activity>): Record<string, unknown> | undefined {
  const att = a.attachments?.find((x) => x.contentType === 'application/vnd.microsoft.card.adaptive');
  return att?.content as Record<string, unknown> | undefined;
}

/** All text shown on a card (for assertions that do not depend on the card's layout). */
export function cardText(a: Partial<Activity>): string {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(cardOf(a) ?? a.channelData ?? a.text);
  // Cards escape markdown (`API\_TOKEN`); assertions read the text as shown.
  return out.join('\n').replace(/\\([\\`*_{}[\]()#+\-.!<>|~])/g, '$1');
}

/** The `data.command` of every button on a card. */
export function buttonCommands(a: Partial<Activity>): string[] {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) {
      v.forEach(walk);
      return;
    }
    if (!v || typeof v !== 'object') return;
    const o = v as Record<string, unknown>;
    if (
      typeof o.type === 'string' &&
      o.type.startsWith('Action.') &&
      o.data &&
      typeof (o.data as { command?: unknown }).command === 'string'
    ) {
      out.push((o.data as { command: string }).command);
    }
    Object.values(o).forEach(walk);
  };
  walk(cardOf(a));
  return out;
}
