// The whole lifecycle through the real client against the REAL local engine (local/engine): jobs run as
// processes, logs are read with the real @azure/storage-file-share client, faults come from the engine.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ShareFileClient } from '@azure/storage-file-share';
import { startEngine, type Engine } from '../../local/engine/index';
import { createBatchAiClient, type BatchAiClient } from '../../shared/batchai/client';
import { staticTokenCredential } from '../../shared/http/credential';
import type { ClusterRef, JobRef } from '../../shared/compute/model';
import type { Job } from '../../shared/batchai/types';
import { isNotFound } from '../../shared/errors';
import { waitFor } from '../support/wait-for';
import { countingHttpClient, type SentRequest } from './support/counting-http-client';

const SUB = '00000000-0000-0000-0000-00000000beef';
const WS = { resourceGroup: 'rg', workspace: 'ws' };
const CLUSTER: ClusterRef = { ...WS, cluster: 'gpu' };
const EXP = { ...WS, experiment: 'exp' };
const SHARE = {
  accountName: 'acct',
  azureFileUrl: 'https://acct.file.core.windows.net/logs',
  credentials: { accountKey: 'a2V5LW5vdC1yZWFs' },
  relativeMountPath: 'afs',
};

let engine: Engine;
let dataDir: string;
let client: BatchAiClient;
let sent: SentRequest[];

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'batchai-client-lifecycle-'));
  engine = await startEngine({
    dataDir,
    timing: { allocationDelayMs: 100, operationDelayMs: 50, schedulerIntervalMs: 50 },
  });
  const counting = countingHttpClient();
  sent = counting.sent;
  client = createBatchAiClient({
    endpoint: engine.url,
    subscriptionId: SUB,
    credential: staticTokenCredential('local-engine'),
    httpClient: counting.httpClient,
    pollIntervalMs: 100,
    retry: { baseDelayMs: 50, maxDelayMs: 3000 },
  });
});

afterAll(async () => {
  await engine?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

function jobParams(clusterId: string, commandLine: string) {
  return {
    properties: {
      cluster: { id: clusterId },
      nodeCount: 1,
      customToolkitSettings: { commandLine },
      stdOutErrPathPrefix: '$AZ_BATCHAI_MOUNT_ROOT/afs',
      mountVolumes: { azureFileShares: [SHARE] },
    },
  };
}

const finished = (j: Job) => ['succeeded', 'failed'].includes(j.properties?.executionState ?? '');

test('workspace → cluster → experiment → job → logs → terminate → delete', async () => {
  const ws = await client.createWorkspace(WS, { location: 'eastus' });
  expect(ws.properties?.provisioningState).toBe('succeeded');

  const created = await client.createCluster(CLUSTER, {
    properties: {
      vmSize: 'STANDARD_NC6',
      scaleSettings: { manual: { targetNodeCount: 1 } },
      userAccountSettings: { adminUserName: 'demo', adminUserPassword: 'not-used-here' },
      nodeSetup: { mountVolumes: { azureFileShares: [SHARE] } },
    },
  });
  expect(created.id).toMatch(/\/clusters\/gpu$/);
  const steady = await waitFor(
    'cluster steady',
    () => client.getCluster(CLUSTER),
    (c) => c.properties?.allocationState === 'steady' && c.properties.currentNodeCount === 1,
  );
  expect(steady.properties?.nodeStateCounts?.idleNodeCount).toBe(1);

  await client.createExperiment(EXP);
  const hello: JobRef = { ...EXP, job: 'hello' };
  await client.createJob(hello, jobParams(created.id!, 'echo hello; sleep 1'));
  const done = await waitFor('hello to finish', () => client.getJob(hello), finished);
  expect(done.properties?.executionState).toBe('succeeded');
  expect(done.properties?.executionInfo?.exitCode).toBe(0);

  const files = [];
  for await (const f of client.listOutputFiles(hello, { outputDirectoryId: 'stdouterr' })) files.push(f);
  const stdout = files.find((f) => f.name === 'stdout.txt');
  expect(stdout?.properties?.contentLength).toBe(6);
  const ranged = await new ShareFileClient(stdout!.downloadUrl!).download(1, 4);
  const chunks: Buffer[] = [];
  for await (const c of ranged.readableStreamBody!) chunks.push(Buffer.from(c as Buffer));
  expect(Buffer.concat(chunks).toString('utf8')).toBe('ello');

  const long: JobRef = { ...EXP, job: 'long' };
  await client.createJob(long, jobParams(created.id!, 'sleep 60'));
  await waitFor(
    'long to run',
    () => client.getJob(long),
    (j) => j.properties?.executionState === 'running',
  );
  await client.terminateJob(long);
  const ended = await waitFor('long to end', () => client.getJob(long), finished);
  expect(ended.properties?.executionState).toBe('failed');
  expect(ended.properties?.executionInfo?.errors?.map((e) => e.code)).toContain('JobTerminated');

  await client.deleteJob(long);
  await expect(client.getJob(long).catch((e: unknown) => isNotFound(e))).resolves.toBe(true);
  await client.deleteCluster(CLUSTER);
  await expect(client.getCluster(CLUSTER).catch((e: unknown) => isNotFound(e))).resolves.toBe(true);
});

test('retries through the engine’s faults: 429 with Retry-After, then 500, then the answer', async () => {
  const ref = { ...WS, experiment: 'faulty' };
  await client.createWorkspace(WS, { location: 'eastus' });
  await client.createExperiment(ref);
  engine.faults.add({ method: 'GET', path: /\/experiments\/faulty$/, status: 429, retryAfterSeconds: 1 });
  engine.faults.add({ method: 'GET', path: /\/experiments\/faulty$/, status: 500 });
  const before = sent.length;
  const exp = await client.getExperiment(ref);
  expect(exp.name).toBe('faulty');
  const tries = sent.slice(before);
  expect(tries.map((r) => r.status)).toEqual([429, 500, 200]);
  expect(tries[1].at - tries[0].at).toBeGreaterThanOrEqual(950);
});

test('2,500 seeded jobs page in 3 requests of maxresults=1000', async () => {
  const ref = { ...WS, experiment: 'bulk' };
  await engine.seedFinishedJobs({ ...ref, subscriptionId: SUB }, 2500);
  const before = sent.length;
  const names = new Set<string>();
  for await (const j of client.listJobs(ref, { maxResults: 1000 })) {
    names.add(j.name!);
    expect(j.properties?.executionState).toBe('succeeded');
  }
  expect(names.size).toBe(2500);
  const pages = sent.slice(before);
  expect(pages).toHaveLength(3);
  expect(pages.every((r) => r.method === 'GET' && new URL(r.url).searchParams.get('maxresults') === '1000')).toBe(true);
});
