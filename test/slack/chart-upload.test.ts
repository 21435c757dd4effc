// A job's chart reaches Slack as an uploaded PNG: the real WebClient runs Slack's file upload
// (files.getUploadURLExternal, the bytes POSTed to the URL it answered, files.completeUploadExternal) against the
// local Slack, and the card's image block names the file. A running card's chart is uploaded again only when it
// changed and the interval passed, the file it replaces deleted; all within one budget of file calls a minute in
// which a finished job's chart comes first. The clock is virtual.
import { createSlackClient, createSlackSender } from '../../bot/slack/sender';
import { slackConversation } from '../../bot/slack/conversation';
import { pngHeader } from '../../cards/png';
import type { JobView } from '../../shared/core/views';
import { startLocalSlack, type LocalSlack } from '../../local/slack/local-slack';
import { BOT_TOKEN, SIGNING_SECRET } from './support/slack-requests';
import { virtualClock } from './support/virtual-clock';

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

describe('a running job', () => {
  const running = (n: number): JobView => ({
    ...jobView('running'),
    progress: { metrics: [], chart: { metric: 'loss', points: points.slice(0, n) } },
  });
  const setup = (fileCallsPerMinute = 20) => {
    const clock = virtualClock();
    const sender = createSlackSender({
      client: createSlackClient(BOT_TOKEN, slack.apiUrl),
      clock,
      chartEverySeconds: 300,
      fileCallsPerMinute,
    });
    const conv = slackConversation({ team: 'T0TEAM', channel: 'C0GENERAL' }, slack.apiUrl);
    const image = (ts: string) =>
      slack.fake.message('C0GENERAL', ts)?.blocks.find((b) => (b as { type: string }).type === 'image') as
        | { slack_file: { id: string }; title: { text: string } }
        | undefined;
    return { clock, sender, conv, image };
  };

  test('a new chart when it changed and 5 min passed; between, the last one shows with its time', async () => {
    const { clock, sender, conv, image } = setup();
    const { id } = await sender.send(conv, running(10));
    const first = image(id!)!;
    expect(first.slack_file.id).toBe(slack.fake.files()[0]!.id);
    expect(first.title.text).toBe('loss over steps');
    // A minute later the chart grew: the card is updated, its image is the last upload, said to be older.
    clock.advance(60_000);
    await sender.update(conv, id!, running(12));
    expect(image(id!)).toMatchObject({
      slack_file: first.slack_file,
      title: { text: 'loss over steps, as of 12:00 UTC' },
    });
    expect(slack.fake.files()).toHaveLength(1);
    // Five minutes after the upload: a new one, and the one it replaced is deleted once the card shows the new.
    clock.advance(240_000);
    await sender.update(conv, id!, running(20));
    const second = image(id!)!;
    expect(second.slack_file.id).not.toBe(first.slack_file.id);
    expect(slack.fake.files().map((f) => f.deleted ?? false)).toEqual([true, false]);
    expect(
      slack.fake
        .calls()
        .map((c) => c.method)
        .slice(-4),
    ).toEqual(['files.getUploadURLExternal', 'files.completeUploadExternal', 'chat.update', 'files.delete']);
    // Unchanged, however long: no upload.
    clock.advance(600_000);
    await sender.update(conv, id!, running(20));
    expect(slack.fake.files()).toHaveLength(2);
    // The job ends: its final chart is uploaded at once (no interval), the running one deleted.
    await sender.update(conv, id!, { ...running(30), job: { ...running(30).job, state: 'succeeded' } });
    expect(slack.fake.files().map((f) => f.deleted ?? false)).toEqual([true, true, false]);
  });

  test('one budget a minute: running charts stop at their share and say so; a final still goes', async () => {
    // 10 calls a minute: running charts may spend 7 (three uploads of 2), a finished job's all 10.
    const { clock, sender, conv, image } = setup(10);
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push((await sender.send(conv, running(10))).id!);
    expect(slack.fake.files()).toHaveLength(3);
    expect(image(ids[3]!)).toBeUndefined();
    const text = JSON.stringify(slack.fake.message('C0GENERAL', ids[3]!)?.blocks);
    expect(text).toContain('loss 2 → 0.2 over steps 1–10');
    expect(text).toContain("Slack's file budget for this minute is spent");
    // Finished jobs may spend the rest: two more uploads; then the minute is spent for them too.
    for (let i = 0; i < 2; i++) expect(image((await sender.send(conv, jobView('succeeded'))).id!)).toBeDefined();
    const late = await sender.send(conv, jobView('succeeded'));
    expect(image(late.id!)).toBeUndefined();
    expect(JSON.stringify(slack.fake.message('C0GENERAL', late.id!)?.blocks)).toContain('file budget');
    // No more than the budget went to Slack's file methods within the minute.
    expect(slack.fake.calls().filter((c) => c.method.startsWith('files.')).length).toBeLessThanOrEqual(10);
    clock.advance(60_000);
    await sender.update(conv, ids[3]!, running(10));
    expect(image(ids[3]!)).toBeDefined();
  });
});
