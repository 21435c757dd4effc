// A seeded grammar of shell contexts for template command lines: a hole ({{v}}, a string parameter, or {{n}},
// an int) set in every kind of quote and construct, after comments, quotes and here-documents that a guessing
// quoter misreads, nested in $( ), ( ), { }, if, for and pipelines; and hostile values that each try to create
// the file named by $M. Only an injection can create it: no template here writes to $M.
import { pick, type Rng } from './generate';

/** The hole as one word, in each kind of quoting. */
const WORDS: Array<(h: string) => string> = [
  (h) => h,
  (h) => `'${h}'`,
  (h) => `"${h}"`,
  (h) => `$'${h}'`,
  (h) => `$"${h}"`,
  (h) => `x${h}y`,
  (h) => `'a'${h}"b"`,
  (h) => `--opt=${h}`,
  (h) => `"<${h}>"'<${h}>'`,
  (h) => `"it's ${h}"`,
  (h) => `'say "${h}"'`,
  (h) => `"$(printf '%s' ${h})"`,
  (h) => `"$(echo "${h}")"`,
  (h) => `$(echo '${h}')`,
];

/** Issue 17, second audit: functions, positional parameters, redirection targets, expansions that stay data. */
const DATA_17: Array<(w: string) => string> = [
  (w) => `f() { printf '[%s]\\n' "$1"; }; f ${w}`,
  (w) => `f() { local x; x="$1"; echo "$x"; }; f ${w}`,
  (w) => `set -- ${w}; printf '[%s]\\n' "$@"`,
  (w) => `X=${w}; printf '%s\\n' "\${#X}" "\${X:0:2}" "\${X/a/b}"`,
  (w) => `echo x > ${w}`,
  (w) => `mkdir -p out && echo x >> out/${w}`,
  (w) => `X=${w}; eval 'echo "$X"'`,
];

/** Commands that take the word as data: the value must arrive as one literal word. */
const DATA: Array<(w: string) => string> = [
  (w) => `printf '[%s]\\n' ${w}`,
  (w) => `echo ${w}`,
  (w) => `X=${w}; echo "$X"`,
  (w) => `X=${w} env >/dev/null`,
  (w) => `arr=(${w} b); echo "\${arr[0]}"`,
  (w) => `echo ${w} > /dev/null 2>&1`,
  (w) => `cat <<< ${w}`,
  (w) => `[ ${w} = x ] || echo no`,
  (w) => `[[ ${w} == x ]] || echo no`,
  (w) => `case ${w} in x) echo x;; *) echo other;; esac`,
  (w) => `for i in ${w}; do echo "$i"; done`,
  (w) => `if true; then echo ${w}; fi`,
  (w) => `f() { echo ${w}; }; f`,
  (w) => `(echo ${w})`,
  (w) => `{ echo ${w}; }`,
  (w) => `echo $(echo ${w})`,
  (w) => `echo ${w} | cat`,
  (w) => `test -n ${w}`,
  (w) => `: ${w}`,
  (w) => `true && echo ${w} || echo no`,
  (w) => `echo \\\n ${w}`,
  (w) => `export Y=${w}; echo "$Y"`,
  (w) => `python3 -c 'import sys; print(sys.argv[1])' ${w}`,
  (w) => `awk -v x=${w} 'BEGIN { print x }'`,
  (w) => `echo ${w} "$V" "\${V:-none}"; bash -c 'echo "$V"'`,
  ...DATA_17,
  (w) => `case go in (a|b) :;; go) echo ${w};; esac`,
  (w) => `arr=(x); arr+=(${w}); echo "\${arr[1]}"`,
];

/** Places where bash or another program reads the text again: a string placeholder must be refused. */
const EVALUATED: Array<(h: string) => string> = [
  (h) => `eval "echo ${h}"`,
  (h) => `eval echo ${h}`,
  (h) => `bash -c 'echo ${h}'`,
  (h) => `sh -c "echo ${h}"`,
  (h) => `bash -lc "echo '${h}'"`,
  (h) => `timeout 5 sh -c 'echo ${h}'`,
  (h) => `echo \`echo ${h}\``,
  (h) => `echo "\`echo ${h}\`"`,
  (h) => `echo $(( ${h} ))`,
  (h) => `(( ${h} )) || true`,
  (h) => `[[ ${h} -gt 0 ]] || true`,
  (h) => `[[ "${h}" -eq 1 ]] || true`,
  (h) => `echo "\${OUT:-"${h}"}"`,
  (h) => `echo \${OUT:-${h}}`,
  (h) => `cat <<EOF\n${h}\nEOF`,
  (h) => `cat <<-'EOF'\n\t${h}\n\tEOF`,
  (h) => `python3 -c 'print("${h}")'`,
  (h) => `python3 -c "print('${h}')"`,
  (h) => `awk 'BEGIN { print "${h}" }'`,
  (h) => `awk -F, '{ print "${h}" }' </dev/null`,
  (h) => `sed -e 's/a/${h}/' </dev/null`,
  (h) => `echo a | sed 's/a/${h}/'`,
  (h) => `perl -e 'print "${h}"'`,
  (h) => `perl -ne 'print "${h}"' </dev/null`,
  (h) => `echo ${h} | bash`,
  (h) => `echo "${h}" | python3`,
  (h) => `let x=${h}`,
  (h) => `declare ${h}=1`,
  (h) => `export ${h}`,
  (h) => `read ${h} <<< x`,
  (h) => `printf ${h}`,
  (h) => `printf -v ${h} x`,
  (h) => `trap 'echo ${h}' EXIT`,
  (h) => `source ${h}`,
  (h) => `${h}`,
  (h) => `env ${h} x`,
  (h) => `a[${h}]=1`,
  (h) => `test -v ${h} || true`,
  (h) => `echo ${h} | xargs -I{} sh -c 'echo {}'`,
  (h) => `echo \\${h}`,
  (h) => `echo "\\${h}"`,
  (h) => `echo $[ ${h} ]`,
  // $V holds the value too (the template sets V = {{v}}): it is held to the placeholder's rules.
  (h) => `: ${h}; eval "echo $V"`,
  (h) => `: ${h}; bash -c "echo $V"`,
  (h) => `: ${h}; echo $(( V + 1 ))`,
  (h) => `: ${h}; python3 -c "print('$V')"`,
  (h) => `: ${h}; echo "$V" | sh`,
  // Issue 17, second audit: bash evaluates the value again through a function, $@, a name or nested code.
  (h) => `f(){ eval "$1"; }; f ${h}`,
  (h) => `function f { bash -c "$1"; }; f ${h}`,
  (h) => `set -- ${h}; eval "$1"`,
  (h) => `f(){ eval "$@"; }; f "${h}"`,
  (h) => `f(){ eval $*; }; f ${h}`,
  (h) => `g(){ eval "$1"; }; f(){ g "$1"; }; f ${h}`,
  (h) => `f(){ printf -v "$1" x; }; f ${h}`,
  (h) => `f(){ read -r "$1" <<< x; }; f ${h}`,
  (h) => `f(){ declare "$1=1"; }; f ${h}`,
  (h) => `f(){ export "$1"=1; }; f ${h}`,
  (h) => `shopt -s expand_aliases; alias e=eval; e ${h}`,
  (h) => `X=${h}; echo "\${!X}"`,
  (h) => `i=${h}; a=(1 2); echo "\${a[i]}"`,
  (h) => `i=${h}; s=abc; echo "\${s:i:1}"`,
  (h) => `i=${h}; let "y=i+1"`,
  (h) => `i=${h}; [[ -v a[i] ]] || true`,
  (h) => `i=${h}; test -v "a[i]" || true`,
  (h) => `i=${h}; a[i]=1`,
  (h) => `declare -i k; k=${h}`,
  (h) => `X=${h}; trap 'eval "$X"' EXIT`,
  (h) => `X=${h}; mapfile -C "$X" -c 1 a <<< x`,
  (h) => `: ${h}; bash -c 'eval "$P_v"'`,
  (h) => `bash -c 'eval "$1"' _ ${h}`,
  (h) => `X=${h}; echo "\${X@P}"`,
  (h) => `echo ${h} | while read -r l; do eval "$l"; done`,
  (h) => `for x in ${h}; do eval "$x"; done`,
  (h) => `source /dev/stdin <<< ${h}`,
  (h) => `: ${h}; [[ -n x ]]; eval "$V"`,
  (h) => `[[ ${h} =~ (.*) ]]; eval "\${BASH_REMATCH[1]}"`,
  (h) => `echo ${h} >/dev/null; eval "$_"`,
  (h) => `read -r <<< ${h}; eval "$REPLY"`,
  (h) => `f(){ eval "\${!#}"; }; f ${h}`,
  (h) => `cd /tmp; cd ${h} 2>/dev/null; eval "$OLDPWD"`,
  (h) => `"\${PY:-python3}" -c "print('${h}')"`,
  (h) => `\${SH:-bash} -c "echo ${h}"`,
  // Issue 17, third audit: case arms, coprocs, brace-expanded names, arrays, BASH_ENV, piped programs.
  (h) => `case go in go) eval ${h};; esac`,
  (h) => `case go in (a) :;;& go) bash -c ${h};; esac`,
  (h) => `x=$(case go in go) eval ${h};; esac); echo "$x"`,
  (h) => `coproc N { eval ${h}; }; wait`,
  (h) => `{eval,} ${h}`,
  (h) => `a=(${h}); eval "\${a[0]}"`,
  (h) => `echo ${h} > f; BASH_ENV=f bash -c :`,
  (h) => `echo ${h} | awk '{ system($0) }'`,
  (h) => `echo ${h} | sed e`,
];

/** Text before the command that a quoter without bash's rules misreads. */
const BEFORE = [
  '',
  "# don't worry, the value is quoted\n",
  '# "\n',
  'echo "it\'s" # \'\n',
  ": 'a\nb'\n",
  "cat <<'EOF' >/dev/null\ndon't \"\nEOF\n",
  'echo a\\\nb >/dev/null; ',
  "X='a\"b'; ",
  'echo "${X:-\'}" >/dev/null; ',
  "echo $'it\\'s' >/dev/null; ",
  'echo $((1 + (2))) >/dev/null; ',
  'echo "$(echo \')\')" >/dev/null; ',
  'echo `echo "\'"` >/dev/null\n',
];

const AFTER = ['', '; echo end', " # trailing '", '\n# "', ' && true', ' | cat'];

/** Wrapping the command: nested in a substitution, a subshell, a group, a condition or a loop. */
const NESTS: Array<(c: string) => string> = [
  (c) => c,
  // A space after $( : `$((` followed by a subshell would be arithmetic, as bash reads it (and the lexer too).
  (c) => `echo "$( ${c})"`,
  (c) => `( ${c} )`,
  (c) => `{ ${c}; }`,
  (c) => `if true; then ${c}; fi`,
  (c) => `for _ in 1; do ${c}; done`,
  (c) => `X=$( ${c}); echo "$X"`,
];

export interface ShellCase {
  commandLine: string;
  /** A string placeholder goes where bash or a program reads text again: the template must be refused. */
  evaluated: boolean;
}

/** Every evaluating context and issue 17's data contexts once, plainly: tried whatever the seed draws. */
export function everyContextOnce(): ShellCase[] {
  return [
    ...EVALUATED.map((f) => ({ commandLine: f('{{v}}'), evaluated: true })),
    ...DATA_17.map((f) => ({ commandLine: f('{{v}}'), evaluated: false })),
  ];
}

export function shellCases(rng: Rng, count: number): ShellCase[] {
  const out: ShellCase[] = [];
  for (let i = 0; i < count; i++) {
    const evaluated = rng() < 0.4;
    const hole = '{{v}}';
    const command = evaluated ? pick(rng, EVALUATED)(hole) : pick(rng, DATA)(pick(rng, WORDS)(hole));
    const nested = pick(rng, NESTS)(command);
    // A here-document must end on its own line: nothing may follow its delimiter.
    const after = /\n\t?EOF$/.test(nested) ? '\necho end' : pick(rng, AFTER);
    out.push({ commandLine: `${pick(rng, BEFORE)}${nested}${after}`, evaluated });
  }
  return out;
}

/** Values that each try to create $M: through bash, python, awk, sed, perl, or a name bash evaluates. */
export const INJECTIONS = [
  '$(touch $M)',
  '`touch $M`',
  ';touch $M;',
  "'; touch $M; '",
  '"; touch $M; "',
  '\'"; touch $M; #',
  'a[$(touch $M)]',
  '$(touch${IFS}$M)',
  '}; touch $M; #',
  ')); touch $M; ((',
  '\\"; touch $M #',
  '1; touch $M',
  '-c "touch $M"',
  "$'\\x27'; touch $M",
  '"); import os; os.system("touch " + os.environ["M"]); ("',
  "'); import os; os.system('touch ' + os.environ['M']); ('",
  '"; system("touch " ENVIRON["M"]); "',
  '/; e touch $M #',
  '"; system("touch $ENV{M}"); "',
  'x EXIT; touch $M; trap',
  'EOF\ntouch $M',
  '$M',
  '*',
];
