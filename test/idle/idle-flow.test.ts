// Idle scale-down end to end: the `idle` timer function over the REAL engine (clusters really scale), REAL
// Azurite (policies, subscriptions, sent markers), the real proactive sender into a fake channel, and the bot's
// `keep-up` command through the `messages` function. Time is the engine's real clock seen from a later `now`.
// On both compute backends: the idle timer reads and scales the clusters through the Batch AI or Azure Batch port.
import { HttpRequest, InvocationContext } from '@azure/functions';
import type { Activity } from 'botbuilder';
import { validateAdaptiveCard } from '../../cards/validate';
import { createIdleFunction } from '../../functions/idle';
import { createMessagesHandler } from '../../functions/messages';
import type { ComputeBackend } from '../../shared/compute/model';
import { conversation, setupWorkspace, startStack, timer, WS, type Stack } from '../backend/harness';
import { waitFor } from '../support/wait-for';
import { useStarted } from '../support/use-started';

const MIN = 60_000;
const SHARE = {
  accountName: 'acct',
  azureFileUrl: 'https://acct.file.core.windows.net/logs',
  credentials: { accountKey: 'a2V5' },
  relativeMountPath: 'afs',
};
describe.each<ComputeBackend>(['batchai', 'azurebatch', 'azureml'])('on %s', (backend) => {
  let stack: Stack;
  const conv = 'idle-team';
  // What the backend calls a cluster, as its cards say: a Batch account's clusters are pools, Azure ML's computes.
  const CLUSTER = { batchai: 'Cluster', azurebatch: 'Pool', azureml: 'Compute' }[backend];

  const started = useStarted(
    'backend stack',
    () => startStack('rg/ws', backend),
    (s) => s.stop(),
  );

  beforeAll(async () => {
    stack = started.current;
    await setupWorkspace(stack.client);
    await stack.services.stores.conversations.save(conversation(stack.channel, conv));
    await stack.services.stores.subscriptions.add(conv, { workspace: WS.workspace });
  }, 60_000);

  /** One idle tick as the host runs it, with the clock at `now`. Returns the function's log lines. */
  async function tick(now: number): Promise<string[]> {
    const lines: string[] = [];
    const fn = createIdleFunction(async () => stack.services, {
      schedule: stack.services.config.schedules.idle,
      now: () => new Date(now),
    });
    const ctx = new InvocationContext({
      functionName: 'idle',
      logHandler: (_level, ...args) => {
        lines.push(args.map(String).join(' '));
      },
    });
    await fn.handler(timer, ctx);
    return lines;
  }

  const cards = (re: RegExp) => stack.channel.activities(conv).filter((a) => re.test(JSON.stringify(a)));
  const gpu = () => stack.client.getCluster({ ...WS, cluster: 'gpu' });

  async function press(command: string): Promise<Activity> {
    const a = {
      type: 'message',
      id: `in-${Date.now()}`,
      channelId: 'webchat',
      serviceUrl: stack.channel.serviceUrl,
      conversation: { id: conv },
      from: { id: 'user-ada', name: 'Ada' },
      recipient: { id: 'bot', name: 'bot' },
      text: '',
      value: { command },
    };
    const res = await createMessagesHandler(async () => stack.services)(
      new HttpRequest({
        method: 'POST',
        url: 'http://127.0.0.1/api/messages',
        headers: { 'content-type': 'application/json' },
        body: { string: JSON.stringify(a) },
      }),
      new InvocationContext({ functionName: 'messages' }),
    );
    expect(res.status).toBe(200);
    return stack.channel.waitFor(conv, (r) => r.replyToId === a.id);
  }

  test('idle cluster → one warning card (a retried tick sends no more) → keep-up prevents scale-down', async () => {
    const t0 = Date.now();
    expect((await tick(t0 + 5 * MIN)).join('\n')).not.toMatch(/gpu (warn|scale)/);
    expect(cards(new RegExp(`${CLUSTER} gpu is idle`))).toHaveLength(0);

    expect((await tick(t0 + 31 * MIN)).join('\n')).toMatch(/ws\/gpu warn/);
    const warning = await stack.channel.waitFor(conv, (a) =>
      new RegExp(`${CLUSTER} gpu is idle`).test(JSON.stringify(a)),
    );
    expect(JSON.stringify(warning)).toContain('"command":"keep-up gpu 1"');
    expect(JSON.stringify(warning)).toContain('Keep it up 1 h');
    expect(validateAdaptiveCard(warning.attachments?.[0]?.content)).toEqual([]);
    await tick(t0 + 31 * MIN);
    await tick(t0 + 32 * MIN);
    expect(cards(new RegExp(`${CLUSTER} gpu is idle`))).toHaveLength(1);

    const kept = await press('keep-up gpu 1');
    expect(JSON.stringify(kept)).toMatch(/Kept up until .* by Ada/);
    expect(await tick(t0 + 45 * MIN)).toEqual([]);
    expect((await gpu()).properties).toMatchObject({
      currentNodeCount: 2,
      scaleSettings: { manual: { targetNodeCount: 2 } },
    });
    expect(cards(new RegExp(`${CLUSTER} gpu scaled to zero`))).toHaveLength(0);
  });

  test('no keep-up: warned again when it ends, scaled to zero after the grace period; card sent once', async () => {
    const keptUntil = Date.parse((await stack.services.stores.policies.get(WS, 'gpu'))!.value.keepUpUntil!);
    // The keep-up ended: a new idle period starts then and must last the whole window before a warning.
    expect((await tick(keptUntil + 20 * MIN)).join('\n')).not.toMatch(/gpu warn/);
    expect((await tick(keptUntil + 31 * MIN)).join('\n')).toMatch(/ws\/gpu warn/);
    expect(cards(new RegExp(`${CLUSTER} gpu is idle`))).toHaveLength(2);
    expect((await tick(keptUntil + 35 * MIN)).join('\n')).not.toMatch(/gpu scale/);

    expect((await tick(keptUntil + 42 * MIN)).join('\n')).toMatch(/ws\/gpu scale/);
    const scaled = await stack.channel.waitFor(conv, (a) =>
      new RegExp(`${CLUSTER} gpu scaled to zero`).test(JSON.stringify(a)),
    );
    expect(JSON.stringify(scaled)).toContain('"command":"resize gpu 2"');
    expect(validateAdaptiveCard(scaled.attachments?.[0]?.content)).toEqual([]);
    await waitFor(
      'gpu at zero',
      gpu,
      (c) => c.properties?.allocationState === 'steady' && c.properties.currentNodeCount === 0,
    );
    expect((await gpu()).properties?.scaleSettings?.manual?.targetNodeCount).toBe(0);
    await tick(keptUntil + 42 * MIN);
    await tick(keptUntil + 90 * MIN);
    expect(cards(new RegExp(`${CLUSTER} gpu scaled to zero`))).toHaveLength(1);
  });

  test('a running job keeps its cluster up; an idle auto-scale cluster with min 1 gets min 0, max kept', async () => {
    const cpu = { ...WS, cluster: 'cpu' };
    const created = await stack.client.createCluster(cpu, {
      properties: {
        vmSize: 'STANDARD_D1',
        scaleSettings: { autoScale: { minimumNodeCount: 1, maximumNodeCount: 2, initialNodeCount: 1 } },
        userAccountSettings: { adminUserName: 'demo', adminUserPassword: 'not-used' },
        nodeSetup: { mountVolumes: { azureFileShares: [SHARE] } },
      },
    });
    await waitFor(
      'cpu steady',
      () => stack.client.getCluster(cpu),
      (c) => c.properties?.allocationState === 'steady' && c.properties.currentNodeCount === 1,
    );
    const job = { ...WS, experiment: 'exp', job: 'busy-one' };
    // Through the compute port: a Batch job on Azure Batch, a Batch AI job on Batch AI.
    const compute = stack.services.compute;
    await compute.submitJob(job, {
      properties: {
        cluster: { id: created.id! },
        nodeCount: 1,
        customToolkitSettings: { commandLine: 'sleep 30' },
        stdOutErrPathPrefix: '$AZ_BATCHAI_MOUNT_ROOT/afs',
      },
    });
    await waitFor(
      'job running',
      () => compute.getJob(job),
      (j) => j.state === 'running',
    );
    expect((await tick(Date.now() + 120 * MIN)).join('\n')).not.toMatch(/cpu (warn|scale)/);
    expect(cards(new RegExp(`${CLUSTER} cpu is idle`))).toHaveLength(0);

    await compute.terminateJob(job);
    await waitFor(
      'job ended',
      () => compute.getJob(job),
      (j) => j.state === 'failed' || j.state === 'succeeded' || j.state === 'terminated',
    );
    const t1 = Date.now();
    expect((await tick(t1 + 31 * MIN)).join('\n')).toMatch(/ws\/cpu warn/);
    expect((await tick(t1 + 42 * MIN)).join('\n')).toMatch(/ws\/cpu scale/);
    await stack.channel.waitFor(conv, (a) => new RegExp(`${CLUSTER} cpu scaled to zero`).test(JSON.stringify(a)));
    expect((await stack.client.getCluster(cpu)).properties?.scaleSettings).toEqual({
      autoScale: { minimumNodeCount: 0, maximumNodeCount: 2, initialNodeCount: 0 },
    });
  });

  test('a warning the channel refused is not recorded: the next tick sends it, once', async () => {
    const tpu = { ...WS, cluster: 'tpu' };
    await stack.client.createCluster(tpu, {
      properties: {
        vmSize: 'STANDARD_NC6',
        scaleSettings: { manual: { targetNodeCount: 1 } },
        userAccountSettings: { adminUserName: 'demo', adminUserPassword: 'not-used' },
      },
    });
    await waitFor(
      'tpu steady',
      () => stack.client.getCluster(tpu),
      (c) => c.properties?.allocationState === 'steady' && c.properties.currentNodeCount === 1,
    );
    const t = Date.now();
    stack.channel.failNext(500, 100);
    await expect(tick(t + 31 * MIN)).rejects.toThrow(/step\(s\) failed/);
    expect((await stack.services.stores.policies.get(WS, 'tpu'))?.value.warnedAt).toBeUndefined();
    stack.channel.failNext(500, 0);
    expect((await tick(t + 32 * MIN)).join('\n')).toMatch(/ws\/tpu warn/);
    await tick(t + 33 * MIN);
    expect(cards(new RegExp(`${CLUSTER} tpu is idle`))).toHaveLength(1);
  });

  test('policies row is ETag-guarded: a keep-up since the read makes the write fail; insert-if-absent', async () => {
    const { policies } = stack.services.stores;
    const row = (await policies.get(WS, 'TPU'))!;
    await policies.keepUp(WS, 'tpu', new Date(Date.now() + 60 * MIN).toISOString(), 'Ada');
    expect(await policies.update(WS, 'tpu', { scaledAt: new Date().toISOString() }, row.etag)).toBe(false);
    expect(await policies.update(WS, 'nosuch', { warnedAt: 'w' }, undefined)).toBe(true);
    expect(await policies.update(WS, 'nosuch', { warnedAt: 'w2' }, undefined)).toBe(false);
    expect((await policies.list(WS)).get('nosuch')?.value).toEqual({ warnedAt: 'w' });
  });
});
