// Slack Block Kit (what the bot sends a Slack conversation in channelData.blocks) → DOM, close to how Slack
// shows it: header, sections with mrkdwn text, fields and a button, context lines, actions, dividers. mrkdwn
// is read the way Slack reads it (*bold*, _italic_, `code`, ``` blocks, <url|text> links, &amp; &lt; &gt;);
// every piece of text goes in as a text node, never as HTML.
(() => {
  'use strict';
  const EMOJI = { white_check_mark: '✅', warning: '⚠️', x: '❌', arrows_counterclockwise: '🔄' };
  const decode = (s) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

  function el(tag, className, children) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    for (const c of children || []) node.append(c);
    return node;
  }

  /** *bold*, _italic_, `code` and :emoji: inside one run of text (no links, no code blocks). */
  function inline(text) {
    const out = [];
    const re = /\*([^*\n]+)\*|_([^_\n]+)_|`([^`\n]+)`|:([a-z_]+):/g;
    let at = 0;
    for (let m; (m = re.exec(text)); ) {
      if (m.index > at) out.push(decode(text.slice(at, m.index)));
      if (m[1] !== undefined) out.push(el('strong', '', inline(m[1])));
      else if (m[2] !== undefined) out.push(el('em', '', inline(m[2])));
      else if (m[3] !== undefined) out.push(el('code', '', [decode(m[3])]));
      else out.push(EMOJI[m[4]] || m[0]);
      at = re.lastIndex;
    }
    if (at < text.length) out.push(decode(text.slice(at)));
    return out;
  }

  /** Links (<url|text>, <url>) first: their text may not be split by the rules above. */
  function spans(text) {
    const out = [];
    const re = /<(https?:\/\/[^|>]+)(?:\|([^>]*))?>/g;
    let at = 0;
    for (let m; (m = re.exec(text)); ) {
      out.push(...inline(text.slice(at, m.index)));
      const a = el('a', '', [decode(m[2] || m[1])]);
      a.href = decode(m[1]);
      a.target = '_blank';
      a.rel = 'noopener';
      out.push(a);
      at = re.lastIndex;
    }
    out.push(...inline(text.slice(at)));
    return out;
  }

  function mrkdwn(text) {
    const node = el('div', 'sk-text');
    const parts = text.split(/```\n?([\s\S]*?)\n?```/);
    parts.forEach((part, i) => {
      if (i % 2 === 1) node.append(el('pre', 'sk-code', [decode(part)]));
      else if (part) node.append(...spans(part));
    });
    return node;
  }

  const textOf = (t) => (t.type === 'mrkdwn' ? mrkdwn(t.text) : el('div', 'sk-text', [t.text]));

  function button(b, press) {
    const node = el('button', 'sk-button' + (b.style ? ' sk-' + b.style : ''), [b.text.text]);
    node.type = 'button';
    node.addEventListener('click', () => press(b.value));
    return node;
  }

  function block(b, press) {
    switch (b.type) {
      case 'header':
        return el('div', 'sk-header', [b.text.text]);
      case 'section': {
        const node = el('div', 'sk-section');
        if (b.text) node.append(textOf(b.text));
        if (b.fields) node.append(el('div', 'sk-fields', b.fields.map(textOf)));
        if (b.accessory && b.accessory.type === 'button') node.append(button(b.accessory, press));
        return node;
      }
      case 'context':
        return el('div', 'sk-context', b.elements.map(textOf));
      case 'actions':
        return el(
          'div',
          'sk-actions',
          b.elements.map((e) => button(e, press)),
        );
      case 'divider':
        return el('hr', 'sk-divider');
      case 'image': {
        // An image by URL (a chart's short-lived blob link) is shown as Slack shows it, under its title. A file
        // uploaded to Slack (slack_file) needs a Slack session the page does not have: its alt text stands in.
        const title = el('figcaption', 'sk-context', [b.title?.text || '']);
        if (typeof b.image_url === 'string' && /^https?:\/\//.test(b.image_url)) {
          const img = el('img', 'sk-image');
          img.src = b.image_url;
          img.alt = b.alt_text || '';
          return el('figure', 'sk-image-block', [title, img]);
        }
        return el('figure', 'sk-image-block', [title, el('div', 'sk-context', [b.alt_text || ''])]);
      }
      default:
        return el('div', 'sk-unknown', ['[' + b.type + ' block]']);
    }
  }

  /** The blocks as one message; `press(value)` is called with a button's value. */
  window.renderSlackBlocks = (blocks, press) =>
    el(
      'div',
      'sk-message',
      blocks.map((b) => block(b, press)),
    );
})();
