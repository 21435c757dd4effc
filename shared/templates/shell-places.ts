// Where a placeholder may go in a command line, and what it becomes there. A value never becomes shell text:
// the placeholder becomes a reference to an environment variable of the job that holds the value
// (template-render.ts sets it), written so that bash expands it once and never parses the result. Places
// where bash or another program would read the expanded text as code are marked, from the simple commands
// shell-scan.ts found: bash code (eval, bash -c, trap, arithmetic, variable names) takes no placeholder at
// all; another language's program text (python -c, awk, sed, perl -e, printf's format) takes only values
// that cannot be code: numbers, bools and the template's own choices.
import { type Command, type Quote, type Scan, type Site, scanShell, type Word } from './shell-scan';

export type { Site } from './shell-scan';

/** The environment variable that holds a parameter's value. */
export function valueVariable(name: string): string {
  return `P_${name}`;
}

/** The text that stands for the value at `quote`: expanded once, as one word, never parsed again. */
export function valueReference(name: string, quote: Quote): string {
  const v = `\${${valueVariable(name)}}`;
  if (quote === 'double') return v;
  if (quote === 'single') return `'"${v}"'`;
  if (quote === 'ansi') return `'"${v}"$'`;
  return `"${v}"`;
}

const WRAPPERS = new Set(['command', 'builtin', 'exec', 'nohup', 'env', 'sudo', 'nice', 'setsid', 'stdbuf', 'time']);
const KEYWORDS = new Set(['!', '{', '}', 'if', 'then', 'else', 'elif', 'do', 'while', 'until', 'coproc']);
// With the shells, the commands that hand an argument to a shell (`flock -c`, `su -c`, `script -c`, `runuser -c`,
// `watch`) or evaluate it (`compgen -W`): their code is whatever follows `-c`, or their first other argument.
const SHELLS = new Set([
  'bash',
  'sh',
  'dash',
  'zsh',
  'ksh',
  'mksh',
  'ash',
  'flock',
  'su',
  'script',
  'runuser',
  'watch',
  'compgen',
]);

/**
 * Variables that the shell, the dynamic loader or an interpreter read as code, or as where to find code: no value
 * of a placeholder goes into one, whether the job's environment or the command line sets it.
 */
const SHELL_CODE_VARIABLES =
  'BASH_ENV|ENV|PATH|IFS|PS[0-4]|PROMPT_COMMAND|SHELLOPTS|BASHOPTS|GLOBIGNORE|CDPATH|BASH_FUNC_.*';
const LOADER_CODE_VARIABLES = 'LD_.*|DYLD_.*|PYTHONPATH|PYTHONSTARTUP|PYTHONHOME|PERL5LIB|PERL5OPT|RUBYOPT|RUBYLIB';
export const CODE_VARIABLES = new RegExp(
  `^(${SHELL_CODE_VARIABLES}|${LOADER_CODE_VARIABLES}|NODE_OPTIONS|NODE_PATH|JAVA_TOOL_OPTIONS)$`,
);
const PROGRAM_FLAG: Record<string, RegExp> = {
  python: /^-[A-Za-z]*[cm]$/,
  perl: /^-[A-Za-z]*[eE]$/,
  ruby: /^-[A-Za-z]*e$/,
  node: /^(-[ep]|--eval|--print)$/,
};
const AWKS = new Set(['awk', 'gawk', 'mawk', 'nawk', 'busybox-awk']);
const ARITHMETIC_TESTS = new Set(['-eq', '-ne', '-lt', '-le', '-gt', '-ge', '-v', '-R']);
const ASSIGNMENT = /^[A-Za-z_]\w*(\[[^=]*\])?\+?=/;

const CODE = 'which bash runs as code';
const NAME = 'where a value would name a variable (bash evaluates subscripts in names)';

function refuse(w: Word | undefined, why: string, before = Infinity): void {
  for (const { site, at } of w?.sites ?? []) if (at < before) site.refuse ??= why;
}

function program(w: Word | undefined, why: string): void {
  for (const { site } of w?.sites ?? []) site.program ??= why;
}

/** The command's name as bash would look it up (no placeholder in it), without its directory. */
function nameOf(w: Word | undefined): string {
  if (!w || w.sites.length > 0) return '';
  const base = w.text.slice(w.text.lastIndexOf('/') + 1);
  if (/^python[\d.]*$/.test(base) || base === 'pypy3') return 'python';
  if (base === 'nodejs') return 'node';
  return base;
}

const isOption = (w: Word): boolean => w.text.startsWith('-') && w.text !== '-' && w.sites.length === 0;

/** The word an interpreter reads as its program, or 'stdin' when it reads its program from its input. */
function programWord(name: string, args: Word[]): Word | 'stdin' | undefined {
  let k = 0;
  const flag = PROGRAM_FLAG[name];
  if (SHELLS.has(name) || flag) {
    // The code flag anywhere among the arguments, not only in the leading options: an option that takes a value
    // (`bash -o errexit -c`, `python3 -W ignore -c`) would otherwise end the scan before it.
    const codeFlag = (w: Word) => (SHELLS.has(name) ? /^-[A-Za-z]*c[A-Za-z]*$/.test(w.text) : flag!.test(w.text));
    const at = args.findIndex(codeFlag);
    if (at >= 0) return args[at + 1];
    for (; k < args.length && (isOption(args[k]!) || args[k]!.text.startsWith('+')); k++);
    // No code given: a script file (chosen by whoever names it) or the program text on standard input.
    return args[k] ?? 'stdin';
  }
  if (AWKS.has(name) || name === 'sed') {
    const takesArg = AWKS.has(name)
      ? /^-[vFfe]$|^--(file|source|assign|field-separator)$/
      : /^-[efl]$|^--(file|expression)$/;
    const given = AWKS.has(name) ? /^(-[fe]|--file|--source)$/ : /^(-[ef]|--file|--expression)$/;
    for (; k < args.length && isOption(args[k]!); k++) {
      if (given.test(args[k]!.text)) return args[k + 1];
      if (takesArg.test(args[k]!.text)) k++;
    }
    return args[k];
  }
  if (name === 'printf') {
    if (args[0]?.text === '-v') refuse(args[1], `in printf -v's variable name, ${NAME}`);
    return args[args[0]?.text === '-v' ? 2 : 0];
  }
  return name === 'xargs' ? 'stdin' : undefined;
}

/** Marks the sites of one simple command; true when it reads program text from its input. */
function classify(c: Command): boolean {
  const words = c.words;
  let i = 0;
  while (i < words.length) {
    const w = words[i]!;
    if (ASSIGNMENT.test(w.text)) refuse(w, `in an array subscript, ${CODE} (arithmetic)`, w.text.indexOf('='));
    else if (!KEYWORDS.has(w.text) && !WRAPPERS.has(nameOf(w))) break;
    const env = w.text === 'env';
    for (
      i++;
      WRAPPERS.has(nameOf(w)) && i < words.length && (isOption(words[i]!) || (env && ASSIGNMENT.test(words[i]!.text)));
      i++
    );
  }
  const head = words[i];
  if (!head) return false;
  const name = nameOf(head);
  if (['for', 'select', 'case', 'function'].includes(name)) return false;
  program(head, 'as the command name (a value would choose the program that runs)');
  const args = words.slice(i + 1);
  const all = (f: (w: Word) => void) => {
    for (const w of args) f(w);
  };
  if (['eval', 'trap', 'source', '.'].includes(name)) all((w) => refuse(w, `in the arguments of ${name}, ${CODE}`));
  if (name === 'let') all((w) => refuse(w, `in let, ${CODE} (arithmetic)`));
  if (['unset', 'read', 'mapfile', 'readarray', 'getopts', 'declare', 'typeset', 'local'].includes(name))
    all((w) => refuse(w, `in the arguments of ${name}, ${NAME}`));
  if (name === 'export' || name === 'readonly') {
    const options = args.some(isOption);
    all((w) => refuse(w, `in ${name}, ${NAME}`, options ? Infinity : w.text.indexOf('=') + 1 || Infinity));
  }
  if (['[[', '[', 'test'].includes(name) && args.some((w) => ARITHMETIC_TESTS.has(w.text)))
    all((w) => refuse(w, `in a test with ${args.find((a) => ARITHMETIC_TESTS.has(a.text))!.text}, ${CODE}`));
  // The first interpreter named, also behind a launcher (mpirun -np 2 python -c …, timeout 5 sh -c …).
  for (let j = i; j < words.length; j++) {
    const tool = nameOf(words[j]);
    const code = programWord(tool, words.slice(j + 1));
    if (code === undefined) continue;
    if (code === 'stdin') return true;
    if (SHELLS.has(tool)) refuse(code, `in the code of ${tool} -c, ${CODE}`);
    else program(code, `in the program text ${tool} runs`);
    return false;
  }
  return false;
}

/** Names assigned (`X=…`, also as `export`/`local`/`declare` arguments) a value holding a placeholder's. */
function assignedFrom(scan: Scan): string[] {
  const names: string[] = [];
  for (const pipeline of scan.pipelines)
    for (const c of pipeline)
      for (const w of c.words) {
        const m = ASSIGNMENT.exec(w.text);
        if (!m || !w.sites.some((x) => x.at >= m[0].length)) continue;
        const name = /^[A-Za-z_]\w*/.exec(w.text)![0];
        if (CODE_VARIABLES.test(name)) refuse(w, `in ${name}, which the shell or an interpreter reads as code`);
        names.push(name);
      }
  return names;
}

/**
 * The placeholders of a command line, each with its quotes and, where it may not go, why. `args`: the text is
 * the arguments of a command the service puts in front (a script path, `commandLineArgs`). References to the
 * `tainted` variables (whose values hold a placeholder's) are sites too, held to a string placeholder's rules.
 */
export function shellSites(text: string, args = false, tainted: ReadonlySet<string> = new Set()): Site[] {
  const source = args ? `: ${text}` : text;
  // A variable the command line itself sets from a placeholder (`X="{{msg}}"; eval "$X"`) holds its value too:
  // scan again with it tainted, until no assignment adds a name.
  let known = new Set(tainted);
  let scan = scanShell(source, known);
  for (;;) {
    const more = assignedFrom(scan).filter((n) => !known.has(n));
    if (more.length === 0) break;
    known = new Set([...known, ...more]);
    scan = scanShell(source, known);
  }
  for (const pipeline of scan.pipelines) {
    const fed = pipeline.map(classify).some(Boolean);
    if (!fed) continue;
    // An interpreter reading its input as code: whatever the pipeline or a here-string says is program text.
    for (const c of pipeline)
      for (const w of [...c.words, ...c.redirects]) program(w, 'in text piped into a program that runs it');
  }
  return scan.sites;
}
