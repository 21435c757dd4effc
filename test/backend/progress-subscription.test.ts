// A subscription that asks for running jobs: its "is running" alert is handed to the progress reader, so that
// card shows the job's progress as a followed card does (real Azurite, the real engine, poll and notify).
import { createNotifyFunction } from '../../functions/notify';
import { createPollFunction } from '../../functions/poll';
import { createProgressWatchStore } from '../../shared/storage/progress-watch-store';
import { useStarted } from '../support/use-started';
import { waitFor } from '../support/wait-for';
import { cardText, context, conversation, drain, setupWorkspace, startStack, timer, WS, type Stack } from './harness';

let stack: Stack;
const started = useStarted(
  'backend stack',
  () => startStack('rg/ws'),
  (s) => s.stop(),
);

test('a running alert becomes a watched card; the reader updates it with progress', async () => {
  stack = started.current;
  const clusterId = await setupWorkspace(stack.client);
  const { stores, compute, config } = stack.services;
  await stores.conversations.save(conversation(stack.channel, 'conv-r'));
  await stores.subscriptions.add('conv-r', { experiment: 'exp', states: ['running'] });
  const poll = () => createPollFunction(async () => stack.services, config.schedules.poll).handler(timer, context());
  const notify = () =>
    drain(stack.queue, (m) => createNotifyFunction(async () => stack.services).handler(m, context()));
  await poll();
  const ref = { ...WS, experiment: 'exp', job: 'long-one' };
  await compute.submitJob(ref, {
    properties: {
      cluster: { id: clusterId },
      nodeCount: 1,
      customToolkitSettings: { commandLine: 'for i in $(seq 1 60); do echo "step=$i loss=0.$i"; sleep 0.5; done' },
      stdOutErrPathPrefix: '$AZ_BATCHAI_MOUNT_ROOT/afs',
    },
  });
  const alert = await waitFor('the running alert', async () => {
    await poll();
    await notify();
    return stack.channel.activities('conv-r').find((a) => /is running/.test(cardText(a)));
  });
  const watches = await createProgressWatchStore(config.storage);
  const [w] = await watches.list();
  expect(w).toMatchObject({ conversationId: 'conv-r', activityId: alert.id, job: { job: 'long-one' } });
  await waitFor('the alert card updated with progress', async () => {
    await stack.services.progressReader.tick();
    return stack.channel.activities('conv-r').find((a) => a.id === alert.id && /step \d+/.test(cardText(a)));
  });
  await compute.terminateJob(ref);
});
