// A burst of failures in one tick is one digest card per conversation; each failed job's line names its cause,
// read from its own stderr as a single alert reads it, masked like every card (real Azurite, the real engine's
// processes, poll and notify).
import { createNotifyFunction } from '../../functions/notify';
import { createPollFunction } from '../../functions/poll';
import { useStarted } from '../support/use-started';
import { waitFor } from '../support/wait-for';
import { cardText, context, conversation, drain, setupWorkspace, startStack, timer, WS, type Stack } from './harness';

let stack: Stack;
const started = useStarted(
  'backend stack',
  () => startStack('rg/ws'),
  (s) => s.stop(),
);

test("a digest of four failures names each one's cause in its line, the quote masked", async () => {
  stack = started.current;
  const clusterId = await setupWorkspace(stack.client);
  const { stores, compute, config } = stack.services;
  await stores.conversations.save(conversation(stack.channel, 'conv-d'));
  await stores.subscriptions.add('conv-d', { experiment: 'exp', states: ['failed'] });
  const poll = () => createPollFunction(async () => stack.services, config.schedules.poll).handler(timer, context());
  const notify = () =>
    drain(stack.queue, (m) => createNotifyFunction(async () => stack.services).handler(m, context()));
  await poll();
  const oom = 'echo "torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB (password=hunter2)" >&2';
  const refs = ['f1', 'f2', 'f3', 'f4'].map((job) => ({ ...WS, experiment: 'exp', job }));
  for (const ref of refs) {
    await compute.submitJob(ref, {
      properties: {
        cluster: { id: clusterId },
        nodeCount: 1,
        customToolkitSettings: { commandLine: `echo "step=1 loss=2"; ${oom}; exit 1` },
        stdOutErrPathPrefix: '$AZ_BATCHAI_MOUNT_ROOT/afs',
      },
    });
  }
  await waitFor('all four to fail', async () =>
    (await Promise.all(refs.map((r) => compute.getJob(r)))).every((j) => j.state === 'failed'),
  );
  await poll();
  await notify();
  const cards = stack.channel.activities('conv-d');
  expect(cards).toHaveLength(1);
  const text = cardText(cards[0]!);
  expect(text).toMatch(/4 updates in ws/);
  expect(text.match(/Cause: GPU out of memory \(torch\.OutOfMemoryError: CUDA out of memory/g)).toHaveLength(4);
  expect(text).not.toContain('hunter2');
});
