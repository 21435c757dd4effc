// A lexer for the shell text of a template's command line, precise enough to say, for each placeholder, which
// quotes it sits in and which word of which simple command holds it; shell-places.ts decides from that where a
// placeholder may go. It knows what bash knows about the text around a value: comments, line continuations,
// '…', "…", $'…', $"…", backslashes, $( ), ( ), `…`, ${…}, $(( )), (( )), $[ ], <( ), here-documents and
// here-strings, pipelines and `[[ … ]]`. A placeholder is one character (MARK) of the text it scans.
import { PLACEHOLDER } from './template-types';

export type Quote = 'bare' | 'double' | 'single' | 'ansi';

export interface Site {
  /** The parameter, or for a variable site the variable's name. */
  name: string;
  /** A reference to a variable whose value holds a placeholder's (`$GREETING` where GREETING = {{greeting}}). */
  variable?: true;
  quote: Quote;
  /** Why no placeholder may go here (bash reads the text again): the first enclosing reason. */
  refuse?: string;
  /** Why only a number, bool or choice may go here (another program reads the text as its code). */
  program?: string;
  /** In the target of a redirection (`> out/{{name}}`) or after a `/` of a word: the value continues a path. */
  path?: 'start' | 'inside';
}

/** A word as bash sees it after quote removal; a placeholder is MARK, `at` is where in `text` it landed. */
export interface Word {
  text: string;
  sites: Array<{ site: Site; at: number }>;
  /** Holds an expansion ($x, ${…}, $( ), `…`, $(( ))): what bash runs or passes is known only at run time. */
  expanded?: true;
  /** The commands its substitutions run ($( ), `…`, <( )): what they read becomes part of the word. */
  runs?: Command[];
  /** The commands of a subshell `( … )` that stands in a pipeline as this word (`(`). */
  subshell?: Command[];
  /** A here-string (`<<< text`) or a `<( … )` (a file to read): the command reads what the word holds. */
  input?: true;
}

export interface Command {
  words: Word[];
  /** Here-strings and the targets of redirections: data, not arguments. */
  redirects: Word[];
  /** The targets of its output redirections (`> f`, `>> f`, `&> f`): files it writes. */
  writes: Word[];
}

export const MARK = '\uE000';

/** The sites of `text` in order, and its pipelines (outer and nested alike) with their commands. */
export interface Scan {
  sites: Site[];
  pipelines: Command[][];
  /** The names of the functions the text defines (`f() …`, `function f …`). */
  functions: Set<string>;
  /** The pipelines of output process substitutions (`>( … )`): they read what the command around them writes. */
  feeds: Set<Command[]>;
  /** Variables `${name:=word}` assigns from a word holding a value. */
  defaulted: Set<string>;
}

const PROMPT = 'in ${…@P}, which expands the value as a prompt string (that runs commands in it)';
/** Words that may stand before a function definition in the same command (`then f() { … }`). */
const leadingKeywords = (words: Word[]): boolean =>
  words.every((w) => /^(if|then|else|elif|do|while|until|!|\{|time)$/.test(w.text) && w.sites.length === 0);
const BLANK = new Set([' ', '\t']);
const ENDS_WORD = new Set([' ', '\t', '\n', ';', '&', '|', '<', '>', '(', ')']);

class Lexer {
  pos = 0;
  readonly sites: Site[] = [];
  readonly pipelines: Command[][] = [];
  readonly functions = new Set<string>();
  readonly feeds = new Set<Command[]>();
  readonly defaulted = new Set<string>();
  /**
   * The constructs around the position that make bash read their text again, and whether a variable's value
   * is read again there too (arithmetic, here-documents) or only the template's own text (backticks, ${…}).
   */
  private readonly frames: Array<{ why: string; values: boolean }> = [];
  private placeholders = 0;
  /** Every word being built around the position: a placeholder belongs to each (a $( ) is part of its word). */
  private readonly open: Word[] = [];
  private heredocs: Array<{ delimiter: string; tabs: boolean }> = [];

  constructor(
    private readonly s: string,
    private readonly names: string[],
    private readonly tainted: ReadonlySet<string>,
  ) {}

  private site(quote: Quote, refuse?: string, variable?: string): void {
    const site: Site = variable
      ? { name: variable, quote, variable: true }
      : { name: this.names[this.placeholders++] ?? '', quote };
    const frame = variable ? this.frames.findLast((f) => f.values) : this.frames[this.frames.length - 1];
    const why = refuse ?? frame?.why;
    if (why) site.refuse = why;
    this.sites.push(site);
    for (const w of this.open) w.sites.push({ site, at: w.text.length });
  }

  private inFrame<T>(why: string, values: boolean, f: () => T): T {
    this.frames.push({ why, values });
    try {
      return f();
    } finally {
      this.frames.pop();
    }
  }

  private append(text: string): void {
    const w = this.open[this.open.length - 1];
    if (w) w.text += text;
  }

  /** A list of pipelines until `close` (or the end): the top level, $( ), ( ), <( ) and `…`. */
  list(close?: ')' | '`'): void {
    const depth = this.open.length;
    let pipeline: Command[] = [];
    let cmd: Command = { words: [], redirects: [], writes: [] };
    let word: Word | undefined;
    let redirect: false | 'file' | 'write' | 'string' = false;
    let cond = false;
    // Open `case … in`s of this list, and whether the position is in a case pattern (`a|b)`, `(a)`): a pattern
    // is no command, and what follows its `)` is in command position.
    let cases = 0;
    let pattern = false;
    const endWord = (): void => {
      if (!word) return;
      if (word.text === 'esac' && cases > 0 && cmd.words.length === 0 && word.sites.length === 0) {
        cases--;
        pattern = false;
      }
      // A bare name is a reference where bash evaluates words as arithmetic or names ([[ N -gt 0 ]], let N).
      if (this.tainted.has(word.text)) this.site('bare', undefined, word.text);
      this.subscripts(word.text);
      this.open.splice(this.open.indexOf(word), 1);
      for (const { site, at } of word.sites)
        if (redirect === 'file' || redirect === 'write') site.path ??= at === 0 ? 'start' : 'inside';
        else if (word.text[at - 1] === '/') site.path ??= 'inside';
      if (redirect === 'write') cmd.writes.push(word);
      if (redirect === 'string') word.input = true;
      if (redirect) cmd.redirects.push(word);
      else {
        if (cmd.words.length === 0 && word.text === '[[') cond = true;
        if (cond && word.text === ']]') cond = false;
        cmd.words.push(word);
      }
      redirect = false;
      word = undefined;
      const k = cmd.words.length;
      const opensCase = k >= 3 && cmd.words[k - 3]!.text === 'case' && leadingKeywords(cmd.words.slice(0, k - 3));
      if (opensCase && cmd.words[k - 1]!.text === 'in' && !pattern) {
        cases++;
        pattern = true;
        endPipeline();
        return;
      }
      // `function f`: the name is defined, and what follows is the body, a command of its own.
      const n = cmd.words.length;
      if (n >= 2 && cmd.words[n - 2]!.text === 'function' && leadingKeywords(cmd.words.slice(0, n - 2))) {
        this.functions.add(cmd.words[n - 1]!.text);
        endPipeline();
      }
    };
    const startWord = (): Word => {
      if (!word) {
        word = { text: '', sites: [] };
        this.open.push(word);
      }
      return word;
    };
    const endCommand = (): void => {
      endWord();
      if (cmd.words.length || cmd.redirects.length) pipeline.push(cmd);
      cmd = { words: [], redirects: [], writes: [] };
      cond = false;
    };
    const endPipeline = (): void => {
      endCommand();
      if (pipeline.length) this.pipelines.push(pipeline);
      pipeline = [];
    };
    const s = this.s;
    while (this.pos < s.length) {
      const c = s[this.pos]!;
      const next = s[this.pos + 1];
      if (pattern && c === ')') {
        // The end of a case pattern: its words were globs, and the arm's commands follow.
        endWord();
        pipeline = [];
        cmd = { words: [], redirects: [], writes: [] };
        pattern = false;
        this.pos++;
        continue;
      }
      if (pattern && c === '(' && !word && cmd.words.length === 0 && pipeline.length === 0) {
        this.pos++;
        continue;
      }
      if (c === close) {
        this.pos++;
        break;
      }
      // Inside [[ … ]], && || ( ) < > are the condition's own words; right after its `]]` (`]];`) they are not.
      if (cond && ENDS_WORD.has(c) && !BLANK.has(c) && c !== '\n' && word?.text !== ']]') {
        endWord();
        startWord().text = c;
        this.pos++;
        endWord();
      } else if (c === '\\' && next === '\n') this.pos += 2;
      else if (c === '\\') {
        startWord();
        if (next === MARK) this.site('bare', 'right after a backslash');
        this.append(next ?? '');
        this.pos += 2;
      } else if (BLANK.has(c)) {
        endWord();
        this.pos++;
      } else if (c === '\n') {
        endPipeline();
        this.pos++;
        this.hereBodies();
      } else if (c === '#' && !word) this.comment();
      else if (c === ';' && cases > 0 && (next === ';' || next === '&')) {
        // `;;`, `;&`, `;;&`: the arm ends and the next pattern (or esac) follows.
        endPipeline();
        this.pos += s.startsWith(';;&', this.pos) ? 3 : 2;
        pattern = true;
      } else if (c === ';' || (c === '&' && next !== '>')) {
        endPipeline();
        this.pos += next === c ? 2 : 1;
      } else if (c === '|' && next === '|') {
        endPipeline();
        this.pos += 2;
      } else if (c === '|') {
        endCommand();
        this.pos += next === '&' ? 2 : 1;
      } else if ((c === '<' || c === '>') && next === '(') {
        const w = startWord();
        if (c === '<') w.input = true;
        this.pos += 2;
        const start = this.pipelines.length;
        this.substitution(')');
        if (c === '>') for (const p of this.pipelines.slice(start)) this.feeds.add(p);
      } else if (c === '<' || c === '>' || c === '&') {
        // A file descriptor number glued to the operator is part of the redirection, not a word.
        if (word && /^\d+$/.test(word.text) && word.sites.length === 0) {
          this.open.splice(this.open.indexOf(word), 1);
          word = undefined;
        }
        endWord();
        redirect = 'file';
        if (s.startsWith('<<<', this.pos)) {
          this.pos += 3;
          redirect = 'string';
        } else if (s.startsWith('<<', this.pos)) {
          this.pos += 2;
          this.hereDocument();
          redirect = false;
        } else {
          const op = /^[<>&]+[&|-]?/.exec(s.slice(this.pos, this.pos + 4))![0];
          if (op.includes('>')) redirect = 'write';
          this.pos += op.length;
        }
      } else if (c === '(' && next === '(' && !word) {
        this.pos += 2;
        this.arithmetic('))');
      } else if (c === '(') {
        // An array assignment's ( … ) lists values, which stay part of its word (`a=({{v}})` taints a); a
        // subshell's lists commands.
        const values = word?.text.endsWith('=');
        if (!values) endWord();
        // `f()` or `f ()`: the name is the command's last word so far, after keywords only.
        const n = cmd.words.length;
        const defines =
          !values && n > 0 && leadingKeywords(cmd.words.slice(0, n - 1)) && /^[ \t]*\)/.test(s.slice(this.pos + 1));
        if (defines) this.functions.add(cmd.words[n - 1]!.text);
        this.pos++;
        const start = this.pipelines.length;
        if (values) this.values();
        else this.list(')');
        // A subshell stands in its pipeline as the word `(` running its commands (`echo … | (bash)`).
        if (!values && !defines) cmd.words.push({ text: '(', sites: [], subshell: this.pipelines.slice(start).flat() });
        // `f()`: what follows is the function's body, a command of its own.
        if (defines) endPipeline();
      } else if (c === ')') {
        // A case pattern's ) where no ( was opened.
        endWord();
        this.pos++;
      } else {
        startWord();
        this.wordPart('bare');
      }
    }
    endPipeline();
    this.open.length = depth;
  }

  /** The commands of a substitution, up to `close`: each word around it runs them. */
  private substitution(close: ')' | '`'): void {
    const start = this.pipelines.length;
    const around = [...this.open];
    this.list(close);
    const run = this.pipelines.slice(start).flat();
    for (const w of around) (w.runs ??= []).push(...run);
  }

  /** The values of `name=( … )`: words, none of them a command. */
  private values(): void {
    const start = this.pipelines.length;
    this.list(')');
    for (const p of this.pipelines.slice(start)) for (const c of p) c.words.unshift({ text: 'true', sites: [] });
  }

  private comment(): void {
    while (this.pos < this.s.length && this.s[this.pos] !== '\n') {
      if (this.s[this.pos] === MARK) this.site('bare', undefined);
      this.pos++;
    }
  }

  private hereDocument(): void {
    const tabs = this.s[this.pos] === '-';
    if (tabs) this.pos++;
    while (BLANK.has(this.s[this.pos] ?? '')) this.pos++;
    let delimiter = '';
    while (this.pos < this.s.length && !ENDS_WORD.has(this.s[this.pos]!)) {
      const c = this.s[this.pos]!;
      if (c === MARK) this.site('bare', 'in a here-document delimiter');
      if (c !== '"' && c !== "'" && c !== '\\') delimiter += c;
      this.pos++;
    }
    this.heredocs.push({ delimiter, tabs });
  }

  /** The bodies of the here-documents opened on the line that just ended. */
  private hereBodies(): void {
    const pending = this.heredocs;
    this.heredocs = [];
    for (const h of pending) {
      while (this.pos < this.s.length) {
        const end = this.s.indexOf('\n', this.pos);
        const line = this.s.slice(this.pos, end < 0 ? this.s.length : end);
        this.pos = end < 0 ? this.s.length : end + 1;
        if ((h.tabs ? line.replace(/^\t+/, '') : line) === h.delimiter) break;
        const why = 'in a here-document, whose text bash expands again';
        for (const c of line) if (c === MARK) this.site('bare', why);
        for (const m of line.matchAll(/\$\{?([A-Za-z_]\w*)/g))
          if (this.tainted.has(m[1]!)) this.site('bare', why, m[1]);
      }
    }
  }

  /** One piece of a word in `quote` context, advancing past it. */
  private wordPart(quote: 'bare' | 'double'): void {
    const c = this.s[this.pos]!;
    if (c === "'" && quote === 'bare') {
      this.pos++;
      this.until("'", 'single', false);
    } else if (c === '"' && quote === 'bare') {
      this.pos++;
      this.double();
    } else if (c === '$') this.dollar(quote);
    else if (c === '`') {
      this.pos++;
      for (const w of this.open) w.expanded = true;
      this.inFrame('inside backticks, whose text bash parses again (use $( ) instead)', false, () =>
        this.substitution('`'),
      );
    } else if (c === MARK) {
      this.site(quote);
      this.append(MARK);
      this.pos++;
    } else {
      this.append(c);
      this.pos++;
    }
  }

  /** Quoted text up to `end`: '…' (no escapes) or $'…' (backslash escapes). */
  private until(end: string, quote: Quote, escapes: boolean): void {
    while (this.pos < this.s.length && this.s[this.pos] !== end) {
      const c = this.s[this.pos]!;
      if (escapes && c === '\\') {
        if (this.s[this.pos + 1] === MARK) this.site(quote, 'right after a backslash');
        // $'ev\x61l': what the escape stands for is not kept, so the word is as unknown as an expansion.
        for (const w of this.open) w.expanded = true;
        this.pos += 2;
        continue;
      }
      if (c === MARK) this.site(quote);
      this.append(c);
      this.pos++;
    }
    this.pos++;
  }

  private double(): void {
    while (this.pos < this.s.length && this.s[this.pos] !== '"') {
      const c = this.s[this.pos]!;
      if (c === '\\') {
        const next = this.s[this.pos + 1];
        if (next === MARK) this.site('double', 'right after a backslash');
        if (next !== '\n') this.append(next !== undefined && '$`"\\'.includes(next) ? next : `\\${next ?? ''}`);
        this.pos += 2;
      } else this.wordPart('double');
    }
    this.pos++;
  }

  private dollar(quote: 'bare' | 'double'): void {
    const next = this.s[this.pos + 1];
    if (next !== "'" && next !== '"') for (const w of this.open) w.expanded = true;
    if (next === "'" && quote === 'bare') {
      this.pos += 2;
      this.until("'", 'ansi', true);
    } else if (next === '"' && quote === 'bare') {
      this.pos += 2;
      this.double();
    } else if (next === '(' && this.s[this.pos + 2] === '(') {
      this.pos += 3;
      this.arithmetic('))');
    } else if (next === '(') {
      this.pos += 2;
      this.substitution(')');
    } else if (next === '[') {
      this.pos += 2;
      this.arithmetic(']');
    } else if (next === '{') {
      this.pos += 2;
      this.parameter(quote);
    } else {
      this.append('$');
      this.pos++;
      this.variable(quote);
    }
  }

  /**
   * A variable's name at the position: a site when its value holds a placeholder's. The positional parameters
   * ($1, ${10}, $@, $*) count as the one name `@`: a placeholder handed to a function or `set --` taints them all.
   */
  private variable(quote: Quote, refuse?: string, braced = false): string | undefined {
    const name = (braced ? /^([A-Za-z_]\w*|\d+|[@*])/ : /^([A-Za-z_]\w*|\d|[@*])/).exec(
      this.s.slice(this.pos, this.pos + 256),
    )?.[0];
    if (!name) return undefined;
    const key = /^[A-Za-z_]/.test(name) ? name : '@';
    if (this.tainted.has(key)) this.site(quote, refuse, key);
    return name;
  }

  /** Bare names inside a word's `[…]` (`a[i]=1`, `unset a[i]`, `[[ -v a[i] ]]`): bash evaluates subscripts. */
  private subscripts(text: string): void {
    const why = 'in an array subscript, which bash evaluates as arithmetic (a value there can run commands)';
    for (const m of text.matchAll(/^[A-Za-z_]\w*\[([^\]]*)\]/g))
      for (const n of m[1]!.matchAll(/(?<![\w$])[A-Za-z_]\w*/g))
        if (this.tainted.has(n[0])) this.site('bare', why, n[0]);
  }

  private arithmetic(close: '))' | ']' | '}'): void {
    this.inFrame('in arithmetic, which bash evaluates (a value there can run commands)', true, () => {
      let depth = 0;
      while (this.pos < this.s.length) {
        const c = this.s[this.pos]!;
        if (depth === 0 && this.s.startsWith(close, this.pos)) {
          this.pos += close.length;
          return;
        }
        if (c === '(') depth++;
        if (c === ')') depth--;
        // Arithmetic reads a bare name as a variable, and evaluates its value in turn.
        if (/[A-Za-z_]/.test(c) && !/[\w$]/.test(this.s[this.pos - 1] ?? '')) this.variable('bare');
        this.wordPart('bare');
      }
    });
  }

  private parameter(quote: 'bare' | 'double'): void {
    this.inFrame('inside ${…}, whose words bash expands again', false, () => {
      const s = this.s;
      const indirect = s[this.pos] === '!' && s[this.pos + 1] !== '}';
      if (indirect || (s[this.pos] === '#' && /[\w@*]/.test(s[this.pos + 1] ?? ''))) this.pos++;
      const how = indirect ? 'in ${!…}, whose value names a variable (bash evaluates subscripts in names)' : undefined;
      const at = this.sites.length;
      // ${!#}: the last positional parameter's value.
      if (indirect && s[this.pos] === '#' && this.tainted.has('@')) this.site(quote, undefined, '@');
      const name = this.variable(quote, how, true);
      this.pos += name?.length ?? 0;
      // ${x@P} expands the value as a prompt string, which runs $( ) in it.
      if (s.startsWith('@P', this.pos)) for (const x of this.sites.slice(at)) x.refuse ??= PROMPT;
      if (s[this.pos] === '[') {
        this.pos++;
        this.arithmetic(']');
      }
      // An offset and a length (${s:i:j}) are arithmetic; ${s:-…}, ${s:=…}, ${s:?…} and ${s:+…} are words.
      if (s[this.pos] === ':' && !/[-=?+]/.test(s[this.pos + 1] ?? '')) {
        this.pos++;
        this.arithmetic('}');
        return;
      }
      // ${y:=word} and ${y=word} assign the word to y.
      const assigns = /^:?=/.test(s.slice(this.pos, this.pos + 2)) ? this.sites.length : -1;
      while (this.pos < this.s.length && this.s[this.pos] !== '}') {
        if (this.s[this.pos] === '\\') {
          if (this.s[this.pos + 1] === MARK) this.site(quote, 'right after a backslash');
          this.pos += 2;
        } else this.wordPart(quote);
      }
      if (name && assigns >= 0 && this.sites.length > assigns) this.defaulted.add(name);
      this.pos++;
    });
  }
}

/** Scans shell text with `{{placeholders}}` in it; `tainted`: variables whose values hold a placeholder's. */
export function scanShell(text: string, tainted: ReadonlySet<string> = new Set()): Scan {
  const names = [...text.matchAll(PLACEHOLDER)].map((m) => m[1]!);
  const lexer = new Lexer(text.replaceAll(MARK, '\uFFFD').replace(PLACEHOLDER, MARK), names, tainted);
  lexer.list();
  // Also any name that looks defined anywhere, quoted or not: a function missed would leave its $1 untainted.
  for (const m of text.matchAll(/(?:^|[\s;&|(){}])(?:function\s+([^\s(){};&|]+)|([^\s(){};&|=]+)\s*\(\s*\))/g))
    lexer.functions.add(m[1] ?? m[2]!);
  const { sites, pipelines, functions, feeds, defaulted } = lexer;
  return { sites, pipelines, functions, feeds, defaulted };
}
