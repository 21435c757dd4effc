// `npm start`: the whole product on one machine. Azurite (Tables, Queues, Blobs), the local Batch AI engine seeded
// with workspace local/local, experiment `default` and cluster `cpu`, the templates/ folder loaded, the
// Functions dev host running every function definition, the local chat, and the local Slack (Slack's Web API
// and its signed requests to /api/slack/events, with a signing secret made for this run). With
// COMPUTE_BACKEND=azurebatch the product talks to the engine's Azure Batch facade instead: account `local` (the
// well-known local key), whose pools are that workspace's clusters (pool `cpu`), outputs uploaded to Azurite's
// Blob service; with COMPUTE_BACKEND=azureml, the engine's Azure ML facade over HTTPS (workspace local/local,
// compute `cpu`), trusted through COMPUTE_CA_FILE = the facade's certificate. Everything listens on 127.0.0.1;
// Ctrl-C or SIGTERM stops it all. startLocalStack() is the same
// thing for tests (free ports, temp data).
import { randomBytes } from 'node:crypto';
import { localSecretsKey } from './secrets-key';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { createDefinitions } from '../functions/index';
import { lazyServices } from '../functions/service-provider';
import { createBatchAiClient } from '../shared/batchai/client';
import { credentialFor } from '../shared/http/credential';
import type { BatchAi } from '../shared/batchai/port';
import { loadConfig, type Config } from '../shared/config';
import { isNotFound, toError } from '../shared/errors';
import { startAzurite, type AzuritePorts } from './azurite';
import { startChatServer } from './chat/server';
import { repoRoot } from './chat/static-files';
import { startEngine, type Engine, type EngineBatchAccount, type EngineOptions } from './engine';
import type { FaultInjector } from './engine/rest/faults';
import { installExamples } from './example-share';
import { startLocalSlack } from './slack/local-slack';
import { readHostJson, startFunctionsHost } from './functions-host';
import { loadTemplates } from './templates-load';

/** What the stack uses of the engine, wherever it runs. */
export type StackEngine = Pick<Engine, 'url' | 'filesUrl' | 'storageAccount' | 'shareDir' | 'azureml' | 'stop'> & {
  batch?: Pick<EngineBatchAccount, 'url' | 'account' | 'accountKey'>;
  /** In process only: absent when the engine runs in another process. */
  faults?: FaultInjector;
};

export interface LocalStackOptions {
  /** .data/ for npm start: azurite/, engine/ and chat/ live below it and survive restarts. */
  dataDir: string;
  /** 0 or absent = a free port (Azurite: absent = free ports). */
  ports?: {
    azurite?: AzuritePorts;
    engine?: number;
    files?: number;
    batch?: number;
    azureml?: number;
    functions?: number;
    chat?: number;
    slack?: number;
  };
  /** The poll timer's interval (default 3 s) instead of its NCRONTAB schedule. */
  pollSeconds?: number;
  azuriteInMemory?: boolean;
  engineTiming?: EngineOptions['timing'];
  /**
   * The local chat and Slack run in another process (the soak bench's driver, so that their transcripts do not
   * count in this process's memory): this one starts neither, and the product talks to that Slack.
   */
  externalChat?: { slackApiUrl: string; slackSigningSecret: string };
  /**
   * Starts the engine (default startEngine, in this process). The soak bench starts it in a process of its own,
   * so that this process's memory is the product's: the engine keeps every job it ever ran.
   */
  startEngine?: (opts: EngineOptions) => Promise<StackEngine>;
  /** The environment to start from (default process.env); the local settings are laid over it. */
  env?: Record<string, string | undefined>;
  log?: (line: string) => void;
}

export interface LocalStack {
  config: Config;
  /** `chat` and `slack` are '' with externalChat. */
  urls: {
    chat: string;
    functions: string;
    messages: string;
    engine: string;
    files: string;
    slack: string;
    slackEvents: string;
  };
  /** With COMPUTE_BACKEND=azurebatch: the engine's Batch account the product uses. */
  batchAccount?: { account: string; url: string; key: string };
  /** With COMPUTE_BACKEND=azureml: the engine's Azure ML facade the product uses, and the CA file it trusts. */
  azureml?: { url: string; caFile: string };
  /** Names of the templates loaded from templates/. */
  templates: string[];
  /** The functions host's key: `x-functions-key` for /api/health/details (a new one each start). */
  functionKey: string;
  /**
   * The engine's fault injector, for tests (hold points, slow or failing answers): in process only, so absent
   * with an engine started elsewhere (startEngine).
   */
  faults?: FaultInjector;
  stop(): Promise<void>;
}

const LOCAL_SUBSCRIPTION = '00000000-0000-0000-0000-000000000000';
/** The local Slack accepts this bot token only; the app gets it as SLACK_BOT_TOKEN. */
export const LOCAL_SLACK_TOKEN = 'xoxb-local-slack';
const WORKSPACE = { resourceGroup: 'local', workspace: 'local' };

/** The settings that make the product talk to the local parts; everything else comes from `base`. */
export function localEnv(
  base: Record<string, string | undefined>,
  parts: {
    engineUrl: string;
    connectionString: string;
    storageAccount: { name: string; key: string };
    slack: { apiUrl: string; signingSecret: string };
    /** SECRETS_KEY from the data folder (secrets-key.ts), unless the environment sets one. */
    secretsKey: string;
    batch?: { account: string; url: string; key: string };
    azureml?: { url: string; caFile: string };
  },
) {
  const compute = parts.batch
    ? {
        COMPUTE_BACKEND: 'azurebatch',
        AZURE_BATCH_ACCOUNTS: `${parts.batch.account}=${parts.batch.url}`,
        AZURE_BATCH_ACCOUNT_KEY: parts.batch.key,
      }
    : parts.azureml
      ? { COMPUTE_BACKEND: 'azureml', COMPUTE_CA_FILE: parts.azureml.caFile }
      : { COMPUTE_BACKEND: 'batchai' };
  // Job files written for az batchai get the engine's storage account, unless one is configured.
  const account = base.BATCHAI_STORAGE_ACCOUNT
    ? {}
    : { BATCHAI_STORAGE_ACCOUNT: parts.storageAccount.name, BATCHAI_STORAGE_KEY: parts.storageAccount.key };
  return {
    ...base,
    COMPUTE_ARM_ENDPOINT: parts.azureml?.url ?? parts.engineUrl,
    COMPUTE_SUBSCRIPTION_ID: base.COMPUTE_SUBSCRIPTION_ID || LOCAL_SUBSCRIPTION,
    COMPUTE_WORKSPACES: `${WORKSPACE.resourceGroup}/${WORKSPACE.workspace}`,
    // The engine accepts any bearer token; this one only marks "no Azure AD".
    COMPUTE_LOCAL_TOKEN: 'local-engine',
    COMPUTE_DEFAULT_EXPERIMENT: base.COMPUTE_DEFAULT_EXPERIMENT || 'default',
    COMPUTE_DEFAULT_CLUSTER: base.COMPUTE_DEFAULT_CLUSTER || 'cpu',
    AzureWebJobsStorage: parts.connectionString,
    SECRETS_KEY: base.SECRETS_KEY || parts.secretsKey,
    ...account,
    ...compute,
    // No app id: the local chat sends unauthenticated activities, as the Bot Framework Emulator does.
    MicrosoftAppId: '',
    MicrosoftAppPassword: '',
    MicrosoftAppTenantId: '',
    // The Slack app talks to the local Slack, which signs its requests with this run's secret.
    SLACK_SIGNING_SECRET: parts.slack.signingSecret,
    SLACK_BOT_TOKEN: LOCAL_SLACK_TOKEN,
    SLACK_API_URL: parts.slack.apiUrl,
    // A card may show new progress every 5 s locally (once a minute in Azure).
    PROGRESS_UPDATE_SECONDS: base.PROGRESS_UPDATE_SECONDS || '5',
    // A running job's chart image goes to the local Slack every 20 s (every 5 min in Azure).
    SLACK_CHART_SECONDS: base.SLACK_CHART_SECONDS || '20',
  };
}

async function ensure(get: () => Promise<unknown>, create: () => Promise<unknown>): Promise<void> {
  try {
    await get();
  } catch (e) {
    if (!isNotFound(e)) throw e;
    await create();
  }
}

/** Workspace local/local, experiment default, cluster cpu: 2 nodes, an Azure file share mounted at `afs`. */
async function seedEngine(batchAi: BatchAi, config: Config): Promise<void> {
  const experiment = { ...WORKSPACE, experiment: config.compute.defaultExperiment };
  const cluster = { ...WORKSPACE, cluster: config.compute.defaultCluster };
  await ensure(
    () => batchAi.getWorkspace(WORKSPACE),
    () => batchAi.createWorkspace(WORKSPACE, { location: 'eastus' }),
  );
  await ensure(
    () => batchAi.getExperiment(experiment),
    () => batchAi.createExperiment(experiment),
  );
  await ensure(
    () => batchAi.getCluster(cluster),
    () =>
      batchAi.createCluster(cluster, {
        properties: {
          vmSize: 'STANDARD_D2_V2',
          scaleSettings: { manual: { targetNodeCount: 2 } },
          userAccountSettings: { adminUserName: 'local' },
          nodeSetup: {
            mountVolumes: {
              azureFileShares: [
                {
                  accountName: 'local',
                  azureFileUrl: 'https://local.file.core.windows.net/logs',
                  // The engine keeps shares as folders and ignores the key; the API requires one.
                  credentials: { accountKey: 'local' },
                  relativeMountPath: 'afs',
                },
              ],
            },
          },
        },
      }),
  );
}

export async function startLocalStack(opts: LocalStackOptions): Promise<LocalStack> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const ports = opts.ports ?? {};
  const stops: Array<[string, () => Promise<void>]> = [];
  const stopAll = async () => {
    for (const [name, stop] of stops.splice(0).reverse()) {
      await stop().catch((e: unknown) => log(`stopping ${name} failed: ${toError(e).message}`));
    }
  };
  try {
    const azurite = await startAzurite(
      opts.azuriteInMemory
        ? { ports: ports.azurite, inMemory: true }
        : { ports: ports.azurite, inMemory: false, location: join(opts.dataDir, 'azurite') },
    );
    stops.push(['Azurite', () => azurite.stop()]);
    const env = opts.env ?? process.env;
    const backend = env.COMPUTE_BACKEND?.trim() || 'batchai';
    if (backend !== 'batchai' && backend !== 'azurebatch' && backend !== 'azureml')
      throw new Error(`COMPUTE_BACKEND=${backend}: expected batchai, azurebatch or azureml.`);
    const engine = await (opts.startEngine ?? startEngine)({
      dataDir: join(opts.dataDir, 'engine'),
      port: ports.engine ?? 0,
      filesPort: ports.files ?? 0,
      timing: opts.engineTiming,
      batch:
        backend === 'azurebatch'
          ? {
              workspace: { subscriptionId: env.COMPUTE_SUBSCRIPTION_ID || LOCAL_SUBSCRIPTION, ...WORKSPACE },
              port: ports.batch ?? 0,
            }
          : undefined,
      azureml: backend === 'azureml' ? { port: ports.azureml ?? 0 } : undefined,
    });
    stops.push(['engine', () => engine.stop()]);
    const batchAccount = engine.batch && {
      account: engine.batch.account,
      url: engine.batch.url,
      key: engine.batch.accountKey,
    };
    const signingSecret = opts.externalChat?.slackSigningSecret ?? randomBytes(24).toString('hex');
    const slack = opts.externalChat
      ? undefined
      : await startLocalSlack({ botToken: LOCAL_SLACK_TOKEN, signingSecret, port: ports.slack ?? 0 });
    if (slack) stops.push(['local Slack', () => slack.stop()]);
    const slackApiUrl = opts.externalChat?.slackApiUrl ?? slack!.apiUrl;

    // The product's configuration as a value: nothing here or in the functions reads process.env.
    const config = loadConfig(
      localEnv(env, {
        engineUrl: engine.url,
        connectionString: azurite.connectionString,
        storageAccount: engine.storageAccount,
        slack: { apiUrl: slackApiUrl, signingSecret },
        secretsKey: localSecretsKey(opts.dataDir),
        batch: batchAccount,
        azureml: engine.azureml,
      }),
    );
    const batchAi = createBatchAiClient({
      endpoint: engine.url,
      subscriptionId: config.compute.subscriptionId,
      credential: credentialFor(config.compute),
      pollIntervalMs: 200,
    });
    // Through the engine's Batch AI API on every backend: its Batch facade shows the cluster as pool `cpu`, its
    // Azure ML facade as compute `cpu`.
    await seedEngine(batchAi, config);
    installExamples(engine.shareDir(engine.storageAccount.name, 'logs'));
    const services = lazyServices(config);
    const { stores, poller } = await services.backend();
    const loaded = await loadTemplates(stores, join(repoRoot(), 'templates'), {
      storageAccount: config.compute.storageAccount,
    });
    log(`templates: ${loaded.map((t) => t.name).join(', ')}`);
    // A workspace's first poll only records what exists (no alerts for history). Take it before anyone can
    // submit: otherwise a job that ends before the first timer tick of a fresh start would never be announced.
    await poller.tick();
    const definitions = createDefinitions(config, services);
    // The progress reader runs every 5 s here (a minute in Azure), so a two-minute example shows its bar moving.
    const timerOverrides = { poll: (opts.pollSeconds ?? 3) * 1000, progress: 5000 };
    const host = await startFunctionsHost({
      definitions,
      connectionString: config.storage.connectionString,
      httpPort: ports.functions ?? 0,
      hostJson: readHostJson(join(repoRoot(), 'host.json')),
      timerOverrides,
      log,
    });
    stops.push(['functions host', () => host.stop()]);
    const messages = `${host.url}/api/messages`;
    const slackEvents = `${host.url}/api/slack/events`;
    slack?.connect(slackEvents);
    const chat = opts.externalChat
      ? undefined
      : await startChatServer({ dataDir: join(opts.dataDir, 'chat'), port: ports.chat ?? 0, botUrl: messages, log });
    if (chat) stops.push(['chat', () => chat.stop()]);
    return {
      config,
      urls: {
        chat: chat?.url ?? '',
        functions: host.url,
        messages,
        engine: engine.url,
        files: engine.filesUrl,
        slack: slack?.url ?? '',
        slackEvents,
      },
      batchAccount,
      ...(engine.azureml ? { azureml: engine.azureml } : {}),
      templates: loaded.map((t) => t.name),
      functionKey: host.functionKey,
      faults: engine.faults,
      stop: stopAll,
    };
  } catch (e) {
    await stopAll();
    throw e;
  }
}

function portFree(port: number): Promise<boolean> {
  return new Promise((done) => {
    const s = createServer();
    s.once('error', () => done(false));
    s.listen(port, '127.0.0.1', () => s.close(() => done(true)));
  });
}

/**
 * The well-known ports when free (Azurite 10000-10002, engine 8480/8481, its Batch facade 8482, its Azure ML facade
 * 8483); the chat and the bot
 * must have theirs.
 */
async function defaultPorts(env: Record<string, string | undefined>): Promise<NonNullable<LocalStackOptions['ports']>> {
  const num = (name: string, dflt: number) => {
    const n = Number(env[name] ?? dflt);
    if (!Number.isInteger(n) || n < 1 || n > 65535)
      throw new Error(`${name}=${env[name]}: expected a port number 1-65535.`);
    return n;
  };
  const chat = num('CHAT_PORT', 3978);
  const functions = num('FUNCTIONS_PORT', 7071);
  const slack = num('SLACK_PORT', 3979);
  for (const [name, port] of [
    ['CHAT_PORT', chat],
    ['FUNCTIONS_PORT', functions],
    ['SLACK_PORT', slack],
  ] as const) {
    // Stored conversations point at the chat's URL and the chat at the bot's: these do not move silently.
    if (!(await portFree(port)))
      throw new Error(`Port ${port} is taken (is another npm start running?). Stop it, or set ${name}.`);
  }
  const azurite = { blob: 10000, queue: 10001, table: 10002 };
  const azuriteFree = (await Promise.all(Object.values(azurite).map(portFree))).every(Boolean);
  return {
    azurite: azuriteFree ? azurite : undefined,
    engine: (await portFree(8480)) ? 8480 : 0,
    files: (await portFree(8481)) ? 8481 : 0,
    batch: (await portFree(8482)) ? 8482 : 0,
    azureml: (await portFree(8483)) ? 8483 : 0,
    functions,
    chat,
    slack,
  };
}

const BACKEND_NAMES = { batchai: 'Batch AI', azurebatch: 'Azure Batch', azureml: 'Azure ML' } as const;

async function main(): Promise<void> {
  const env = process.env;
  const pollSeconds = Number(env.POLL_INTERVAL_SECONDS ?? 3);
  if (!Number.isFinite(pollSeconds) || pollSeconds < 0.1)
    throw new Error(`POLL_INTERVAL_SECONDS=${env.POLL_INTERVAL_SECONDS}: expected seconds ≥ 0.1.`);
  const dataDir = resolve(env.LOCAL_DATA_DIR ?? '.data');
  // Every tick logs a line; show them only when asked.
  const log = (line: string) => {
    if (env.VERBOSE || !line.startsWith('[poll] information:')) console.log(line);
  };
  const stack = await startLocalStack({ dataDir, ports: await defaultPorts(env), pollSeconds, log });
  console.log(
    [
      '',
      'batchai-chatops is running on this machine (127.0.0.1 only; the engine runs job command lines as you):',
      `  chat page        ${stack.urls.chat}/`,
      '  chat CLI         npm run chat -- "help"',
      `  bot endpoint     ${stack.urls.messages}`,
      `  health           ${stack.urls.functions}/api/health  (details: /api/health/details?code=${stack.functionKey})`,
      `  Slack (local)    ${stack.urls.slack}  →  ${stack.urls.slackEvents}   npm run chat -- --channel slack "help"`,
      `  backend          ${BACKEND_NAMES[stack.config.compute.backend]} ` +
        `(COMPUTE_BACKEND=${stack.config.compute.backend})`,
      ...(stack.azureml
        ? [
            `  Azure ML         workspace local/local  ${stack.azureml.url}  (compute cpu, experiment default)`,
            `  CA file          ${stack.azureml.caFile}  (COMPUTE_CA_FILE: the facade's own certificate)`,
          ]
        : []),
      ...(stack.azureml
        ? []
        : stack.batchAccount
          ? [
              `  Batch account    ${stack.batchAccount.account}  ${stack.batchAccount.url}  ` +
                "(pool cpu, experiment default; outputs in Azurite's Blob service)",
              `  account key      ${stack.batchAccount.key}  (well-known local key, as Azurite's)`,
            ]
          : [`  Batch AI engine  ${stack.urls.engine}  (workspace local/local, experiment default, cluster cpu)`]),
      `  templates        ${stack.templates.join(', ')}`,
      `  poll every       ${pollSeconds} s`,
      `  data             ${dataDir}`,
      'Ctrl-C stops everything.',
    ].join('\n'),
  );

  let stopping = false;
  const shutdown = (why: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${why}: stopping…`);
    setTimeout(() => {
      console.error('stop took longer than 20 s; exiting anyway');
      process.exit(1);
    }, 20_000).unref();
    stack.stop().then(
      () => process.exit(0),
      (e: unknown) => {
        console.error(toError(e).message);
        process.exit(1);
      },
    );
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => shutdown(signal));
  // `npm start` does not forward SIGTERM: if npm goes away, we notice the new parent and stop too.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) shutdown('parent process exited');
  }, 1000).unref();
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(`start: ${toError(e).message}`);
    process.exit(1);
  });
}
