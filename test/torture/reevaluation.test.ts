// Issue 17, the outsider's second audit: values that reach bash's evaluating places through functions, `set --`,
// variables, aliases and nested code are refused when the template loads; a value that continues a path in a
// redirection or after a `/` follows the path rule. What is accepted runs for real in bash with hostile values,
// and a marker file shows whether anything ran.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../shared/errors';
import { parseTemplate, renderTemplate } from '../../shared/templates/templates';
import { removeDir, tempDir } from '../engine/helpers';

const CLUSTER = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.BatchAI/workspaces/ws/clusters/gpu';

const template = (commandLine: string) =>
  parseTemplate(
    {
      properties: { customToolkitSettings: { commandLine }, stdOutErrPathPrefix: '$AZ_BATCHAI_MOUNT_ROOT/afs' },
      parameters: [
        { name: 'msg', pattern: '(?s).{0,200}', allowOption: true },
        { name: 'n', type: 'int' },
      ],
    },
    't',
  );

const refusal = (commandLine: string): string => {
  try {
    template(commandLine);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as Error).message;
  }
  throw new Error(`accepted: ${commandLine}`);
};

describe('a value that bash would read again through a name, a function or nested code is refused at load', () => {
  const cases: Array<[string, RegExp]> = [
    ['f(){ eval "$1"; }; f "{{msg}}"', /positional parameters.*eval/],
    ['function f { bash -c "$1"; }; f {{msg}}', /positional parameters.*bash -c/],
    ['set -- "{{msg}}"; eval "$1"', /positional parameters.*eval/],
    ['f(){ eval "$@"; }; f "{{msg}}"', /positional/],
    ['f(){ eval $*; }; f "{{msg}}"', /positional/],
    ['f(){ printf -v "$1" x; }; f "{{msg}}"', /printf -v/],
    ['f(){ read "$1" <<< x; }; f "{{msg}}"', /read/],
    ['f(){ declare "$1=1"; }; f "{{msg}}"', /declare/],
    ['f(){ local "$1"; }; f "{{msg}}"', /local/],
    ['f(){ export "$1"=2; }; f "{{msg}}"', /export/],
    ['g(){ eval "$1"; }; f(){ g "$1"; }; f "{{msg}}"', /positional/],
    ['shopt -s expand_aliases; alias e=eval; e "{{msg}}"', /alias e/],
    ['X="{{msg}}"; echo "${!X}"', /\$\{!…\}/],
    ['i="{{msg}}"; a=(1 2); echo ${a[i]}', /\$i .*arithmetic/],
    ['i="{{msg}}"; s=abc; echo ${s:i:1}', /\$i .*arithmetic/],
    ['i="{{msg}}"; let "y=i+1"', /let/],
    ['i="{{msg}}"; [[ -v a[i] ]] || true', /subscript/],
    ['i="{{msg}}"; test -v "a[i]" || true', /subscript/],
    ['i="{{msg}}"; a[i]=1', /subscript/],
    ['i="{{msg}}"; unset \'a[i]\'', /subscript/],
    ['i="{{msg}}"; [[ i -gt 0 ]] || true', /-gt/],
    ['declare -n r; X="{{msg}}"; r=x', /nameref/],
    ['declare -i k; k="{{msg}}"', /declare/],
    [`X="{{msg}}"; trap 'eval "$X"' EXIT`, /trap runs: .*eval/],
    ['X="{{msg}}"; PROMPT_COMMAND="$X"', /PROMPT_COMMAND/],
    ['X="{{msg}}"; mapfile -C "$X" -c 1 a <<< x', /mapfile/],
    [`bash -c 'eval "$P_msg"'`, /\$P_msg .*bash -c: .*eval/],
    [`bash -c 'eval "$1"' _ "{{msg}}"`, /positional.*bash -c/],
    [`eval 'eval "$P_msg"'`, /eval runs/],
    ['X="{{msg}}"; echo "${X@P}"', /@P/],
    ['echo "{{msg}}" | while read l; do eval "$l"; done', /\$l /],
    ['for x in "{{msg}}"; do eval "$x"; done', /\$x /],
    ['source /dev/stdin <<< "{{msg}}"', /piped into a program/],
    ['bash /dev/stdin <<< "{{msg}}"', /piped into a program/],
    ['enable -f "{{msg}}" x', /enable/],
    // Variables bash sets from what a command was given, and a command right after `]]`.
    ['echo "{{msg}}"; eval "$_"', /\$_ /],
    ['[[ "{{msg}}" =~ (.*) ]]; eval "${BASH_REMATCH[1]}"', /BASH_REMATCH/],
    ['read <<< "{{msg}}"; eval "$REPLY"', /REPLY/],
    ['cd "{{msg}}" && eval "$PWD"', /PWD/],
    ['f(){ eval "${!#}"; }; f "{{msg}}"', /positional/],
    ['X="{{msg}}"; [[ -n x ]]; eval "$X"', /\$X .*eval/],
    // A command named by an expansion may be any interpreter: what follows its code flag is program text.
    [`"$PYTHON" -c "print('{{msg}}')"`, /after a code flag of a command named by an expansion/],
    ['${SHELL:-bash} -c "echo {{msg}}"', /code flag/],
    [`$(command -v python3) -c 'print("{{msg}}")'`, /code flag/],
  ];
  test.each(cases)('%s', (commandLine, why) => {
    expect(refusal(commandLine)).toMatch(why);
  });
});

describe('what is accepted runs in bash with hostile values and nothing else runs', () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir();
  });
  afterAll(() => removeDir(dir));

  const HOSTILE = ['$(touch $M)', '`touch $M`', 'a[$(touch $M)]', "'; touch $M; '", '\\u$(touch $M)', 'x y'];
  const accepted: Array<[string, (v: string) => string]> = [
    ['f(){ printf "[%s]" "$1"; }; f "{{msg}}"', (v) => `[${v}]`],
    ['f(){ local x; x="$1"; printf "[%s]" "$x"; }; f "{{msg}}"', (v) => `[${v}]`],
    ['set -- "{{msg}}"; printf "[%s]" "$@"', (v) => `[${v}]`],
    [`X="{{msg}}"; eval 'printf "[%s]" "$X"'`, (v) => `[${v}]`],
    ['X="{{msg}}"; printf "[%s]" "${#X}" "${X:-none}" "${X:0:3}"', (v) => `[${v.length}][${v}][${v.slice(0, 3)}]`],
    ['printf "[%s]" {{msg}} > out.txt; cat out.txt', (v) => `[${v}]`],
  ];
  for (const [commandLine, expected] of accepted)
    test.each(HOSTILE)(`${commandLine} ← %j`, (msg) => {
      const body = renderTemplate(template(commandLine), { msg, n: '1' }, { cluster: CLUSTER });
      const marker = join(dir, 'INJECTED');
      const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', M: marker };
      for (const e of body.properties!.environmentVariables ?? []) env[e.name] = e.value ?? '';
      const out = execFileSync('bash', ['-c', body.properties!.customToolkitSettings!.commandLine!], {
        encoding: 'utf8',
        env,
        cwd: dir,
      });
      expect(existsSync(marker)).toBe(false);
      expect(out).toBe(expected(msg));
    });
});

describe('a value that continues a path in a redirection or after a / follows the path rule', () => {
  const render = (commandLine: string, msg: string) =>
    renderTemplate(template(commandLine), { msg, n: '1' }, { cluster: CLUSTER });

  test.each([
    ['echo hi > {{msg}}', '../x', /no '\.\.' segment in a redirection target/],
    ['echo hi > {{msg}}', '/etc/x', /relative path in a redirection target/],
    ['echo hi >> "out/{{msg}}.txt"', 'a/../../x', /no '\.\.' segment/],
    ['cat < "{{msg}}"', '..', /no '\.\.' segment/],
    ['echo hi 2> logs/{{msg}}', '../../etc/x', /no '\.\.' segment/],
    ['cp a data/{{msg}}', '../b', /no '\.\.' segment in a path/],
  ])('%s ← %j is refused', (commandLine, msg, why) => {
    expect(() => render(commandLine, msg)).toThrow(why);
  });

  test.each([
    ['echo hi > {{msg}}', 'out.txt'],
    ['echo hi > "$OUT/{{msg}}"', '/x'],
    ['cat <<< {{msg}}', '../not-a-path'],
    ['echo {{msg}}', '../just-text'],
    ['cp a data/{{msg}}', 'b..c'],
  ])('%s ← %j is taken', (commandLine, msg) => {
    expect(() => render(commandLine, msg)).not.toThrow();
  });
});
