// The real backend stack for a test file: Azurite (child process), the local engine running real jobs, the
// fake channel, and the services of functions/services.ts built from a Config like production's. With backend
// 'azurebatch' the services use the engine's Azure Batch facade (account = workspace `ws`, pools = its clusters);
// `client` (Batch AI ARM on the same engine) still sets up and inspects clusters.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TableClient } from '@azure/data-tables';
import { InvocationContext } from '@azure/functions';
import { QueueClient } from '@azure/storage-queue';
import { startAzurite, type RunningAzurite } from '../../local/azurite';
import { startEngine, type Engine } from '../../local/engine/index';
import { decodeQueueMessage } from '../../local/functions-host/queue-message';
import { createServices, type ServiceOverrides, type Services } from '../../functions/services';
import { createBatchAiClient, type BatchAiClient } from '../../shared/batchai/client';
import { staticTokenCredential } from '../../shared/http/credential';
import type { ComputeBackend, ComputeJob, JobRef, WorkspaceRef } from '../../shared/compute/model';
import type { ComputePort } from '../../shared/compute/port';
import { loadConfig } from '../../shared/config';
import { parseEventsMessage, type BackendEvent } from '../../shared/core/events';
import { EVENTS_QUEUE, type StoredConversation } from '../../shared/storage';
import { EVENT_BATCHES_TABLE } from '../../shared/storage/event-batch-store';
import { createWriteCounter } from '../../shared/storage/write-counter';
import { startFakeChannel, type FakeChannel } from '../../local/harness/fake-channel';
import { startOrStop } from '../../local/harness/stoppers';
import { waitFor } from '../support/wait-for';

export const SUB = '00000000-0000-0000-0000-0000000000aa';
export const WS: WorkspaceRef = { resourceGroup: 'rg', workspace: 'ws' };
const SHARE = {
  accountName: 'acct',
  azureFileUrl: 'https://acct.file.core.windows.net/logs',
  credentials: { accountKey: 'a2V5' },
  relativeMountPath: 'afs',
};

export interface Stack {
  azurite: RunningAzurite;
  engine: Engine;
  channel: FakeChannel;
  client: BatchAiClient;
  services: Services;
  writes: ReturnType<typeof createWriteCounter>;
  logs: string[];
  queue: QueueClient;
  build(overrides?: ServiceOverrides, workspaces?: string): Promise<Services>;
  stop(): Promise<void>;
}

/** `engineNow`: the engine's clock (default the wall clock); `defaults`: the overrides of every build. */
export async function startStack(
  workspaces = 'rg/ws',
  backend: ComputeBackend = 'batchai',
  engineNow?: () => number,
  defaults: ServiceOverrides = {},
): Promise<Stack> {
  return startOrStop(async (stoppers) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'backend-test-'));
    stoppers.add('data dir', () => rmSync(dataDir, { recursive: true, force: true }));
    const [azurite, engine, channel] = await Promise.all([
      stoppers.track('Azurite', startAzurite(), (a) => a.stop()),
      stoppers.track(
        'engine',
        startEngine({
          dataDir,
          timing: { allocationDelayMs: 50, operationDelayMs: 20, schedulerIntervalMs: 20 },
          batch:
            backend === 'azurebatch' ? { workspace: { ...WS, subscriptionId: SUB }, account: WS.workspace } : undefined,
          azureml: backend === 'azureml' ? {} : undefined,
          ...(engineNow ? { now: engineNow } : {}),
        }),
        (e) => e.stop(),
      ),
      stoppers.track('fake channel', startFakeChannel(), (c) => c.stop()),
    ]);
    const client = createBatchAiClient({
      endpoint: engine.url,
      subscriptionId: SUB,
      credential: staticTokenCredential('t'),
      pollIntervalMs: 50,
    });
    const writes = createWriteCounter();
    const logs: string[] = [];
    const build = async (overrides: ServiceOverrides = {}, ws = workspaces) => {
      const config = loadConfig({
        COMPUTE_ARM_ENDPOINT: engine.url,
        COMPUTE_SUBSCRIPTION_ID: SUB,
        COMPUTE_WORKSPACES: ws,
        COMPUTE_LOCAL_TOKEN: 'local',
        AzureWebJobsStorage: azurite.connectionString,
        LOG_TAIL_LINES: '5',
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
      });
      return createServices(config, {
        storage: { tablePolicies: [writes.policy] },
        log: (l) => logs.push(l),
        ...defaults,
        ...overrides,
      });
    };
    const services = await build();
    return {
      azurite,
      engine,
      channel,
      client,
      services,
      writes,
      logs,
      build,
      queue: new QueueClient(azurite.connectionString, EVENTS_QUEUE),
      stop: () => stoppers.stopAll(),
    };
  });
}

/** Workspace, experiment `exp` and a steady 2-node cluster `gpu` with the log share mounted. */
export async function setupWorkspace(client: BatchAiClient, ws: WorkspaceRef = WS): Promise<string> {
  await client.createWorkspace(ws, { location: 'eastus' });
  const cluster = await client.createCluster(
    { ...ws, cluster: 'gpu' },
    {
      properties: {
        vmSize: 'STANDARD_NC6',
        scaleSettings: { manual: { targetNodeCount: 2 } },
        userAccountSettings: { adminUserName: 'demo', adminUserPassword: 'not-used' },
        nodeSetup: { mountVolumes: { azureFileShares: [SHARE] } },
      },
    },
  );
  await waitFor(
    'cluster steady',
    () => client.getCluster({ ...ws, cluster: 'gpu' }),
    (c) => c.properties?.allocationState === 'steady' && c.properties.currentNodeCount === 2,
  );
  await client.createExperiment({ ...ws, experiment: 'exp' });
  return cluster.id!;
}

/**
 * Runs a job to its end through the compute port: prints `line-001`…`line-NNN`
 * to stdout, a model file, then exits.
 */
export async function runJob(
  compute: Pick<ComputePort, 'submitJob' | 'getJob'>,
  clusterId: string,
  job: string,
  /** `print`: a line the job writes to stdout and stderr before its numbered lines. */
  opts: { lines?: number; exitCode?: number; print?: string } = {},
): Promise<ComputeJob> {
  const ref: JobRef = { ...WS, experiment: 'exp', job };
  const n = opts.lines ?? 30;
  const commandLine =
    (opts.print ? `echo '${opts.print}'; echo '${opts.print}' >&2; ` : '') +
    `for i in $(seq -f %03g 1 ${n}); do echo line-$i; done; echo oops >&2;` +
    ` echo w > $AZ_BATCHAI_OUTPUT_MODEL/weights.bin; exit ${opts.exitCode ?? 0}`;
  await compute.submitJob(ref, {
    properties: {
      cluster: { id: clusterId },
      nodeCount: 1,
      customToolkitSettings: { commandLine },
      stdOutErrPathPrefix: '$AZ_BATCHAI_MOUNT_ROOT/afs',
      outputDirectories: [{ id: 'MODEL', pathPrefix: '$AZ_BATCHAI_MOUNT_ROOT/afs' }],
    },
  });
  return waitFor(
    `job ${job} to end`,
    () => compute.getJob(ref),
    (j) => ['succeeded', 'failed'].includes(j.state),
  );
}

export function conversation(channel: FakeChannel, id: string, channelId = 'webchat'): StoredConversation {
  return {
    conversationId: id,
    channelId,
    serviceUrl: channel.serviceUrl,
    reference: {
      channelId,
      serviceUrl: channel.serviceUrl,
      conversation: { id },
      bot: { id: 'bot', name: 'bot' },
      user: { id: 'u1' },
    },
  };
}

/** Log lines of invocations go to the stack's log (not the console), for assertions. */
export const contextLines: string[] = [];
export const context = () =>
  new InvocationContext({
    functionName: 'test',
    logHandler: (_level, ...args) => {
      contextLines.push(args.map(String).join(' '));
    },
  });
export const timer = {
  isPastDue: false,
  schedule: { adjustForDST: false },
  scheduleStatus: { last: '', next: '', lastUpdated: '' },
};

/**
 * Delivers every message now in the events queue to `handle`, as the host does: delete on success; on failure
 * the message becomes visible again at once. Returns how many succeeded and failed.
 */
export async function drain(
  queue: QueueClient,
  handle: (message: unknown) => Promise<unknown>,
): Promise<{ ok: number; failed: number }> {
  let ok = 0;
  let failed = 0;
  const { receivedMessageItems: items } = await queue.receiveMessages({ numberOfMessages: 32, visibilityTimeout: 30 });
  for (const m of items) {
    try {
      await handle(decodeQueueMessage(m.messageText, 'base64'));
      await queue.deleteMessage(m.messageId, m.popReceipt);
      ok++;
    } catch {
      await queue.updateMessage(m.messageId, m.popReceipt, m.messageText, 0);
      failed++;
    }
  }
  return { ok, failed };
}

export const cardText = (a: unknown) => JSON.stringify(a);

/** Every row of the `eventbatches` table, as `batchId/rowKey`. */
export async function batchRows(stack: Stack): Promise<string[]> {
  const table = TableClient.fromConnectionString(stack.azurite.connectionString, EVENT_BATCHES_TABLE, {
    allowInsecureConnection: true,
  });
  const out: string[] = [];
  for await (const r of table.listEntities()) out.push(`${r.partitionKey}/${r.rowKey}`);
  return out;
}

/** The messages waiting in the events queue (peeked, left there), with the events of each read from its batch. */
export async function peekEvents(stack: Stack): Promise<Array<{ batchId: string; v: number; events: BackendEvent[] }>> {
  const { peekedMessageItems: items } = await stack.queue.peekMessages({ numberOfMessages: 32 });
  return Promise.all(
    items.map(async (m) => {
      const msg = parseEventsMessage(decodeQueueMessage(m.messageText, 'base64'));
      const events = msg.v === 1 ? msg.events : await stack.services.backend.batches.get(msg.batchId, msg.ref.chunks);
      return { batchId: msg.batchId, v: msg.v, events: events ?? [] };
    }),
  );
}
