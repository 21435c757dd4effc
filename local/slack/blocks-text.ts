// Pure: a Slack message (Block Kit) → readable terminal text for `npm run chat -- --channel slack`: the header,
// sections (mrkdwn as plain text, fields aligned, code fences indented), context lines, and buttons as [Title].
type Json = Record<string, unknown>;

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const arr = (v: unknown): Json[] =>
  Array.isArray(v) ? v.filter((x): x is Json => typeof x === 'object' && x !== null) : [];

const decode = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** mrkdwn → plain: links as `title (url)`, emphasis markers dropped, entities decoded. */
function plain(mrkdwn: string): string {
  return decode(
    mrkdwn.replace(/<([^|>]+)\|([^>]*)>/g, '$2 ($1)').replace(/(^|[\s(])\*([^*\n]+)\*(?=$|[\s).,:])/gm, '$1$2'),
  );
}

function textLines(t: unknown): string[] {
  const text = str((t as Json | undefined)?.text);
  if (!text) return [];
  const fence = /^```\n?([\s\S]*?)\n?```$/.exec(text);
  if (fence) return fence[1].split('\n').map((l) => `    ${decode(l)}`);
  return plain(text).split('\n');
}

const button = (b: Json) => `[${str((b.text as Json | undefined)?.text) || 'button'}]`;

function blockLines(b: Json): string[] {
  switch (b.type) {
    case 'header':
      return [`== ${str((b.text as Json | undefined)?.text)} ==`];
    case 'section': {
      const fields = arr(b.fields).map((f) => plain(str(f.text)).split('\n'));
      const width = Math.max(0, ...fields.map(([title]) => title.length));
      const lines = [
        ...textLines(b.text),
        ...fields.map(([title, ...value]) => `  ${title.padEnd(width)}  ${value.join(' ')}`),
      ];
      const accessory = b.accessory as Json | undefined;
      if (accessory?.type === 'button') lines.push(`  ${button(accessory)}`);
      return lines;
    }
    case 'context':
      return [
        arr(b.elements)
          .map((e) => plain(str(e.text)))
          .join(' '),
      ];
    case 'actions':
      return [
        arr(b.elements)
          .filter((e) => e.type === 'button')
          .map(button)
          .join(' '),
      ];
    case 'divider':
      return ['───'];
    default:
      return [];
  }
}

/** The message's blocks as lines of text; its `text` when it has no blocks. */
export function slackMessageToText(message: { text?: string; blocks?: unknown[] }): string {
  const blocks = arr(message.blocks);
  return blocks.length ? blocks.flatMap(blockLines).join('\n') : plain(message.text ?? '');
}
