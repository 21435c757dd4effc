// CardModel → Adaptive Card 1.5 JSON. Teams gets Action.Execute (Universal Actions, verb "command"); web chat
// gets Action.Submit. Both carry `data: { command }`: the text the bot parses as if typed.
import type { ActionView, View } from '../shared/core/views';
import { clip, MAX_TEXT, moreLines, type Block, type CardModel, type Item, type Tone } from './card-model';
import { escapeMarkdown, keepIndent, markdownUrl } from './escape';
import { byteSize, fitCard, MAX_CARD_BYTES } from './fit';
import { layoutView } from './layout';

export type AdaptiveElement = { type: string; [key: string]: unknown };
export interface AdaptiveCardJson {
  type: 'AdaptiveCard';
  $schema: string;
  version: '1.5';
  body: AdaptiveElement[];
  actions?: AdaptiveElement[];
  msteams?: { width: 'Full' };
}

export type ActionStyle = 'execute' | 'submit';

const COLOR: Record<Tone, string> = {
  default: 'Default',
  good: 'Good',
  warning: 'Warning',
  attention: 'Attention',
  accent: 'Accent',
};
const md = (t: string) => escapeMarkdown(clip(t, MAX_TEXT));

function action(a: ActionView, style: ActionStyle): AdaptiveElement {
  const base = { title: a.title, data: { command: a.command }, ...(a.style ? { style: a.style } : {}) };
  return style === 'execute'
    ? { type: 'Action.Execute', verb: 'command', ...base }
    : { type: 'Action.Submit', ...base };
}

function textBlock(text: string, props: Record<string, unknown> = {}): AdaptiveElement {
  return { type: 'TextBlock', text, wrap: true, ...props };
}

function note(text: string): AdaptiveElement {
  return textBlock(md(text), { isSubtle: true, size: 'Small', spacing: 'Small' });
}

function item(i: Item, style: ActionStyle): AdaptiveElement {
  const color = i.tone && i.tone !== 'default' ? { color: COLOR[i.tone] } : {};
  return {
    type: 'Container',
    spacing: 'Small',
    items: [textBlock(`**${md(i.title)}**`, color), textBlock(md(i.text), { isSubtle: true, spacing: 'None' })],
    ...(i.command ? { selectAction: action({ title: i.commandTitle ?? 'Open', command: i.command }, style) } : {}),
  };
}

function block(b: Exclude<Block, { type: 'actions' }>, style: ActionStyle): AdaptiveElement[] {
  switch (b.type) {
    case 'text': {
      const props: Record<string, unknown> = {};
      if (b.tone && b.tone !== 'default') props.color = COLOR[b.tone];
      if (b.strong) props.weight = 'Bolder';
      if (b.subtle) props.isSubtle = true;
      return [textBlock(md(b.text), props)];
    }
    case 'facts':
      return [{ type: 'FactSet', facts: b.facts.map((f) => ({ title: md(f.title), value: md(f.value) })) }];
    case 'code': {
      // A TextRun is never read as Markdown: log lines and JSON show as written, with no escapes. One
      // RichTextBlock per line, because clients disagree on whether a single \n breaks a line.
      const lines = b.lines.map((line) => ({
        type: 'RichTextBlock',
        spacing: 'None',
        inlines: [{ type: 'TextRun', text: keepIndent(line) || '\u00a0', fontType: 'Monospace', size: 'Small' }],
      }));
      return [
        textBlock(`**${md(b.label)}**`, { spacing: 'Medium' }),
        ...(b.note ? [note(b.note)] : []),
        ...(b.hiddenAbove > 0 ? [note(moreLines(b.hiddenAbove, ' above'))] : []),
        { type: 'Container', style: 'emphasis', spacing: 'Small', items: lines },
        ...(b.hiddenBelow ? [note(moreLines(b.hiddenBelow))] : []),
      ];
    }
    case 'links': {
      const lines = b.links.map((l) => {
        const name = md(l.title);
        const linked = l.url ? `[${name}](${markdownUrl(l.url)})` : name;
        return textBlock(l.detail ? `${linked} · ${md(l.detail)}` : linked, { spacing: 'None' });
      });
      const more = b.hiddenBelow > 0 ? [note(`… and ${b.hiddenBelow} more not shown.`)] : [];
      return [
        {
          type: 'Container',
          spacing: 'Medium',
          items: [textBlock(`**${md(b.label)}**`), ...lines, ...more, ...(b.note ? [note(b.note)] : [])],
        },
      ];
    }
    case 'chart':
      // Teams' native chart; a host without it (web chat, older clients) shows the summary line instead.
      return [
        {
          type: 'Chart.Line',
          title: b.title,
          xAxisTitle: b.xTitle,
          yAxisTitle: b.metric,
          data: [{ legend: b.metric, values: b.points.map((p) => ({ x: p.x, y: p.y })) }],
          fallback: textBlock(md(b.summary), { isSubtle: true }),
        },
      ];
    case 'items': {
      if (b.items.length === 0 && b.hiddenBelow === 0)
        return [textBlock(md(b.empty ?? 'Nothing to show.'), { isSubtle: true })];
      const more = b.hiddenBelow > 0 ? [note(`… and ${b.hiddenBelow} more not shown.`)] : [];
      return [...b.items.map((i) => item(i, style)), ...more];
    }
  }
}

function render(m: CardModel, style: ActionStyle): AdaptiveCardJson {
  const body: AdaptiveElement[] = [];
  if (m.title) body.push(textBlock(md(m.title), { size: 'Medium', weight: 'Bolder', style: 'heading' }));
  const actions: AdaptiveElement[] = [];
  for (const b of m.blocks) {
    // The card's buttons go in its own action bar, where clients show them best; there is one set per card.
    if (b.type === 'actions') actions.push(...b.actions.map((a) => action(a, style)));
    else body.push(...block(b, style));
  }
  const card: AdaptiveCardJson = {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body,
  };
  if (actions.length) card.actions = actions;
  if (style === 'execute') card.msteams = { width: 'Full' };
  return card;
}

/** An Adaptive Card 1.5 for the view, trimmed below 28 KB. `execute` for Teams, `submit` elsewhere. */
export function renderAdaptive(view: View, style: ActionStyle = 'submit'): AdaptiveCardJson {
  return fitCard(
    layoutView(view),
    (m) => render(m, style),
    (card) => byteSize(card) < MAX_CARD_BYTES,
  );
}
