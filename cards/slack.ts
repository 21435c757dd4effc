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
  | ({ type: 'image'; alt_text: string; title?: SlackText } & ({ slack_file: { id: string } } | { image_url: string }));

/**
 * A view's chart as an image: a file uploaded to Slack (the Slack app: bot/slack/chart-images.ts) or a URL Slack
 * fetches itself (a short-lived read link: Azure Bot Service's Slack channel). Without a source the chart is its
 * summary line.
 */
export interface SlackChartImage {
  source?: { fileId: string } | { url: string };
  /** ISO: the image shows the chart as it was then (a running job's, drawn earlier); absent: as it is now. */
  asOf?: string;
  /** Why the image is missing or older than the card, shown with it. */
  note?: string;
}

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

/** `14:05 UTC` */
const hhmm = (iso: string) => `${iso.slice(11, 16)} UTC`;

function chartBlocks(b: Extract<Block, { type: 'chart' }>, image: SlackChartImage = {}): SlackBlock[] {
  // Slack shows an image only from a URL it can fetch or a file uploaded to it (a private link is neither).
  const src = image.source;
  if (!src) return [context(image.note ? `${b.summary} (${image.note})` : b.summary)];
  const title = image.asOf ? `${b.title}, as of ${hhmm(image.asOf)}` : b.title;
  return [
    {
      type: 'image',
      ...('fileId' in src ? { slack_file: { id: src.fileId } } : { image_url: src.url }),
      alt_text: clip(b.summary, 2000),
      title: { type: 'plain_text', text: clip(title, 150) },
    },
    ...(image.note ? [context(image.note)] : []),
  ];
}

function blocksOf(b: Block, button: (a: ActionView) => SlackButton, chart?: SlackChartImage): SlackBlock[] {
  switch (b.type) {
    case 'chart':
      return chartBlocks(b, chart);
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

function render(m: CardModel, chart?: SlackChartImage): { blocks: SlackBlock[]; text: string } {
  const button = buttonFactory();
  const blocks: SlackBlock[] = m.title
    ? [{ type: 'header', text: { type: 'plain_text', text: clip(m.title, 150), emoji: true } }]
    : [];
  for (const b of m.blocks) blocks.push(...blocksOf(b, button, chart));
  return { blocks, text: escapeMrkdwn(m.summary) };
}

/**
 * Block Kit for the view plus its notification text, trimmed to Slack's limits. `chart`: where the view's chart
 * is as an image (uploaded or linked by the transport); without it the chart is its summary line.
 */
export function renderSlack(
  view: View,
  opts: { chart?: SlackChartImage } = {},
): { blocks: SlackBlock[]; text: string } {
  return fitCard(
    layoutView(view),
    (m) => render(m, opts.chart),
    (out) => out.blocks.length <= SLACK_MAX_BLOCKS && byteSize(out) < MAX_CARD_BYTES,
  );
}
