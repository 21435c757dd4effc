// Pure: an Adaptive Card (JSON) → readable terminal text for `npm run chat`: text blocks, fact sets aligned,
// monospace blocks indented, tables as rows, links with their URL, buttons as [Title].
type Json = Record<string, unknown>;

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const arr = (v: unknown): Json[] =>
  Array.isArray(v) ? v.filter((x): x is Json => typeof x === 'object' && x !== null) : [];

/** Adaptive Cards TextBlocks take a little Markdown: drop the emphasis markers and backslash escapes. */
function plainMarkdown(text: string): string {
  return text.replace(/\*\*(.+?)\*\*/g, '$1').replace(/\\([\\`*_{}[\]()#+\-.!<>|])/g, '$1');
}

function indent(lines: string[], by: string): string[] {
  return lines.map((l) => (l ? by + l : l));
}

function inlineText(inlines: unknown): string {
  if (!Array.isArray(inlines)) return '';
  return inlines.map((i) => (typeof i === 'string' ? i : str((i as Json)?.text))).join('');
}

function elementLines(el: Json): string[] {
  if (el.isVisible === false) return [];
  switch (el.type) {
    case 'TextBlock': {
      const text = str(el.text);
      if (!text) return [];
      // Monospace blocks are shown verbatim (logs); others are Markdown.
      return el.fontType === 'Monospace' ? indent(text.split('\n'), '    ') : plainMarkdown(text).split('\n');
    }
    case 'RichTextBlock':
      return inlineText(el.inlines).split('\n');
    case 'FactSet': {
      const facts = arr(el.facts);
      const width = Math.max(0, ...facts.map((f) => str(f.title).length));
      return facts.map((f) => `  ${str(f.title).padEnd(width)}  ${str(f.value)}`);
    }
    case 'Container':
      return itemsLines(el.items);
    case 'ColumnSet':
      return arr(el.columns).flatMap((c) => itemsLines(c.items));
    case 'Table':
      return arr(el.rows).map((r) =>
        arr(r.cells)
          .map((c) => itemsLines(c.items).join(' ').trim())
          .join(' | '),
      );
    case 'Image':
      return [`[image${el.altText ? `: ${str(el.altText)}` : ''}]`];
    case 'ActionSet':
      return actionLines(arr(el.actions));
    default:
      if (str(el.type).startsWith('Input.')) {
        return [`[${str(el.label) || str(el.id)}: ${str(el.placeholder) || str(el.value) || 'input'}]`];
      }
      return [];
  }
}

function itemsLines(items: unknown): string[] {
  return arr(items).flatMap(elementLines);
}

function actionLines(actions: Json[]): string[] {
  if (actions.length === 0) return [];
  const buttons: string[] = [];
  const rest: string[] = [];
  for (const a of actions) {
    const title = str(a.title) || str(a.verb) || 'button';
    if (a.type === 'Action.OpenUrl') rest.push(`${title}: ${str(a.url)}`);
    else if (a.type === 'Action.ShowCard') {
      buttons.push(`[${title} ▾]`);
      const card = a.card as Json | undefined;
      if (card) rest.push(...indent(cardLines(card), '  '));
    } else buttons.push(`[${title}]`);
  }
  return [...(buttons.length ? [buttons.join(' ')] : []), ...rest];
}

function cardLines(card: Json): string[] {
  return [...itemsLines(card.body), ...actionLines(arr(card.actions))];
}

/** The card as plain lines of text. */
export function cardToText(card: unknown): string {
  if (typeof card !== 'object' || card === null) return '';
  return cardLines(card as Json).join('\n');
}

/** The visible content of one activity: its text, then each attachment (cards as text). */
export function activityToText(activity: Json): string {
  const parts: string[] = [];
  if (str(activity.text)) parts.push(str(activity.text));
  for (const att of arr(activity.attachments)) {
    if (att.contentType === 'application/vnd.microsoft.card.adaptive') parts.push(cardToText(att.content));
    else parts.push(`[${str(att.name) || str(att.contentType)}]`);
  }
  return parts.join('\n');
}
