// Structural reading of Bicep source (no Bicep compiler installs here): declared params and outputs, module
// calls with the params they pass. Enough for checks that catch a renamed param or a missing module file.

export interface ParamDecl {
  name: string;
  hasDefault: boolean;
}
export interface ModuleCall {
  symbol: string;
  path: string;
  params: string[];
}

/** Strips // comments (outside strings) so that commented-out code is not read as code. */
export function stripComments(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      let inString = false;
      for (let i = 0; i < line.length; i++) {
        if (line[i] === "'" && line[i - 1] !== '\\') inString = !inString;
        if (!inString && line.startsWith('//', i)) return line.slice(0, i);
      }
      return line;
    })
    .join('\n');
}

export function params(text: string): ParamDecl[] {
  return [...stripComments(text).matchAll(/^param\s+(\w+)\s+\w+(\s*=)?/gm)].map((m) => ({
    name: m[1],
    hasDefault: m[2] !== undefined,
  }));
}

export function outputs(text: string): string[] {
  return [...stripComments(text).matchAll(/^output\s+(\w+)\s/gm)].map((m) => m[1]);
}

/** The `{ ... }` block starting at `open` (an index of '{'), braces inside strings ignored. */
function block(text: string, open: number): string {
  let depth = 0;
  let inString = false;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === "'" && text[i - 1] !== '\\') inString = !inString;
    if (inString) continue;
    if (c === '{') depth++;
    if (c === '}' && --depth === 0) return text.slice(open, i + 1);
  }
  throw new Error(`unbalanced braces from index ${open}`);
}

/** The top-level keys of the `params: { ... }` object inside a module body. */
function paramKeys(body: string): string[] {
  const at = body.search(/\bparams:\s*\{/);
  if (at < 0) return [];
  const inner = block(body, body.indexOf('{', at)).slice(1, -1);
  const keys: string[] = [];
  let depth = 0;
  for (const line of inner.split('\n')) {
    const m = /^\s*(\w+):/.exec(line);
    if (depth === 0 && m) keys.push(m[1]);
    for (const c of line.replace(/'[^']*'/g, '')) depth += c === '{' || c === '[' ? 1 : c === '}' || c === ']' ? -1 : 0;
  }
  return keys;
}

export function moduleCalls(text: string): ModuleCall[] {
  const code = stripComments(text);
  return [...code.matchAll(/^module\s+(\w+)\s+'([^']+)'\s*=/gm)].map((m) => {
    const body = block(code, code.indexOf('{', m.index! + m[0].length));
    return { symbol: m[1], path: m[2], params: paramKeys(body) };
  });
}
