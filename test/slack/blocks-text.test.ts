// Block Kit (as cards/slack.ts renders every view) → the terminal text `npm run chat -- --channel slack` prints.
import { renderSlack } from '../../cards/slack';
import { parseCliArgs } from '../../local/chat/cli';
import { slackMessageToText } from '../../local/slack/blocks-text';
import { allViews } from '../cards/fixtures';

test('a job card reads as text: header, facts aligned, the log tail indented, links with their URL, buttons', () => {
  const text = slackMessageToText(renderSlack(allViews().job));
  const lines = text.split('\n');
  expect(lines[0]).toMatch(/^== .+ ==$/);
  expect(text).toMatch(/\n {2}Cluster +demo_cluster · 1 node\n {2}Tool +custom\n/);
  expect(text).toContain('\n    epoch 2 loss=1.02');
  // Log lines are shown as written (the entities Slack needs are decoded again).
  expect(text).toContain('    *bold* _x_ <b>&amp; [link](http://x)');
  expect(text).toMatch(/stdout\.txt \(https:\/\/\S+\)/);
  expect(text).toMatch(/\[Refresh\]/);
  expect(text).not.toMatch(/<https?:|&lt;|```/);
});

test('every kind of view becomes some text, and a message without blocks shows its text', () => {
  for (const [kind, view] of Object.entries(allViews()))
    expect([kind, slackMessageToText(renderSlack(view)).length > 10]).toEqual([kind, true]);
  expect(slackMessageToText({ text: 'a &lt;b&gt;', blocks: [] })).toBe('a <b>');
});

test('--channel slack: a DM of the local Slack by default; --press needs slack and no text', () => {
  expect(parseCliArgs(['--channel', 'slack', 'submit', 'hello'], {})).toMatchObject({
    channel: 'slack',
    conversation: 'D0LOCAL',
    user: 'U0LOCAL',
    url: 'http://127.0.0.1:3979',
    text: 'submit hello',
  });
  expect(
    parseCliArgs(['--channel', 'slack', '-c', 'C0GENERAL', '--press', 'Refresh'], {
      SLACK_URL: 'http://127.0.0.1:5000',
    }),
  ).toMatchObject({ conversation: 'C0GENERAL', press: 'Refresh', url: 'http://127.0.0.1:5000' });
  expect(parseCliArgs(['hi'], {})).toMatchObject({
    channel: 'webchat',
    conversation: 'local',
    user: 'you',
    url: 'http://127.0.0.1:3978',
  });
  expect(() => parseCliArgs(['--press', 'Refresh'], {})).toThrow(/--press goes with --channel slack/);
  expect(() => parseCliArgs(['--channel', 'teams'], {})).toThrow(/expected webchat or slack/);
});
