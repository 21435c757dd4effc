// Where a placeholder may go in a command line, and what it becomes there. A value never becomes shell text:
// the placeholder becomes a reference to an environment variable of the job that holds the value
// (template-render.ts sets it), written so that bash expands it once and never parses the result. Places
// where bash or another program would read the expanded text as code are marked, from the simple commands
// shell-scan.ts found: bash code (eval, bash -c, trap, arithmetic, variable names) takes no placeholder at
// all; another language's program text (python -c, awk, sed, perl -e, printf's format) takes only values
// that cannot be code: numbers, bools and the template's own choices.
import { headAt, isOption, nameOf, taintedBy } from './shell-flow';
import { commandOptionWords, runsCommandOptions } from './shell-run-options';
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
/** Programs whose fixed program text may still run what they read (`awk '{system($0)}'`, `sed e`, `xargs`). */
const RUN_INPUT = new Set([
  ...AWKS,
  ...SHELLS,
  ...['sed', 'perl', 'python', 'ruby', 'node', 'php', 'xargs', 'parallel', 'tclsh', 'lua', 'dc', 'm4', 'ed', 'ex'],
  ...['vim', 'gdb', 'expect', 'R', 'Rscript', 'julia', 'make', 'busybox'],
]);
/** A command word bash may expand into another command's name: brace expansion or a glob (`{eval,}`, `ev?l`). */
const EXPANDS_TO_NAME = /\{[^}]*(,|\.\.)[^}]*\}|[*?]|\[.*\]/;
const ARITHMETIC_TESTS = new Set(['-eq', '-ne', '-lt', '-le', '-gt', '-ge', '-v', '-R']);
const STDIN = new Set(['-', '/dev/stdin', '/dev/fd/0', '/proc/self/fd/0']);
/** How deep code handed to code (`eval "bash -c '…'"`) is read before the template is refused as too nested. */
const MAX_NESTING = 6;

const CODE = 'which bash runs as code';
const NAME = 'where a value would name a variable (bash evaluates subscripts in names)';

function refuse(w: Word | undefined, why: string, before = Infinity): void {
  for (const { site, at } of w?.sites ?? []) if (at < before) site.refuse ??= why;
}

function program(w: Word | undefined, why: string): void {
  for (const { site } of w?.sites ?? []) site.program ??= why;
}

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
    // watch's interval is a number, not its command.
    const valued = (w: Word) => name === 'watch' && /^(-n|--interval)$/.test(w.text);
    for (; k < args.length && (isOption(args[k]!) || args[k]!.text.startsWith('+')); k++) if (valued(args[k]!)) k++;
    // No code given: a script file (chosen by whoever names it) or the program text on standard input.
    return args[k] && !STDIN.has(args[k]!.text) ? args[k] : 'stdin';
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

/** What classifying a command needs beyond the command: the text's taint, aliases, and where to add sites. */
interface Context {
  tainted: ReadonlySet<string>;
  aliases: ReadonlySet<string>;
  /** Whether the text holds a value at all (a placeholder or a reference to a tainted variable). */
  holds: boolean;
  depth: number;
  /** The names (without directories) of the files the text writes, when the job holds values at all. */
  written: ReadonlySet<string>;
  /** Sites found beyond the scan's own: names in arithmetic words, references in code that code runs. */
  extra: Site[];
  /** Set when fixed program text of an interpreter runs commands: why every value of the text is held to it. */
  runsCommands?: string;
}

const refused = (ctx: Context, name: string, why: string): void => {
  ctx.extra.push({ name, variable: true, quote: 'bare', refuse: why });
};

/** Bare names of tainted variables in a word bash evaluates as arithmetic (`let "y=i+1"`, `[[ i -gt 0 ]]`). */
function arithmeticNames(ctx: Context, w: Word, why: string): void {
  for (const m of w.text.matchAll(/(?<![\w$])[A-Za-z_]\w*/g)) if (ctx.tainted.has(m[0])) refused(ctx, m[0], why);
}

/**
 * Code that a command hands to bash (eval's words, bash -c's code, trap's action, an alias's value), read as a
 * command line of its own: a tainted reference where that code evaluates it is refused here. `positional`: the
 * code runs with values as its $1… (`bash -c '…' _ "{{v}}"`).
 */
function nested(ctx: Context, text: string, where: string, positional = false): void {
  if (ctx.depth >= MAX_NESTING) {
    refused(ctx, '', `${where}, nested more than ${MAX_NESTING} deep (too deep to check)`);
    return;
  }
  const tainted = positional ? new Set([...ctx.tainted, '@']) : ctx.tainted;
  for (const site of analyse(text, tainted, ctx.depth + 1, ctx.written)) {
    if (site.refuse) refused(ctx, site.name, `${where}: ${site.refuse}`);
    else if (site.program) ctx.extra.push({ name: site.name, variable: true, quote: 'bare', program: site.program });
  }
}

const baseName = (w: Word): string => w.text.slice(w.text.lastIndexOf('/') + 1);

/** The files tee writes. */
function teeFiles(c: Command): Word[] {
  const i = headAt(c);
  return nameOf(c.words[i]) === 'tee' ? c.words.slice(i + 1).filter((w) => !isOption(w)) : [];
}

/**
 * The files a text writes: its output redirections and tee's files (not /dev/…). Matched by name without the
 * directory, so `> out/f.sh` and `./f.sh` are the same file (sound rather than clever: an unrelated file of the
 * same name is refused too).
 */
function writtenFiles(pipelines: Command[][], around: ReadonlySet<string>): Set<string> {
  const out = new Set(around);
  for (const p of pipelines)
    for (const c of p) {
      for (const w of [...c.writes, ...teeFiles(c)]) if (!w.text.startsWith('/dev/')) out.add(baseName(w));
    }
  out.delete('');
  return out;
}

/** Whether `w` names a file the text writes, or its substitutions ($(cat f), <(cat f)) read one. */
function readsWritten(ctx: Context, w: Word | undefined): boolean {
  if (!w || ctx.written.size === 0) return false;
  const read = (c: Command) => [...c.words, ...c.redirects].some((x) => !c.writes.includes(x) && readsWritten(ctx, x));
  return ctx.written.has(baseName(w)) || (w.runs ?? []).some(read);
}

/**
 * A value written to a file comes back as code when the text runs that file (`./f.sh`, `bash f.sh`, `source f`,
 * `bash < f.sh`) or evaluates what reads it (`eval "$(cat f)"`): refused whatever the value's type.
 */
function runsWritten(ctx: Context, w: Word | undefined, how: string): void {
  if (readsWritten(ctx, w))
    refused(ctx, '', `in a file this command line writes and then ${how} (a value written there runs as code)`);
}

/**
 * What in inline program text runs a command or code: system, exec, popen, subprocess, spawn, eval, getline,
 * backticks and qx in perl and ruby.
 */
const RUNS_CODE =
  /\b(system|exec\w*|popen|Popen|subprocess|spawn\w*|eval|getline|pty|child_process|__import__|importlib|qx|fork)\b|`/;
/** A pipe to a command in awk (`print | "sh"`, `"cmd" | getline`), or perl's `open(F, "… |")`. */
const PIPES_TO_COMMAND = (tool: string, text: string) => (AWKS.has(tool) ? /\|/ : /open\s*\([^)]*\|/).test(text);

/**
 * Fixed program text that runs commands (`awk 'BEGIN{system(x)}' `, `python3 -c 'os.system(sys.argv[1])'`) runs
 * whatever reaches it: its arguments (`-v x=…`, argv) and the environment. Its arguments take no string value, and
 * in a text holding values, no value at all may be a string (the environment holds them all, P_<name> included).
 */
function runsArguments(ctx: Context, tool: string, code: Word, words: Word[]): void {
  if (code.sites.length > 0 || !(RUNS_CODE.test(code.text) || PIPES_TO_COMMAND(tool, code.text))) return;
  const why = `where ${tool} code that runs commands (system, exec, eval, …) may read it`;
  for (const w of words) if (w !== code) program(w, why);
  ctx.runsCommands ??= why;
}

/** Marks the sites of one simple command; true when it reads program text from its input. */
function classify(c: Command, ctx: Context): boolean {
  const words = c.words;
  const i = headAt(
    c,
    (w) => refuse(w, `in an array subscript, ${CODE} (arithmetic)`, w.text.indexOf('=')),
    (w) => program(w, 'where a launcher (timeout, nice, sudo, mpirun, …) may take it as the command to run'),
  );
  const head = words[i];
  if (!head) return false;
  const name = nameOf(head);
  if (['for', 'select', 'case', 'function'].includes(name)) return false;
  program(head, 'as the command name (a value would choose the program that runs)');
  runsWritten(ctx, head, 'runs');
  const args = words.slice(i + 1);
  const all = (f: (w: Word) => void) => {
    for (const w of args) f(w);
  };
  // A command named by an expansion ("$CMD", ${X:-eval}, $(which python), `printf eval`) cannot be known: it may
  // be eval, a shell or an interpreter, and any of its arguments code.
  if (head.expanded || EXPANDS_TO_NAME.test(head.text))
    all((w) => program(w, 'in the arguments of a command named by an expansion (it may run them)'));
  // fc runs commands from the history, which `history -s` fills with text.
  if (ctx.holds && (name === 'fc' || (name === 'history' && args.some((w) => /^-[A-Za-z]*s/.test(w.text)))))
    refused(ctx, '', `in a command line holding values, ${name} (it runs text from the history as commands)`);
  for (const w of words) {
    const m = /^([A-Za-z_]\w*)\+?=/.exec(w.text);
    if (!m || !CODE_VARIABLES.test(m[1]!)) continue;
    if (ctx.holds && /^(BASH_ENV|ENV)$/.test(m[1]!))
      refused(ctx, '', `in a command line holding values, ${m[1]} (bash runs the file it names)`);
    runsWritten(ctx, { ...w, text: w.text.slice(m[0].length) }, `names in ${m[1]}`);
  }
  if (['eval', 'trap', 'source', '.', 'enable'].includes(name)) {
    all((w) => refuse(w, `in the arguments of ${name}, ${CODE}`));
    all((w) => runsWritten(ctx, w, `hands to ${name}`));
  }
  if (ctx.aliases.has(name)) all((w) => refuse(w, `in the arguments of the alias ${name}, ${CODE}`));
  if (name === 'eval') nested(ctx, args.map((w) => w.text).join(' '), 'in the code eval runs');
  if (name === 'trap' && args[0] && !isOption(args[0])) nested(ctx, args[0].text, 'in the code trap runs');
  if (name === 'alias')
    for (const w of args) nested(ctx, w.text.slice(w.text.indexOf('=') + 1), 'in the code an alias stands for');
  if (name === 'let') {
    all((w) => refuse(w, `in let, ${CODE} (arithmetic)`));
    all((w) => arithmeticNames(ctx, w, `in let, ${CODE} (arithmetic)`));
  }
  // A tainted variable's own name (`local x`, `read x`) names it, not its value: only references are refused.
  const names = (w: Word, why: string, before?: number) => {
    if (!w.sites.every(({ site }) => site.variable && site.name === w.text)) refuse(w, why, before);
  };
  if (['unset', 'read', 'mapfile', 'readarray', 'getopts', 'declare', 'typeset', 'local'].includes(name))
    all((w) => names(w, `in the arguments of ${name}, ${NAME}`));
  if (['declare', 'typeset', 'local', 'export', 'readonly'].includes(name) && ctx.holds) {
    // An integer variable evaluates every value later assigned to it; a nameref makes a name of one.
    const attribute = args.find((w) => /^[-+][A-Za-z]*[in]/.test(w.text));
    if (attribute)
      refused(ctx, '', `in ${name} ${attribute.text}: an integer or nameref variable reads later values as code`);
  }
  if (name === 'export' || name === 'readonly') {
    const options = args.some(isOption);
    all((w) => names(w, `in ${name}, ${NAME}`, options ? Infinity : w.text.indexOf('=') + 1 || Infinity));
  }
  if (['[[', '[', 'test'].includes(name) && args.some((w) => ARITHMETIC_TESTS.has(w.text))) {
    const why = `in a test with ${args.find((a) => ARITHMETIC_TESTS.has(a.text))!.text}, ${CODE}`;
    all((w) => refuse(w, why));
    all((w) => arithmeticNames(ctx, w, why));
  }
  // Options whose value a program runs as a command, also behind a launcher (`timeout 5 tar --to-command=…`).
  const runner = words.findIndex((w, j) => j >= i && runsCommandOptions(nameOf(w)));
  if (runner >= 0) {
    const tool = nameOf(words[runner]);
    for (const { word, option } of commandOptionWords(tool, words.slice(runner + 1)))
      program(word, `in ${tool} ${option}, which ${tool} runs as a command`);
  }
  // The first interpreter named, also behind a launcher (mpirun -np 2 python -c …, timeout 5 sh -c …).
  for (let j = i; j < words.length; j++) {
    const tool = nameOf(words[j]);
    const rest = words.slice(j + 1);
    const code = programWord(tool, rest);
    if (code === undefined) continue;
    if (code === 'stdin') return true;
    runsWritten(ctx, code, `hands to ${tool}`);
    if (SHELLS.has(tool)) {
      refuse(code, `in the code of ${tool} -c, ${CODE}`);
      const after = rest.slice(rest.indexOf(code) + 1);
      nested(
        ctx,
        code.text,
        `in the code of ${tool} -c`,
        after.some((w) => w.sites.length > 0),
      );
    } else {
      program(code, `in the program text ${tool} runs`);
      runsArguments(ctx, tool, code, words);
    }
    return false;
  }
  return ['source', '.'].includes(name);
}

/** Aliases the text defines: bash may expand each to code (eval, a shell) that runs the alias's arguments. */
function aliasesOf(pipelines: Command[][]): Set<string> {
  const out = new Set<string>();
  for (const p of pipelines)
    for (const c of p) {
      const i = headAt(c);
      if (nameOf(c.words[i]) !== 'alias') continue;
      for (const w of c.words.slice(i + 1)) if (w.text.includes('=')) out.add(w.text.slice(0, w.text.indexOf('=')));
    }
  return out;
}

/**
 * A program that may run what it reads, downstream of text (a stage before it, its here-string or <( )): whatever
 * that text holds is its input, and its own program may run it (`echo … | awk '{system($0)}'`, `| sed e`).
 */
function pipedInto(pipeline: Command[], scan: Scan): void {
  // The first such program in a command, in a subshell it runs, or a function of the text (it may run one).
  const toolOf = (c: Command): string | undefined => {
    const words = c.words.slice(headAt(c));
    if (scan.functions.has(nameOf(words[0]))) return `the function ${words[0]!.text}`;
    const inner = words.flatMap((w) => w.subshell ?? []);
    return words.map(nameOf).find((n) => RUN_INPUT.has(n)) ?? inner.map(toolOf).find(Boolean);
  };
  pipeline.forEach((c, k) => {
    const tool = toolOf(c);
    if (!tool) return;
    const why = `in text piped into ${tool}, which may run it`;
    for (const w of [...c.words, ...c.redirects]) if (w.input) program(w, why);
    for (const up of pipeline.slice(0, k))
      for (const w of [...up.words, ...up.redirects]) if (!up.writes.includes(w)) program(w, why);
    // A file the text writes and this program reads (`echo … > f; awk '{system($0)}' f`): what wrote it. (A shell
    // running such a file is refused whatever the value's type, by runsWritten.)
    if (SHELLS.has(tool)) return;
    const file = (w: Word) => !w.text.startsWith('/dev/');
    const reads = new Set([...c.words, ...c.redirects].filter((w) => !c.writes.includes(w) && file(w)).map(baseName));
    for (const p of scan.pipelines)
      for (const w of p)
        if ([...w.writes, ...teeFiles(w)].some((f) => file(f) && reads.has(baseName(f))))
          for (const x of [...w.words, ...w.redirects]) program(x, `in a file ${tool} reads, ${why.slice(3)}`);
  });
}

/** `written`: the files the text around this code writes (`echo … > f; bash -c 'source f'`). */
function analyse(
  source: string,
  tainted: ReadonlySet<string>,
  depth: number,
  written: ReadonlySet<string> = new Set(),
): Site[] {
  // A variable the command line itself sets from a value (`X="{{msg}}"; eval "$X"`) holds the value too: scan
  // again with it tainted, until no name is added.
  let known = new Set(tainted);
  let scan = scanShell(source, known);
  let flow = taintedBy(scan);
  for (;;) {
    const more = flow.names.filter((n) => !known.has(n));
    if (more.length === 0) break;
    known = new Set([...known, ...more]);
    scan = scanShell(source, known);
    flow = taintedBy(scan);
  }
  for (const w of flow.assignments) {
    const name = /^[A-Za-z_]\w*/.exec(w.text)![0];
    if (CODE_VARIABLES.test(name)) refuse(w, `in ${name}, which the shell or an interpreter reads as code`);
  }
  const ctx: Context = {
    tainted: known,
    aliases: aliasesOf(scan.pipelines),
    holds: scan.sites.length > 0,
    depth,
    written: scan.sites.length > 0 || tainted.size > 0 ? writtenFiles(scan.pipelines, written) : written,
    extra: [],
  };
  for (const pipeline of scan.pipelines) {
    const fed = pipeline.map((c) => classify(c, ctx)).some(Boolean);
    // A shell reading what a command line holding values writes into >( … ) or a coprocess.
    const coproc = pipeline.some((c) => c.words.some((w) => w.text === 'coproc'));
    if (fed && ctx.holds && (coproc || scan.feeds.has(pipeline)))
      refused(ctx, '', 'in a command line holding values, a >( … ) or coproc shell that runs it as code');
    if (!fed) continue;
    // An interpreter reading its input as code: whatever the pipeline or a here-string says is program text.
    for (const c of pipeline)
      for (const w of [...c.words, ...c.redirects]) {
        program(w, 'in text piped into a program that runs it');
        if (!c.writes.includes(w)) runsWritten(ctx, w, 'pipes into a program that runs it');
      }
  }
  for (const pipeline of scan.pipelines) pipedInto(pipeline, scan);
  if (ctx.runsCommands) {
    for (const site of scan.sites) site.program ??= ctx.runsCommands;
    // The job's own variables that hold a value (set in the template from a placeholder) are in its environment.
    for (const name of tainted)
      if (!/^P_|^@$/.test(name)) ctx.extra.push({ name, variable: true, quote: 'bare', program: ctx.runsCommands });
  }
  return [...scan.sites, ...ctx.extra];
}

/**
 * The placeholders of a command line, each with its quotes and, where it may not go, why. `args`: the text is
 * the arguments of a command the service puts in front (a script path, `commandLineArgs`). References to the
 * `tainted` variables (whose values hold a placeholder's) are sites too, held to a string placeholder's rules;
 * so are references in code the command line hands to bash (eval, bash -c, trap, aliases).
 */
export function shellSites(text: string, args = false, tainted: ReadonlySet<string> = new Set()): Site[] {
  return analyse(args ? `: ${text}` : text, tainted, 0);
}
