// A finished job's chart reaches Slack as an uploaded PNG: the real WebClient runs Slack's file upload
// (files.getUploadURLExternal, the bytes POSTed to the URL it answered, files.completeUploadExternal) against the
// local Slack, and the card's image block names the file. A running card gets the summary line and no upload.
import { createSlackClient, createSlackSender } from '../../bot/slack/sender';
import { slackConversation } from '../../bot/slack/conversation';
import { pngHeader } from '../../cards/png';
import type { JobView } from '../../shared/core/views';
import { startLocalSlack, type LocalSlack } from '../../local/slack/local-slack';
import { BOT_TOKEN, SIGNING_SECRET } from './support/slack-requests';

let slack: LocalSlack;
beforeEach(async () => {
  slack = await startLocalSlack({ botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET });
});
afterEach(() => slack.stop());

const points = Array.from({ length: 30 }, (_, i) => ({ x: i + 1, y: 2 / (i + 1) }));
const jobView = (state: 'running' | 'succeeded'): JobView => ({
  kind: 'job',
  job: { workspace: 'ws', experiment: 'exp', name: 'tp-one', state, cluster: 'gpu', nodeCount: 1, errors: [] },
  tails: [],
  outputs: [],
  actions: [],
  progress: { metrics: [{ name: 'loss', value: 0.0667 }], chart: { metric: 'loss', points } },
});

test('a finished job: the PNG is uploaded and the image block names it', async () => {
  const sender = createSlackSender({ client: createSlackClient(BOT_TOKEN, slack.apiUrl) });
  const conv = slackConversation({ team: 'T0TEAM', channel: 'C0GENERAL' }, slack.apiUrl);
  const { id } = await sender.send(conv, jobView('succeeded'));
  const [file] = slack.fake.files();
  expect(file).toMatchObject({ completed: true, filename: 'exp-tp-one-loss.png' });
  expect(pngHeader(file!.bytes!)).toEqual({ width: 640, height: 280, colorType: 6 });
  expect(file!.title).toMatch(/^exp\/tp-one: loss 2 → 0\.06667 over steps 1–30/);
  const message = slack.fake.message('C0GENERAL', id!);
  expect(message?.blocks).toContainEqual(expect.objectContaining({ type: 'image', slack_file: { id: file!.id } }));
  expect(slack.fake.calls().map((c) => c.method)).toEqual([
    'files.getUploadURLExternal',
    'files.completeUploadExternal',
    'chat.postMessage',
  ]);
});

test('a running job: no upload, the chart is its summary line', async () => {
  const sender = createSlackSender({ client: createSlackClient(BOT_TOKEN, slack.apiUrl) });
  const conv = slackConversation({ team: 'T0TEAM', channel: 'C0GENERAL' }, slack.apiUrl);
  const { id } = await sender.send(conv, jobView('running'));
  expect(slack.fake.files()).toEqual([]);
  expect(JSON.stringify(slack.fake.message('C0GENERAL', id!)?.blocks)).toMatch(/loss 2 → 0\.06667 over steps 1–30/);
});
