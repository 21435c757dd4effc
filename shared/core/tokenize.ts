// Splits a chat line into words. Quotes group words (`key="a b"` is one token `key=a b`); chat clients
// turn straight quotes into curly ones, so those count too. A quoted token is never a flag.

export interface Token {
  text: string;
  /** Some part of it was quoted: `"--x"` is a value, not a flag. */
  quoted: boolean;
}

const OPEN_TO_CLOSE: Record<string, string> = { '"': '"', "'": "'", '“': '”', '‘': '’', '„': '“' };

export function tokenize(line: string): Token[] | { error: string } {
  const tokens: Token[] = [];
  let i = 0;
  while (i < line.length) {
    while (i < line.length && /\s/.test(line[i])) i++;
    if (i >= line.length) break;
    let text = '';
    let quoted = false;
    while (i < line.length && !/\s/.test(line[i])) {
      const close = OPEN_TO_CLOSE[line[i]];
      if (close === undefined) {
        text += line[i++];
        continue;
      }
      const end = line.indexOf(close, i + 1);
      if (end < 0) return { error: `a closing quote ${close} for the quote opened at character ${i + 1}` };
      text += line.slice(i + 1, end);
      quoted = true;
      i = end + 1;
    }
    tokens.push({ text, quoted });
  }
  return tokens;
}

/** Quotes a value for a command line if it needs it (the inverse of tokenize for one value). */
export function quoteValue(value: string): string {
  if (value !== '' && !/[\s"'“”‘’„]/.test(value)) return value;
  return value.includes('"') ? `'${value}'` : `"${value}"`;
}
