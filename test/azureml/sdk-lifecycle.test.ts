// Microsoft's own client drives the engine's Azure ML facade over HTTPS: @azure/arm-machinelearning 2.1.1 as
// shipped (api-version 2022-10-01, and 2025-12-01 through its apiVersion option), trusting the facade's CA through
// its httpClient: compute get / list / update (a long-running PATCH followed to the end) / listNodes, and a
// command job's create / get / list / cancel (a long-running POST), each answer deserialized by the SDK.
import { readFileSync } from 'node:fs';
import { AzureMachineLearningWorkspaces, type CommandJob } from '@azure/arm-machinelearning';
import { staticTokenCredential } from '../../shared/http/credential';
import { httpClientTrusting } from '../../shared/http/trusted-ca';
import { startEngine, type Engine } from '../../local/engine';
import { FAST, removeDir, setupCluster, SUB, tempDir, waitFor } from '../engine/helpers';

let engine: Engine;

beforeAll(async () => {
  engine = await startEngine({ dataDir: tempDir(), timing: FAST, azureml: { jobPageSize: 2 } });
  await setupCluster(engine, 'c1', { manual: { targetNodeCount: 1 } });
}, 30_000);
afterAll(async () => {
  await engine?.stop();
  if (engine) removeDir(engine.dataDir);
});

function sdk(apiVersion?: string): { client: AzureMachineLearningWorkspaces; versions: Set<string> } {
  const versions = new Set<string>();
  const trusting = httpClientTrusting(readFileSync(engine.azureml!.caFile, 'utf8'))!;
  const client = new AzureMachineLearningWorkspaces(staticTokenCredential('test-token'), SUB, {
    endpoint: engine.azureml!.url,
    ...(apiVersion ? { apiVersion } : {}),
    httpClient: {
      sendRequest(request) {
        versions.add(new URL(request.url).searchParams.get('api-version') ?? '');
        return trusting.sendRequest(request);
      },
    },
  });
  return { client, versions };
}

const POLL = { updateIntervalInMs: 20 };

describe.each([
  ['as shipped', undefined, '2022-10-01'],
  ['with apiVersion', '2025-12-01', '2025-12-01'],
])('@azure/arm-machinelearning %s', (_label, apiVersion, sent) => {
  test('compute get, list, update (LRO), listNodes', async () => {
    const { client, versions } = sdk(apiVersion);
    const c = await client.computeOperations.get('demo_rg', 'demo_ws', 'c1');
    expect(c.properties).toMatchObject({ computeType: 'AmlCompute', provisioningState: 'Succeeded' });
    const props = (c.properties as { properties?: { vmSize?: string; scaleSettings?: unknown } }).properties;
    expect(props?.vmSize).toBe('STANDARD_NC6');
    const listed = [];
    for await (const x of client.computeOperations.list('demo_rg', 'demo_ws')) listed.push(x.name);
    expect(listed).toEqual(['c1']);

    const updated = await client.computeOperations.beginUpdateAndWait(
      'demo_rg',
      'demo_ws',
      'c1',
      // The SDK's model flattens properties.properties: it sends the spec's patch body.
      { properties: { scaleSettings: { minNodeCount: 2, maxNodeCount: 2, nodeIdleTimeBeforeScaleDown: 'PT5M' } } },
      POLL,
    );
    expect((updated.properties as { properties?: { scaleSettings?: unknown } }).properties?.scaleSettings).toEqual({
      minNodeCount: 2,
      maxNodeCount: 2,
      nodeIdleTimeBeforeScaleDown: 'PT5M',
    });
    await waitFor('2 nodes', async () => {
      const nodes = [];
      for await (const n of client.computeOperations.listNodes('demo_rg', 'demo_ws', 'c1')) nodes.push(n);
      return nodes.length === 2 && nodes.every((n) => n.nodeState === 'idle');
    });
    expect(versions).toEqual(new Set([sent]));
  });

  test('command job create, get, list, cancel (LRO)', async () => {
    const { client, versions } = sdk(apiVersion);
    const name = `sdk-${sent.replace(/-/g, '')}`;
    const body: CommandJob = {
      jobType: 'Command',
      command: 'echo started; sleep 30',
      environmentId: 'azureml://registries/azureml/environments/sklearn-1.5/labels/latest',
      computeId:
        `/subscriptions/${SUB}/resourceGroups/demo_rg` +
        '/providers/Microsoft.MachineLearningServices/workspaces/demo_ws/computes/c1',
      experimentName: 'sdk',
      resources: { instanceCount: 1 },
    };
    const created = await client.jobs.createOrUpdate('demo_rg', 'demo_ws', name, { properties: body });
    expect(created.name).toBe(name);
    expect(created.properties).toMatchObject({ jobType: 'Command', experimentName: 'sdk' });
    expect(['Starting', 'Queued', 'Running']).toContain(created.properties.status);
    const again = await client.jobs.createOrUpdate('demo_rg', 'demo_ws', name, { properties: body });
    expect(again.id).toBe(created.id);

    await waitFor('running', async () => {
      const j = await client.jobs.get('demo_rg', 'demo_ws', name);
      return j.properties.status === 'Running';
    });
    const names = [];
    for await (const j of client.jobs.list('demo_rg', 'demo_ws')) names.push(j.name);
    expect(names).toContain(name);

    await client.jobs.beginCancelAndWait('demo_rg', 'demo_ws', name, POLL);
    const ended = await waitFor('canceled', async () => {
      const j = await client.jobs.get('demo_rg', 'demo_ws', name);
      return j.properties.status === 'Canceled' ? j : undefined;
    });
    expect(ended.properties.status).toBe('Canceled');
    expect(versions).toEqual(new Set([sent]));
  });
});
