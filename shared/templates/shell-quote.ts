// A template value that lands in a command line becomes one literal shell word, whatever it contains. How it
// is quoted depends on where the template put the placeholder: bare, inside '…', or inside "…" (also within
// $( )). Places where no quoting can make it literal (backticks, $'…', a here-document, right after a
// backslash) are refused when the template is loaded, so rendering never has to guess.
import { PLACEHOLDER } from './template-types';

export type ShellContext = 'bare' | 'single' | 'double';
type Frame = 'bare' | 'sub' | 'single' | 'double' | 'backtick' | 'ansi' | 'heredoc';

/** Characters that mean nothing to a shell outside quotes: such a value needs no quotes at all. */
const INERT = /^[\w.,:/=+@%-]+$/;

export class UnquotablePlaceholder extends Error {}

const WHERE: Partial<Record<Frame, string>> = {
  backtick: 'inside backticks (use $( ) instead)',
  ansi: "inside $'…'",
  heredoc: 'after a here-document (<<)',
};

/** Walks the literal text between placeholders and reports each placeholder's quoting context, in order. */
export function placeholderContexts(text: string): Array<{ name: string; context: ShellContext }> {
  const stack: Frame[] = ['bare'];
  const depth: number[] = [0];
  let escaped = false;
  const out: Array<{ name: string; context: ShellContext }> = [];
  const top = (): Frame => stack[stack.length - 1]!;
  const lex = (chunk: string): void => {
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i]!;
      const next = chunk[i + 1];
      const f = top();
      if (escaped) {
        escaped = false;
        continue;
      }
      if (f === 'single') {
        if (c === "'") stack.pop();
      } else if (f === 'heredoc') {
        // Nothing after `<<` is lexed: a here-document body is not shell words.
      } else if (c === '\\') {
        escaped = true;
      } else if (f === 'ansi') {
        if (c === "'") stack.pop();
      } else if (f === 'backtick') {
        if (c === '`') stack.pop();
      } else if (f === 'double') {
        if (c === '"') stack.pop();
        else if (c === '`') stack.push('backtick');
        else if (c === '$' && next === '(') {
          stack.push('sub');
          depth.push(0);
          i++;
        }
      } else {
        if (c === "'") stack.push('single');
        else if (c === '"') stack.push('double');
        else if (c === '`') stack.push('backtick');
        else if (c === '$' && next === "'") {
          stack.push('ansi');
          i++;
        } else if (c === '$' && next === '(') {
          stack.push('sub');
          depth.push(0);
          i++;
        } else if (c === '<' && next === '<') stack.push('heredoc');
        else if (c === '(') depth[depth.length - 1]!++;
        else if (c === ')' && f === 'sub') {
          if (depth[depth.length - 1] === 0) {
            stack.pop();
            depth.pop();
          } else depth[depth.length - 1]!--;
        }
      }
    }
  };
  let last = 0;
  for (const m of text.matchAll(PLACEHOLDER)) {
    lex(text.slice(last, m.index));
    last = m.index + m[0].length;
    const f = top();
    if (escaped) throw new UnquotablePlaceholder(`{{${m[1]}}} right after a backslash`);
    const why = WHERE[f];
    if (why) throw new UnquotablePlaceholder(`{{${m[1]}}} ${why}`);
    out.push({ name: m[1]!, context: f === 'sub' ? 'bare' : (f as ShellContext) });
  }
  return out;
}

/** The text of a single-quoted word: every `'` closes the quote, adds an escaped one and reopens. */
function insideSingleQuotes(value: string): string {
  return value.replace(/'/g, `'\\''`);
}

/** A string as one single-quoted shell word, whatever it contains. */
export function shellQuote(s: string): string {
  return `'${insideSingleQuotes(s)}'`;
}

/** `value` as literal text in `context`: one word when bare, the same characters when inside quotes. */
export function quoteFor(value: string, context: ShellContext): string {
  if (context === 'single') return insideSingleQuotes(value);
  if (context === 'double') return value.replace(/[\\"$`]/g, '\\$&');
  return INERT.test(value) ? value : shellQuote(value);
}
