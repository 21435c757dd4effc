// The Markdown subset our Adaptive Cards use, as HTML, for a page that renders cards with the adaptivecards
// browser bundle (which shows raw Markdown unless given a processor):
//   AdaptiveCards.AdaptiveCard.onProcessMarkdown = (text, r) => { r.outputHtml = markdownLite(text); r.didProcess = true; };
// Handles backslash escapes, **bold**, _italic_, [title](http(s) url) and line breaks; everything else is text.

const HTML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const html = (s: string) => s.replace(/[&<>"']/g, (c) => HTML[c]);

export function markdownLite(text: string): string {
  // Escaped characters become private-use placeholders so no rule below can read them as syntax.
  const escaped: string[] = [];
  let s = text.replace(/\\([!-/:-@[-`{-~])/g, (_, c: string) => `\uE000${escaped.push(c) - 1}\uE001`);
  s = html(s)
    .replace(/\[([^\]]*)\]\((https?:\/\/[^\s)]+)\)/g, (_, t: string, u: string) => `<a href="${u}" target="_blank" rel="noopener">${t}</a>`)
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
    .replace(/(^|[^A-Za-z0-9])_([^_]+)_(?![A-Za-z0-9])/g, '$1<em>$2</em>')
    .replace(/\r?\n|\r/g, '<br>');
  return s.replace(/\uE000(\d+)\uE001/g, (_, i: string) => html(escaped[Number(i)]));
}
