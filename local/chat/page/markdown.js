// Markdown in Adaptive Cards as Teams renders it: bold, italic, links, lists, line breaks and backslash
// escapes; no HTML, headings, code, quotes, tables or images (those show as the text they are). Installed as
// the adaptivecards renderer's markdown hook, so TextBlocks and facts on the page read as they do in Teams.
(() => {
  'use strict';
  const md = window
    .markdownit({ html: false, linkify: false, typographer: false, breaks: true })
    .disable([
      'table',
      'code',
      'fence',
      'blockquote',
      'hr',
      'reference',
      'html_block',
      'heading',
      'lheading',
      'backticks',
      'strikethrough',
      'image',
      'autolink',
      'html_inline',
    ]);
  // Links open beside the chat, as Teams opens them in the browser.
  const openLink =
    md.renderer.rules.link_open || ((tokens, i, options, _env, self) => self.renderToken(tokens, i, options));
  md.renderer.rules.link_open = (tokens, i, options, env, self) => {
    tokens[i].attrSet('target', '_blank');
    tokens[i].attrSet('rel', 'noopener');
    return openLink(tokens, i, options, env, self);
  };
  window.AdaptiveCards.AdaptiveCard.onProcessMarkdown = (text, result) => {
    result.outputHtml = md.render(text);
    result.didProcess = true;
  };
})();
