// CardModel → Slack Block Kit (sent in activity.channelData through Azure Bot Service's Slack channel).
// Limits kept here: ≤ 50 blocks, section text ≤ 3,000 chars, ≤ 10 fields per section, header ≤ 150 chars,
// ≤ 25 elements per actions block, button text ≤ 75 chars. Log tails are trimmed from the top with a note.
import type { ActionView, View } from '../shared/core/views';
import { clip, MAX_TEXT, moreLines, type Block, type CardModel, type Tone } from './card-model';
import { escapeMrkdwn, slackCodeLine } from './escape';
import { byteSize, fitCard, MAX_CARD_BYTES } from './fit';
import { layoutView } from './layout';

export type SlackText = { type: 'plain_text' | 'mrkdwn'; text: string; emoji?: boolean };
export type SlackButton = {
  type: 'button';
  text: SlackText;
  value: string;
  action_id: string;
  style?: 'primary' | 'danger';
};
export type SlackBlock =
  | { type: 'header'; text: SlackText }
  | { type: 'section'; text?: SlackText; fields?: SlackText[]; accessory?: SlackButton }
  | { type: 'context'; elements: SlackText[] }
  | { type: 'actions'; elements: SlackButton[] }
  | { type: 'divider' }
  | { type: 'image'; slack_file: { id: string }; alt_text: string; title?: SlackText };

export const SLACK_MAX_BLOCKS = 50;
export const SLACK_MAX_SECTION = 3000;

const TONE_MARK: Record<Tone, string> = {
  default: '',
  good: ':white_check_mark: ',
  warning: ':warning: ',
  attention: ':x: ',
  accent: ':arrows_counterclockwise: ',
};
const mrkdwn = (text: string): SlackText => ({ type: 'mrkdwn', text });
const esc = (t: string) => escapeMrkdwn(clip(t, MAX_TEXT));
const context = (text: string): SlackBlock => ({ type: 'context', elements: [mrkdwn(esc(text))] });

/** Buttons need ids unique in the message; the command itself travels in `value`. */
function buttonFactory() {
  let n = 0;
  return (a: ActionView): SlackButton => ({
    type: 'button',
    text: { type: 'plain_text', text: clip(a.title, 75), emoji: true },
    value: a.command,
    action_id: `command-${n++}`,
    ...(a.style === 'destructive'
      ? { style: 'danger' as const }
      : a.style === 'positive'
        ? { style: 'primary' as const }
        : {}),
  });
}

/** As many of the last lines as fit in one section with the fence; the rest are reported above it. */
function codeBlocks(b: Extract<Block, { type: 'code' }>): SlackBlock[] {
  const lines = b.lines.map(slackCodeLine);
  let start = 0;
  let size = lines.reduce((n, l) => n + l.length + 1, 8);
  while (size > SLACK_MAX_SECTION && start < lines.length - 1) size -= lines[start++].length + 1;
  const kept = lines.slice(start).map((l) => l.slice(0, SLACK_MAX_SECTION - 8));
  const hidden = b.hiddenAbove + start;
  const notes = [b.note, hidden > 0 ? moreLines(hidden, ' above') : undefined].filter(Boolean).join(' ');
  return [
    { type: 'section', text: mrkdwn(`*${esc(b.label)}*`) },
    ...(notes ? [context(notes)] : []),
    { type: 'section', text: mrkdwn(`\`\`\`\n${kept.join('\n') || ' '}\n\`\`\``) },
    ...(b.hiddenBelow ? [context(moreLines(b.hiddenBelow))] : []),
  ];
}

function linkBlocks(b: Extract<Block, { type: 'links' }>): SlackBlock[] {
  const lines: string[] = [];
  let size = b.label.length + 4;
  let hidden = b.hiddenBelow;
  for (const [i, l] of b.links.entries()) {
    // `|` and `>` end a Slack link: percent-encode them in the URL.
    const url = l.url?.replace(/[|>]/g, (c) => encodeURIComponent(c));
    const line = `${url ? `<${url}|${esc(l.title)}>` : esc(l.title)}${l.detail ? ` · ${esc(l.detail)}` : ''}`;
    if (size + line.length + 1 > SLACK_MAX_SECTION - 60) {
      hidden += b.links.length - i;
      break;
    }
    lines.push(line);
    size += line.length + 1;
  }
  const more = hidden > 0 ? `\n… and ${hidden} more not shown.` : '';
  return [
    { type: 'section', text: mrkdwn(`*${esc(b.label)}*\n${lines.join('\n')}${more}`) },
    ...(b.note ? [context(b.note)] : []),
  ];
}

function blocksOf(b: Block, button: (a: ActionView) => SlackButton, chartFileId?: string): SlackBlock[] {
  switch (b.type) {
    case 'chart':
      // Slack shows an image only from a URL it can fetch or a file uploaded to it (a private link is neither):
      // the sender uploads the chart's PNG first (bot/slack/chart-upload.ts) and names the file here.
      return chartFileId
        ? [
            {
              type: 'image',
              slack_file: { id: chartFileId },
              alt_text: clip(b.summary, 2000),
              title: { type: 'plain_text', text: clip(b.title, 150) },
            },
          ]
        : [context(b.summary)];
    case 'text': {
      const body = `${TONE_MARK[b.tone ?? 'default']}${esc(b.text)}`;
      return b.subtle ? [context(b.text)] : [{ type: 'section', text: mrkdwn(b.strong ? `*${body}*` : body) }];
    }
    case 'facts': {
      const out: SlackBlock[] = [];
      for (let i = 0; i < b.facts.length; i += 10) {
        out.push({
          type: 'section',
          fields: b.facts.slice(i, i + 10).map((f) => mrkdwn(`*${esc(f.title)}*\n${esc(f.value)}`)),
        });
      }
      return out;
    }
    case 'code':
      return codeBlocks(b);
    case 'links':
      return linkBlocks(b);
    case 'items': {
      if (b.items.length === 0 && b.hiddenBelow === 0) return [context(b.empty ?? 'Nothing to show.')];
      const items: SlackBlock[] = b.items.map((i) => ({
        type: 'section',
        text: mrkdwn(`${TONE_MARK[i.tone ?? 'default']}*${esc(i.title)}*\n${esc(i.text)}`),
        ...(i.command ? { accessory: button({ title: i.commandTitle ?? 'Open', command: i.command }) } : {}),
      }));
      return b.hiddenBelow > 0 ? [...items, context(`… and ${b.hiddenBelow} more not shown.`)] : items;
    }
    case 'actions': {
      const out: SlackBlock[] = [];
      for (let i = 0; i < b.actions.length; i += 25)
        out.push({ type: 'actions', elements: b.actions.slice(i, i + 25).map(button) });
      return out;
    }
  }
}

function render(m: CardModel, chartFileId?: string): { blocks: SlackBlock[]; text: string } {
  const button = buttonFactory();
  const blocks: SlackBlock[] = m.title
    ? [{ type: 'header', text: { type: 'plain_text', text: clip(m.title, 150), emoji: true } }]
    : [];
  for (const b of m.blocks) blocks.push(...blocksOf(b, button, chartFileId));
  return { blocks, text: escapeMrkdwn(m.summary) };
}

/**
 * Block Kit for the view plus its notification text, trimmed to Slack's limits. `chartFileId`: the Slack file
 * holding the view's chart as an image (uploaded by the sender); without it the chart is its summary line.
 */
export function renderSlack(view: View, opts: { chartFileId?: string } = {}): { blocks: SlackBlock[]; text: string } {
  return fitCard(
    layoutView(view),
    (m) => render(m, opts.chartFileId),
    (out) => out.blocks.length <= SLACK_MAX_BLOCKS && byteSize(out) < MAX_CARD_BYTES,
  );
}
