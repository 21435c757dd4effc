// Escaping of user-provided text (job names, log lines, error messages) for each platform's markup.

/**
 * Adaptive Card TextBlocks read a Markdown subset: backslash-escape what could start emphasis, a link, code,
 * an entity or a `{{DATE()}}` function, and what turns a line into a list, heading or quote.
 */
export function escapeMarkdown(text: string): string {
  return (
    text
      .replace(/[\\`*[\]~<>{}&]/g, '\\$&')
      // An underscore between letters or digits never starts emphasis (job_7): leave it, fewer backslashes.
      .replace(/(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g, '\\_')
      .replace(/^(\s*)([#+\-=|])/gm, '$1\\$2')
      .replace(/^(\s*)(\d+)([.)])/gm, '$1$2\\$3')
  );
}

/** Slack mrkdwn: only &, < and > are control characters (they would form links and mentions). */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A log line inside a Slack ``` block: a ``` in the text would end the block early. */
export function slackCodeLine(line: string): string {
  return escapeMrkdwn(line).replace(/```/g, '`\u200b``');
}

/** Markdown drops leading spaces (and four make a code block); non-breaking ones keep a traceback's indent. */
export function keepIndent(line: string): string {
  return line.replace(/^ +/, (s) => '\u00a0'.repeat(s.length));
}

/** A URL inside Markdown `[title](url)`: parentheses and spaces would end or break it. */
export function markdownUrl(url: string): string {
  return url.replace(/[()\s]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}
