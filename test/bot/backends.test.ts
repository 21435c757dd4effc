// The end-to-end chat flows on both compute backends (COMPUTE_BACKEND): the same bot, the same commands and
// the same cards against the engine's Batch AI ARM API and its Azure Batch data plane. Activities go to the
// `messages` function (real CloudAdapter), jobs run as processes, cards update in place through `followups`.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Activity } from 'botbuilder';
import type { ComputeBackend } from '../../shared/compute/model';
import { buttonCommands, cardOf, cardText, startBotStack, type BotStack } from '../../local/harness/bot-stack';
import { useStarted } from '../support/use-started';

describe.each<ComputeBackend>(['batchai', 'azurebatch', 'azureml'])('on %s', (backend) => {
  let stack: BotStack;
  let n = 0;
  const conv = () => `${backend}-${++n}`;
  const say = (c: string, text: string, extra?: Partial<Activity>) => stack.say(c, text, extra);
  const press = (c: string, command: string) => stack.say(c, '', { value: { command } });

  const started = useStarted(
    'bot stack',
    () => startBotStack({ backend }),
    (s) => s.stop(),
  );
  beforeAll(() => {
    stack = started.current;
  });

  test('submit hello → "Submitted" card, updated in place when done; logs shows stdout; job refreshes', async () => {
    const c = conv();
    const reply = await say(c, 'submit hello greeting=hi-there seconds=1 --name hello-one');
    expect(cardText(reply)).toMatch(/Submitted/);
    // The first submit subscribes the conversation to the submitter's jobs, so the end arrives as an alert too.
    const subs = await stack.services.deps.stores.subscriptions.list(c);
    expect(subs.map((s) => s.filter)).toEqual([
      { workspace: 'ws', submittedBy: 'user-ada', states: ['succeeded', 'failed'] },
    ]);
    expect(cardText(reply)).toContain(`subscription ${subs[0].id}`);
    expect(buttonCommands(reply)).toEqual(expect.arrayContaining(['job exp/hello-one', 'logs exp/hello-one']));
    // The follow-up PUTs the same activity id with the finished card (and its stdout tail).
    const updated = await stack.channel.waitFor(c, (a) => a.id === reply.id && /Finished/.test(cardText(a)), 30_000);
    expect(cardText(updated)).toMatch(/line 3/);
    const logs = await say(c, 'logs hello-one --lines 10');
    const text = cardText(logs);
    expect(text).toMatch(/hi-there from hello-one/);
    expect(text).toMatch(/line 1[\s\S]*line 2[\s\S]*line 3[\s\S]*done/);
    const job = await press(c, 'job exp/hello-one');
    expect(cardText(job)).toMatch(/hello-one/);
    expect(cardText(job)).toMatch(/[Ss]ucceeded/);
    const mine = await say(c, 'jobs --mine');
    expect(cardText(mine)).toMatch(/hello-one/);
    // A second submit is covered by that subscription: no second one.
    const again = await say(c, 'submit hello seconds=1 --name hello-two');
    expect(cardText(again)).not.toMatch(/subscription s/);
    expect(await stack.services.deps.stores.subscriptions.list(c)).toHaveLength(1);
  });

  test('submit --dry-run shows the request this backend would send, and submits nothing', async () => {
    const c = conv();
    const reply = await say(c, 'submit hello greeting=dry seconds=1 --name dry-one --dry-run');
    const text = cardText(reply);
    expect(text).toMatch(/Nothing was submitted/);
    if (backend === 'batchai') {
      expect(text).toMatch(/would be sent to Batch AI/);
      expect(text).toMatch(
        new RegExp(
          /PUT \/subscriptions\/[^\s]*\/providers\/Microsoft\.BatchAI/.source +
            /\/workspaces\/ws\/experiments\/exp\/jobs\/dry-one\?api-version=2018-05-01/.source,
        ),
      );
      expect(text).not.toMatch(/api-version=2025-06-01/);
    } else if (backend === 'azureml') {
      expect(text).toMatch(/would be sent to Azure ML/);
      expect(text).toMatch(
        new RegExp(
          /PUT https:\/\/127\.0\.0\.1:\d+\/subscriptions\/[^\s]*\/providers\/Microsoft\.MachineLearningServices/
            .source + /\/workspaces\/ws\/jobs\/exp--dry-one\?api-version=2025-12-01/.source,
        ),
      );
      expect(text).not.toMatch(/Microsoft\.BatchAI|2018-05-01|sig=/);
    } else {
      expect(text).toMatch(/would be sent to Azure Batch/);
      expect(text).toMatch(/POST http:\/\/127\.0\.0\.1:\d+\/jobs\?api-version=2025-06-01\.21\.0/);
      expect(text).toMatch(/POST http:\/\/127\.0\.0\.1:\d+\/jobs\/dry-one\/tasks\?api-version=2025-06-01\.21\.0/);
      expect(text).not.toMatch(/Microsoft\.BatchAI|2018-05-01|sig=/);
    }
    expect(cardText(await say(c, 'job dry-one'))).toMatch(/not found/);
  });

  // Batch AI's job PUT is idempotent (a second submit of a name answers the job that exists); Batch refuses it.
  const onAzureBatch = (name: string, fn: jest.ProvidesCallback) => {
    if (backend === 'azurebatch') test(name, fn);
  };
  onAzureBatch(
    'a 409 from Azure Batch shows its code and message on the card and in audit, not "Something went wrong"',
    async () => {
      const c = conv();
      expect(cardText(await say(c, 'submit hello seconds=1 --name twice-one'))).toMatch(/Submitted/);
      const refused = cardText(await say(c, 'submit hello seconds=1 --name twice-one'));
      expect(refused).toMatch(/Conflict/);
      expect(refused).toMatch(/JobExists/);
      expect(refused).toMatch(/already exists/);
      expect(refused).not.toMatch(/Something went wrong/);
      const rows = await stack.services.deps.stores.audit.latest(10);
      expect(rows.find((r) => r.command.includes('twice-one') && r.result === 'failed')).toMatchObject({
        errorCode: 'JobExists',
      });
    },
  );

  test('a job beyond the limits is refused before any write: no approval, no claim, no environment', async () => {
    const c = conv();
    const properties = {
      nodeCount: 120,
      containerSettings: { imageSourceRegistry: { image: 'busybox:1.36' } },
      customToolkitSettings: { commandLine: 'true' },
      stdOutErrPathPrefix: '$AZ_BATCHAI_MOUNT_ROOT/afs',
    };
    await stack.services.deps.stores.templates.put('too-wide', { properties });
    const env = Array.from({ length: 1001 }, (_, i) => ({ name: `V${i}`, value: 'x' }));
    await stack.services.deps.stores.templates.put('too-many', {
      properties: { ...properties, nodeCount: 1, environmentVariables: env },
    });
    const many = cardText(await say(c, 'submit too-many --name too-many-1'));
    expect(many).toMatch(/1001 in all, expected at most 1000/);
    if (backend === 'azureml') {
      expect(cardText(await say(c, 'submit too-wide --name too-wide-1'))).toMatch(/expected a whole number from 1/);
      const state = join(stack.engine.dataDir, 'azureml', 'state.json');
      expect(existsSync(state) ? readFileSync(state, 'utf8') : '').not.toMatch(/chatops-[0-9a-f]{16}/);
    }
    for (const job of ['too-many-1', 'too-wide-1'])
      expect(await stack.services.deps.stores.submissions.get('ws', 'exp', job)).toBeUndefined();
    expect(await stack.services.deps.stores.approvals.due(new Date(8.64e15))).toEqual([]);
  });

  test('terminate asks to confirm; Confirm terminates and the card updates in place', async () => {
    const c = conv();
    const submitted = await say(c, 'submit hello seconds=60 --name long-one');
    expect(cardText(submitted)).toMatch(/Submitted/);
    const confirm = await say(c, 'terminate long-one');
    expect(cardText(confirm)).toMatch(/Terminate exp\/long-one\?/);
    expect(buttonCommands(confirm)).toEqual(
      expect.arrayContaining(['terminate exp/long-one --yes', 'job exp/long-one']),
    );
    const terminating = await press(c, 'terminate exp/long-one --yes');
    const done = /Terminated/.test(cardText(terminating))
      ? terminating
      : await stack.channel.waitFor(c, (a) => a.id === terminating.id && /Terminated/.test(cardText(a)), 30_000);
    expect(cardText(done)).toMatch(/Terminated \(failed\)|Terminated/);
    const job = await say(c, 'job long-one');
    // Azure ML tells a canceled job from a failed one; Batch AI and Azure Batch record it as failed.
    expect(cardText(job)).toMatch(backend === 'azureml' ? /Terminated/ : /[Ff]ailed/);
  });

  test("outputs: links to each output directory's files, which work and say when they expire", async () => {
    const c = conv();
    const submitted = await say(c, 'submit train epochs=1 --name train-one');
    await stack.channel.waitFor(c, (a) => a.id === submitted.id && /Finished/.test(cardText(a)), 30_000);
    // The engine's Batch facade uploads outputs just after the task ends (the service does so before).
    await stack.engine.batch?.settle();
    const reply = await say(c, 'outputs train-one MODEL');
    expect(cardText(reply)).toMatch(/model\.txt/);
    expect(cardText(reply)).toMatch(/expire/i);
    const url = /(https?:\/\/127\.0\.0\.1:\d+\/[^\s)"]*model\.txt[^\s)"]*)/.exec(JSON.stringify(cardOf(reply)))?.[1];
    expect(url).toBeDefined();
    const body = await stack.fetchText(url!.replace(/\\u0026/g, '&'));
    expect(body).toMatch(/epochs=1/);
    const none = await say(c, 'outputs train-one NOPE');
    expect(cardText(none)).toMatch(/has no output directory NOPE\. Its directories: MODEL, stdouterr/);
  });
  test('resize above the threshold asks for approval; within it the cluster card updates when steady', async () => {
    const c = conv();
    const big = await say(c, 'resize gpu 5');
    expect(cardText(big)).toMatch(/Resize gpu to 5 nodes\?/);
    expect(buttonCommands(big)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^approve \S+$/), expect.stringMatching(/^reject \S+$/)]),
    );
    const small = await say(c, 'resize gpu 3');
    expect(cardText(small)).toMatch(/Resizing to 3 nodes|Resized to 3 nodes/);
    if (!/Resized/.test(cardText(small))) {
      await stack.channel.waitFor(c, (a) => a.id === small.id && /Resized to 3 nodes/.test(cardText(a)), 20_000);
    }
  });

  test('a second user approves the large resize: it runs, and both cards update in place', async () => {
    const c = conv();
    const bob = { from: { id: 'user-bob', name: 'Bob' } };
    const request = await say(c, 'resize gpu 4');
    expect(cardText(request)).toMatch(/Resize gpu to 4 nodes\?/);
    const id = buttonCommands(request)
      .find((b) => b.startsWith('approve '))!
      .split(' ')[1];
    expect(cardText(await press(c, `approve ${id}`))).toMatch(/someone else must approve/);
    const approved = await stack.say(c, '', { ...bob, value: { command: `approve ${id}` } });
    expect(cardText(approved)).toMatch(/Approved by Bob \(asked by Ada\): Resiz/);
    await stack.channel.waitFor(
      c,
      (a) => a.id === approved.id && /Approved by Bob \(asked by Ada\): Resized to 4 nodes/.test(cardText(a)),
      20_000,
    );
    await stack.channel.waitFor(c, (a) => a.id === request.id && /Approved by Bob and done/.test(cardText(a)), 20_000);
    expect(cardText(await say(c, 'cluster gpu'))).toMatch(/Allocation\nsteady\nNodes\n4 \(4 idle\)\n/);
  });

  test('autoscale sets the bounds (the cluster card says so); scale-to-zero leaves no node', async () => {
    const c = conv();
    const auto = await say(c, 'autoscale gpu 0 2');
    const autoDone = /Auto-scale 0–2 nodes/.test(cardText(auto))
      ? auto
      : await stack.channel.waitFor(c, (a) => a.id === auto.id && /Auto-scale 0–2 nodes/.test(cardText(a)), 20_000);
    expect(cardText(autoDone)).toMatch(/\nScale\nauto, 0-2 nodes/);
    const zero = await say(c, 'scale-to-zero gpu');
    if (!/Scaled to zero/.test(cardText(zero))) {
      await stack.channel.waitFor(c, (a) => a.id === zero.id && /Scaled to zero/.test(cardText(a)), 20_000);
    }
    const cluster = await say(c, 'cluster gpu');
    expect(cardText(cluster)).toMatch(/Allocation\nsteady\nNodes\n0\nScale\nmanual, 0 nodes\n/);
  });
});
