// Where a placeholder's value flows inside a command line: the variables that come to hold it. shell-places.ts
// treats a reference to any of them as the value itself. Sound rather than clever: a variable is tainted when
// anything holding a value could reach it (assigned from one, read by `read`/`mapfile`/`for`/`printf -v` in a
// text that has a value at all), and the positional parameters ($1, $@, $*: the one name `@`) are tainted as
// soon as a value is handed to a function the text defines, to `set` or to `source`.
import { isLauncher, launchedAt } from './shell-launchers';
import type { Command, Scan, Word } from './shell-scan';

const KEYWORDS = new Set(['!', '{', '}', 'if', 'then', 'else', 'elif', 'do', 'while', 'until', 'coproc']);
export const ASSIGNMENT = /^[A-Za-z_]\w*(\[[^=]*\])?\+?=/;
const IDENTIFIER = /^[A-Za-z_]\w*$/;
const COMPOUND = new Set(['{', '(', 'if', 'while', 'until', 'for', 'case', 'select']);
/**
 * Variables bash itself sets from what a command was given or read: `$_` (the last argument), REPLY, MAPFILE,
 * OPTARG, BASH_REMATCH (`[[ $v =~ … ]]`), BASH_ARGV, and the directories `cd "$v"` leaves in PWD, OLDPWD, DIRSTACK.
 */
const SET_BY_BASH = ['_', 'REPLY', 'MAPFILE', 'OPTARG', 'BASH_REMATCH', 'BASH_ARGV', 'PWD', 'OLDPWD', 'DIRSTACK'];

/** The command's name as bash would look it up (no placeholder in it), without its directory. */
export function nameOf(w: Word | undefined): string {
  if (!w || w.sites.length > 0) return '';
  const base = w.text.slice(w.text.lastIndexOf('/') + 1);
  if (/^python[\d.]*$/.test(base) || base === 'pypy3') return 'python';
  if (base === 'nodejs') return 'node';
  return base;
}

export const isOption = (w: Word): boolean => w.text.startsWith('-') && w.text !== '-' && w.sites.length === 0;

/**
 * Where the command's name is: past leading assignments, keywords and launchers (`env X=1 nice -n 5 cmd`,
 * `timeout 5 cmd`). `assignment` sees each leading assignment word; `maybe` each word with a value that a
 * launcher's options or leading arguments took, which might be the command name instead.
 */
export function headAt(
  c: Command,
  assignment: (w: Word) => void = () => {},
  maybe: (w: Word) => void = () => {},
): number {
  const words = c.words;
  let i = 0;
  while (i < words.length) {
    const w = words[i]!;
    if (ASSIGNMENT.test(w.text)) assignment(w);
    else if (!KEYWORDS.has(w.text) && !isLauncher(nameOf(w))) break;
    // `coproc NAME { … }`: the name is the coprocess's, and its body's first command follows.
    if (w.text === 'coproc' && IDENTIFIER.test(words[i + 1]?.text ?? '') && COMPOUND.has(words[i + 2]?.text ?? '')) i++;
    i = isLauncher(nameOf(w)) ? launchedAt(nameOf(w), words, i, maybe) : i + 1;
  }
  return i;
}

/** The variables a command sets from what it reads: `read a b`, `mapfile arr`, `for x in`, `printf -v x`. */
function boundNames(c: Command): string[] {
  const i = headAt(c);
  const name = nameOf(c.words[i]);
  const args = c.words.slice(i + 1).map((w) => w.text);
  if (name === 'read' || name === 'mapfile' || name === 'readarray') return args.filter((a) => IDENTIFIER.test(a));
  if (name === 'for' || name === 'select') return args.slice(0, 1);
  if (name === 'getopts') return args.slice(1, 2);
  if (name === 'printf' && args[0] === '-v') return args.slice(1, 2);
  if (name === 'wait') return args.filter((_, k) => args[k - 1] === '-p');
  return [];
}

/** The commands of a scan whose arguments set the positional parameters: the text's functions, set, source. */
function setsPositional(scan: Scan, c: Command): boolean {
  const i = headAt(c);
  const name = nameOf(c.words[i]);
  const hands = scan.functions.has(name) || ['set', 'source', '.'].includes(name);
  return hands && c.words.slice(i + 1).some((w) => w.sites.length > 0);
}

/** Names that come to hold a value (beyond those the scan was given), and the assignments to code variables. */
export function taintedBy(scan: Scan): { names: string[]; assignments: Word[] } {
  const names: string[] = [];
  const assignments: Word[] = [];
  const any = scan.sites.length > 0;
  if (any) names.push(...SET_BY_BASH);
  names.push(...scan.defaulted);
  for (const pipeline of scan.pipelines)
    for (const c of pipeline) {
      for (const w of c.words) {
        const m = ASSIGNMENT.exec(w.text);
        if (!m || !w.sites.some((x) => x.at >= m[0].length)) continue;
        names.push(/^[A-Za-z_]\w*/.exec(w.text)![0]);
        assignments.push(w);
      }
      if (!any) continue;
      // A value written to a file or a pipe can come back through any of these: whatever they read is tainted.
      names.push(...boundNames(c));
      if (setsPositional(scan, c)) names.push('@');
    }
  return { names, assignments };
}
