import { renderSlack, SLACK_MAX_BLOCKS, SLACK_MAX_SECTION, type SlackBlock, type SlackButton } from '../../cards/slack';
import type { JobView, View } from '../../shared/core/views';
import { allViews } from './fixtures';

const views = allViews();
const kinds = Object.keys(views) as Array<View['kind']>;

const texts = (blocks: SlackBlock[]) => blocks.flatMap((b) => ('text' in b && b.text ? [b.text.text] : []));
const buttons = (blocks: SlackBlock[]): SlackButton[] =>
  blocks.flatMap((b) => (b.type === 'actions' ? b.elements : b.type === 'section' && b.accessory ? [b.accessory] : []));

function checkLimits(blocks: SlackBlock[]): void {
  expect(blocks.length).toBeLessThanOrEqual(SLACK_MAX_BLOCKS);
  for (const b of blocks) {
    if (b.type === 'section') {
      expect((b.text?.text ?? '').length).toBeLessThanOrEqual(SLACK_MAX_SECTION);
      expect((b.fields ?? []).length).toBeLessThanOrEqual(10);
    }
    if (b.type === 'header') expect(b.text.text.length).toBeLessThanOrEqual(150);
    if (b.type === 'actions') expect(b.elements.length).toBeLessThanOrEqual(25);
  }
  const ids = buttons(blocks).map((x) => x.action_id);
  expect(new Set(ids).size).toBe(ids.length);
}

describe('renderSlack', () => {
  test.each(kinds)('%s keeps Block Kit limits and has notification text', (kind) => {
    const out = renderSlack(views[kind]);
    expect(out.text.length).toBeGreaterThan(0);
    expect(out.blocks.length).toBeGreaterThan(0);
    checkLimits(out.blocks);
  });

  test('job card: header, fields, stdout tail in a code block, output links, buttons carrying commands', () => {
    const { blocks } = renderSlack(views.job);
    expect(blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: 'Job demo_experiment/demo_job', emoji: true },
    });
    const t = texts(blocks).join('\n');
    expect(t).toContain(
      '```\nepoch 1 loss=2.31\nepoch 2 loss=1.02\n  File "train.py", line 3\n' +
        '*bold* _x_ &lt;b&gt;&amp;amp; [link](http://x)\ndone\n```',
    );
    expect(t).toMatch(
      /<https:\/\/storage_account_name\.file\.core\.windows\.net\/[^|>]+stdout\.txt\?[^|>]+\|stdout\.txt> · 32 B/,
    );
    expect(buttons(blocks).map((b) => [b.text.text, b.value])).toEqual([
      ['Refresh', 'job demo_experiment/demo_job'],
      ['Logs', 'logs demo_experiment/demo_job'],
      ['Outputs', 'outputs demo_experiment/demo_job'],
    ]);
  });

  test('escapes & < > in user text so it cannot form links or mentions', () => {
    const { blocks, text } = renderSlack({
      kind: 'error',
      title: 'Bad <!channel>',
      message: 'a <@U123> & <http://evil|click>',
      actions: [],
    });
    // The header is plain_text, which Slack never parses for links or mentions; every mrkdwn text is escaped.
    expect(blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'Bad <!channel>', emoji: true } });
    const all = texts(blocks.slice(1)).join('\n') + text;
    expect(all).not.toMatch(/<[@!h]/);
    expect(all).toContain('a &lt;@U123&gt; &amp; &lt;http://evil|click&gt;');
  });

  test('a long tail is trimmed from the top to one section with a note, keeping the last line', () => {
    const lines = Array.from({ length: 400 }, (_, i) => `line ${i} ${'y'.repeat(40)}`);
    const view: JobView = {
      ...(views.job as JobView),
      tails: [{ file: 'stdout.txt', lines, truncated: false, size: 20000 }],
    };
    const { blocks } = renderSlack(view);
    checkLimits(blocks);
    const code = texts(blocks).find((t) => t.startsWith('```')) ?? '';
    expect(code.endsWith(`line 399 ${'y'.repeat(40)}\n\`\`\``)).toBe(true);
    expect(code).not.toContain('line 0 ');
    const note = blocks.find((b) => b.type === 'context' && /… \d+ more lines above/.test(b.elements[0].text));
    expect(note).toBeDefined();
  });

  test('a long list stays within 50 blocks and says how many more exist', () => {
    const job = (views['job-list'] as Extract<View, { kind: 'job-list' }>).jobs[0];
    const { blocks } = renderSlack({
      kind: 'job-list',
      title: 'Jobs',
      jobs: Array.from({ length: 120 }, (_, i) => ({ ...job, name: `job${i}` })),
      more: 5,
    });
    checkLimits(blocks);
    const last = blocks[blocks.length - 1];
    expect(last.type === 'context' && last.elements[0].text).toMatch(/… and (\d+) more not shown\./);
    const shown = blocks.filter((b) => b.type === 'section').length;
    expect(last.type === 'context' && last.elements[0].text).toContain(`and ${120 + 5 - shown} more`);
  });

  test('destructive buttons are danger, positive ones primary', () => {
    expect(buttons(renderSlack(views.confirm).blocks).map((b) => b.style)).toEqual(['danger', undefined]);
    expect(buttons(renderSlack(views['cluster-alert']).blocks).map((b) => b.style)).toEqual(['primary']);
  });

  test.each(kinds)('Slack snapshot: %s', (kind) => {
    expect(renderSlack(views[kind])).toMatchSnapshot();
  });
});
