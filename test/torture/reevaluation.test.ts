// Issue 17, the outsider's second audit: values that reach bash's evaluating places through functions, `set --`,
// variables, aliases and nested code are refused when the template loads; a value that continues a path in a
// redirection or after a `/` follows the path rule. What is accepted runs for real in bash with hostile values,
// and a marker file shows whether anything ran.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
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
    // A command named by an expansion may be eval, a shell or an interpreter: its arguments may be code.
    [`"$PYTHON" -c "print('{{msg}}')"`, /arguments of a command named by an expansion/],
    ['${SHELL:-bash} -c "echo {{msg}}"', /named by an expansion/],
    [`$(command -v python3) -c 'print("{{msg}}")'`, /named by an expansion/],
    ['E=eval; $E "{{msg}}"', /named by an expansion/],
    ['"$CMD" "{{msg}}"', /named by an expansion/],
    ['${X:-eval} {{msg}}', /named by an expansion/],
    ['$(echo eval) {{msg}}', /named by an expansion/],
    ['`printf eval` {{msg}}', /named by an expansion/],
    ['X="{{msg}}"; E=eval; env $E "$X"', /\$X .*named by an expansion/],
  ];
  test.each(cases)('%s', (commandLine, why) => {
    expect(refusal(commandLine)).toMatch(why);
  });
});

// The third audit: case arms, coprocs, brace-expanded command names, arrays, BASH_ENV/fc/process substitutions
// into shells, and text piped into an interpreter whose own program runs its input.
describe('a value reaching bash again through case arms, coprocs, arrays or pipes is refused at load', () => {
  const cases: Array<[string, RegExp]> = [
    ['case go in go) eval {{msg}};; esac', /eval/],
    ['case go in (go) eval {{msg}};; esac', /eval/],
    ['case go in a) :;& go) bash -c {{msg}};; esac', /bash -c/],
    ['case go in a) :;;& go) trap {{msg}} EXIT;; esac', /trap/],
    ['case go in go) [[ {{msg}} -gt 0 ]];; esac', /-gt/],
    ['case go in go) declare -i n={{msg}};; esac', /declare/],
    ['case go in go) [ -v {{msg}} ];; esac', /-v/],
    ['case go in go) source <(echo {{msg}});; esac', /source/],
    ['case go in go) python3 -c {{msg}};; esac', /python/],
    ['case go in go) perl -e {{msg}};; esac', /perl/],
    ['case go in go) awk {{msg}};; esac', /awk/],
    ['x=$(case go in go) eval {{msg}};; esac); echo "$x"', /eval/],
    ['f() { case go in go) eval {{msg}};; esac; }; f', /eval/],
    ['case go in\n  go)\n    eval {{msg}}\n    ;;\nesac', /eval/],
    ['coproc N { eval {{msg}}; }', /eval/],
    ['coproc bash; echo {{msg}} >&${COPROC[1]}', /coproc|runs it/],
    ['{eval,} {{msg}}', /named by an expansion/],
    ['{bash,} -c {{msg}}', /named by an expansion/],
    ['/usr/bin/ev?l {{msg}}', /named by an expansion/],
    [`$'ev\\x61l' {{msg}}`, /named by an expansion/],
    ['a=({{msg}}); eval "${a[0]}"', /\$a .*eval/],
    ['a=(x); a+=({{msg}}); eval "${a[1]}"', /\$a .*eval/],
    ['a[0]={{msg}}; eval "${a[0]}"', /\$a .*eval/],
    ['declare -a a=({{msg}}); eval "${a[0]}"', /declare|\$a .*eval/],
    ['declare -A m=([k]={{msg}}); eval "${m[k]}"', /declare|\$m .*eval/],
    ['declare -a a; a=("{{msg}}"); eval "${a[0]}"', /\$a .*eval/],
    ['echo {{msg}} > f; BASH_ENV=f bash -c :', /BASH_ENV/],
    ['echo {{msg}}; BASH_ENV=/tmp/x bash -c :', /BASH_ENV/],
    ['history -s {{msg}}; fc -s', /fc|history/],
    ['exec 3> >(bash); echo {{msg}} >&3', /coproc shell that runs it/],
    ['echo {{msg}} | tee >(bash)', /coproc shell that runs it/],
    [`echo {{msg}} | awk '{system($0)}'`, /piped into awk/],
    [`echo {{msg}} | perl -ne 'system $_'`, /piped into perl/],
    ['echo {{msg}} | sed e', /piped into sed/],
    [`echo {{msg}} | sed 's/x/y/e'`, /piped into sed/],
    ['echo {{msg}} | xargs', /piped into/],
    ['echo {{msg}} | xargs -I{} sh -c {}', /piped into/],
    [`awk '{system($0)}' <<< {{msg}}`, /awk/],
    [`awk '{system($0)}' < <(echo {{msg}})`, /piped into awk/],
    ['sed e <(echo {{msg}})', /piped into sed/],
    ['echo {{msg}} | (bash)', /piped into bash/],
    [`echo {{msg}} | (awk '{system($0)}')`, /piped into awk/],
    ['f(){ bash; }; echo {{msg}} | f', /piped into the function f/],
    [`echo {{msg}} > f; awk '{system($0)}' f`, /in a file awk reads/],
    ['echo {{msg}} | ed', /piped into ed/],
    ['echo {{msg}} | m4', /piped into m4/],
    ['X={{msg}}; : "${Y:=$X}"; eval "$Y"', /\$Y .*eval/],
  ];
  test.each(cases)('%s', (commandLine, why) => {
    expect(refusal(commandLine)).toMatch(why);
  });

  // Without the refusal each of these runs the value in real bash (those whose reader runs in the background,
  // coprocs and >( ), are left out: the marker would race).
  const runs = [
    'case go in go) eval {{msg}};; esac',
    'x=$(case go in go) eval {{msg}};; esac)',
    'coproc N { eval {{msg}}; }; wait',
    '{eval,} {{msg}}',
    `$'ev\\x61l' {{msg}}`,
    'a=({{msg}}); eval "${a[0]}"',
    'echo {{msg}} > f; BASH_ENV=f bash -c :',
    `echo {{msg}} | awk '{system($0)}'`,
    'echo {{msg}} | sed e',
    'sed e <(echo {{msg}})',
    'echo {{msg}} | xargs -I{} sh -c {}',
  ];
  test.each(runs)('%s would have run the value', (commandLine) => {
    const dir = tempDir();
    try {
      const M = join(dir, 'RAN');
      const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, M, P_msg: 'touch "$M"' };
      execFileSync('bash', ['-c', commandLine.replaceAll('{{msg}}', '"${P_msg}"')], { env, cwd: dir, stdio: 'ignore' });
      expect(existsSync(M)).toBe(true);
    } finally {
      removeDir(dir);
    }
  });

  test.each([
    'echo {{msg}} | tee log.txt',
    'python train.py --msg {{msg}} | tee out.log',
    'echo {{msg}} > /dev/null; python3 train.py < /dev/null',
    '(echo {{msg}}) | cat',
    'echo {{msg}} > f; (cat f)',
    'case "$x" in a) echo {{msg}};; esac',
    'case "{{msg}}" in a|b) echo one;; (c) echo two;; *) echo {{msg}};; esac',
    "echo {{n}} | awk '{ print $1 * 2 }'",
    'a=(x y); echo "${a[@]}" {{msg}}',
  ])('%s is accepted', (commandLine) => {
    expect(() => template(commandLine)).not.toThrow();
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
    ['case go in (a|b) :;; go) printf "[%s]" {{msg}};; esac', (v) => `[${v}]`],
    ['printf "[%s]" {{msg}} | tee log.txt', (v) => `[${v}]`],
    ['a=({{msg}} x); printf "[%s]" "${a[0]}"', (v) => `[${v}]`],
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

describe('a command named by an expansion still takes numbers and choices', () => {
  test.each(['E=eval; $E {{n}}', '"$CMD" --steps {{n}}', '$(command -v python3) -c "print({{n}})"'])('%s', (line) => {
    expect(() => template(line)).not.toThrow();
  });
});

describe('a value written to a file does not come back as code through that file', () => {
  let dir: string;
  let stubs: string;
  const marker = () => join(dir, 'RAN');
  // HOME away from the machine's own: a ~/.bashrc that bash reads may put another `activate` first in PATH.
  const bash = (commandLine: string, env: Record<string, string>) =>
    execFileSync('bash', ['-c', commandLine], {
      encoding: 'utf8',
      env: { PATH: `${stubs}:${process.env.PATH ?? '/usr/bin:/bin'}`, HOME: dir, M: marker(), ...env },
      cwd: dir,
    });
  beforeAll(() => {
    dir = tempDir();
    stubs = tempDir();
    // Stand-ins for conda's hook and activate script: what they print or do is the tool's own text.
    writeFileSync(join(stubs, 'conda'), "#!/bin/sh\necho 'hooked=yes'\n", { mode: 0o755 });
    writeFileSync(join(stubs, 'activate'), 'activated="$1"\n');
  });
  afterAll(() => {
    removeDir(dir);
    removeDir(stubs);
  });

  const runsTheFile = [
    'echo "{{msg}}" > f; eval "$(cat f)"',
    'echo "{{msg}}" > f; eval "$(< ./f)"',
    'echo "{{msg}}" > f.sh; bash f.sh',
    'printf "%s\\n" "{{msg}}" >> out/f.sh; sh ./out/f.sh',
    'echo "{{msg}}" > f; source f',
    'echo "{{msg}}" > f; . ./f',
    'echo "{{msg}}" | tee f >/dev/null; source <(cat f)',
    'echo "{{msg}}" > f.sh; chmod +x f.sh; ./f.sh',
    'echo "{{msg}}" > f.sh; bash < f.sh',
    'echo "{{msg}}" > f.sh; cat f.sh | bash',
    'echo "{{msg}}" > f; bash -c "$(cat f)"',
    `echo "{{msg}}" > f; bash -c 'source f'`,
    'echo "{{n}}" > f; source f',
    // The value need not be in the text: the job's environment holds it.
    'env > f; source f',
  ];
  test.each(runsTheFile)('%s is refused at load, and would have run the value in bash', (commandLine) => {
    expect(refusal(commandLine)).toMatch(/in a file this command line writes and then .* \(a value written there runs/);
    // Without the refusal: the value, referenced as the renderer would, runs in real bash.
    rmSync(marker(), { force: true });
    mkdirSync(join(dir, 'out'), { recursive: true });
    const line = commandLine.replaceAll('{{msg}}', '${P_msg}').replaceAll('{{n}}', '${P_msg}');
    bash(line, { P_msg: 'P_x=$(touch "$M"); touch "$M"' });
    expect(existsSync(marker())).toBe(true);
    rmSync(marker());
  });

  const HOSTILE = ['$(touch $M)', '`touch $M`', "'; touch $M; '", 'touch $M'];
  test.each(HOSTILE)("conda's hook and activate still run beside a written value ← %j", (msg) => {
    const commandLine =
      'echo "{{msg}}" > log.txt; eval "$(conda shell.bash hook)"; source activate env; ' +
      'printf "[%s][%s][%s]" "$hooked" "$activated" "$(cat log.txt)"';
    const body = renderTemplate(template(commandLine), { msg, n: '1' }, { cluster: CLUSTER });
    const env = Object.fromEntries((body.properties!.environmentVariables ?? []).map((e) => [e.name, e.value ?? '']));
    const out = bash(body.properties!.customToolkitSettings!.commandLine!, env);
    expect(existsSync(marker())).toBe(false);
    expect(out).toBe(`[yes][env][${msg}]`);
  });
});

// The re-audit: values reached by name (P_<name>, ${!n}), options whose value a program runs as a command, a
// value as the command behind a launcher, and inline code that runs its arguments.
describe('a value reached by name, run by an option or a launcher, or handed to code that runs it is refused', () => {
  const cases: Array<[string, RegExp]> = [
    ['n=P_msg; eval "${!n}"; echo {{msg}}', /no P_… name/],
    [`bash -c 'n=P_msg; eval "\${!n}"'; echo {{msg}}`, /no P_… name/],
    ['echo "$P_msg"', /no P_… name/],
    ['a=P; n=${a}_msg; eval "${!n}"; echo {{msg}}', /no \$\{!…\}/],
    [`bash -c 'a=P; n=\${a}_msg; eval "\${!n}"'; echo {{n}}`, /no \$\{!…\}/],
  ];
  test.each(cases)('%s', (commandLine, why) => {
    expect(refusal(commandLine)).toMatch(why);
  });
});

describe('a value in an option whose value a program runs as a command is refused at load', () => {
  const cases: Array<[string, RegExp]> = [
    ['tar -cf x.tar --checkpoint=1 --checkpoint-action=exec={{msg}} .', /tar --checkpoint-action/],
    ['tar -I {{msg}} -cf x.tar .', /tar -I/],
    ['tar --use-compress-program={{msg}} -cf x.tar .', /tar --use-compress-program/],
    ['tar -xf x.tar --to-command {{msg}}', /tar --to-command/],
    ['tar -cf x.tar -F {{msg}} .', /tar -F/],
    ['ssh -o ProxyCommand={{msg}} host true', /ssh -o/],
    ['ssh -o {{msg}} host true', /ssh -o/],
    ['ssh -p 22 host echo {{msg}}', /ssh after the destination/],
    ['git -c core.sshCommand={{msg}} fetch', /git -c/],
    ['make --eval {{msg}}', /make --eval/],
    ['make -E {{msg}}', /make -E/],
    ['rsync -e {{msg}} a host:b', /rsync -e/],
    ['rsync --rsh={{msg}} a host:b', /rsync --rsh/],
    ['find . -exec {{msg}} {} ;', /find -exec/],
    ['find . -name x -execdir sh -c {{msg}} +', /find -execdir|sh -c/],
    ['zip -T -TT {{msg}} x.zip f', /zip -TT/],
    ['man -P {{msg}} ls', /man -P/],
    ['less -P {{msg}} f', /less -P/],
    ['watch -n 1 {{msg}}', /watch/],
    ['timeout 5 tar -I {{msg}} -cf x.tar .', /tar -I/],
  ];
  test.each(cases)('%s', (commandLine, why) => {
    expect(refusal(commandLine)).toMatch(why);
  });

  test.each([
    'tar -czf out.tar.gz --checkpoint={{n}} {{msg}}',
    'ssh -o ConnectTimeout={{n}} host true',
    'ssh -i key {{msg}} true',
    'find {{msg}} -name x -exec wc -l {} +',
    'rsync -av {{msg}} host:b',
    'watch -n {{n}} nvidia-smi',
  ])('%s is taken', (commandLine) => {
    expect(() => template(commandLine)).not.toThrow();
  });
});

describe('a value as the command a launcher runs is refused at load', () => {
  const cases: Array<[string, RegExp]> = [
    ['timeout 5 {{msg}} /tmp/x', /command name/],
    ['timeout -s KILL 5s {{msg}}', /command name/],
    ['nice -n 5 {{msg}}', /command name/],
    ['nohup {{msg}} &', /command name/],
    ['env -u X A=1 {{msg}}', /command name/],
    ['env -S {{msg}}', /env -S|command name/],
    ['env -S "x {{msg}}"', /env -S|command name/],
    ['setsid stdbuf -oL {{msg}}', /command name/],
    ['time -p {{msg}}', /command name/],
    ['command {{msg}}', /command name/],
    ['exec -a x {{msg}}', /command name/],
    ['chrt 10 {{msg}}', /command name/],
    ['taskset 0x3 {{msg}}', /command name/],
    ['taskset -c 0-3 {{msg}}', /command name/],
    ['ionice -c 2 -n 7 {{msg}}', /command name/],
    ['strace -f -o /tmp/t {{msg}}', /command name/],
    ['ltrace {{msg}}', /command name/],
    ['valgrind --tool=memcheck {{msg}}', /command name/],
    ['sudo -u alice {{msg}}', /command name/],
    ['doas -u alice {{msg}}', /command name/],
    ['runuser -u alice -- {{msg}}', /command name/],
    ['nohup timeout 5 {{msg}}', /command name/],
    ['mpirun -np 4 {{msg}}', /command name/],
    ['mpirun --hostfile h --mca btl tcp {{msg}}', /command name/],
    ['srun --partition gpu {{msg}}', /launcher|command name/],
    ['torchrun --nproc_per_node=2 {{msg}}', /command name/],
    ['horovodrun -np 2 -H a:1,b:1 {{msg}}', /launcher|command name/],
    ['timeout {{msg}} sleep 1', /launcher/],
    ['parallel {{msg}} ::: a b', /parallel/],
  ];
  test.each(cases)('%s', (commandLine, why) => {
    expect(refusal(commandLine)).toMatch(why);
  });

  test.each([
    'torchrun train.py --lr {{msg}}',
    'torchrun --standalone --nproc_per_node {{n}} train.py --name {{msg}}',
    'mpirun -np {{n}} python train.py --tag {{msg}}',
    'timeout {{n}} python train.py {{msg}}',
    'nice -n {{n}} ./run.sh {{msg}}',
    'sudo -u alice ./run.sh {{msg}}',
    'srun -N {{n}} python train.py {{msg}}',
  ])('%s is taken', (commandLine) => {
    expect(() => template(commandLine)).not.toThrow();
  });
});

describe('a value reaching inline program code that runs commands is refused at load', () => {
  const cases: Array<[string, RegExp]> = [
    [`python3 -c 'import os,sys; os.system(sys.argv[1])' {{msg}}`, /python code that runs commands/],
    [`awk -v x={{msg}} 'BEGIN{system(x)}'`, /awk code that runs commands/],
    [`perl -s -e 'system $x' -- -x={{msg}}`, /perl code that runs commands/],
    [`node -e 'require("child_process").execSync(process.argv[1])' {{msg}}`, /node code that runs commands/],
    [`MSG={{msg}} awk 'BEGIN{system(ENVIRON["MSG"])}'`, /awk code that runs commands/],
    [`export MSG={{msg}}; awk 'BEGIN{system(ENVIRON["MSG"])}'`, /awk code that runs commands/],
    [`echo {{msg}}; python3 -c 'import os; os.system(os.environ["P_" + "msg"])'`, /python code that runs commands/],
    [`perl -e 'print \`$ARGV[0]\`' {{msg}}`, /perl code that runs commands/],
    [`awk 'BEGIN{print "x" | ARGV[1]}' {{msg}}`, /awk code that runs commands/],
  ];
  test.each(cases)('%s', (commandLine, why) => {
    expect(refusal(commandLine)).toMatch(why);
  });

  test.each([
    `python3 -c 'import os,sys; os.system("nvidia-smi")' {{n}}`,
    `awk -v x={{msg}} 'BEGIN{print x}'`,
    `python3 -c 'import sys; print(sys.argv[1])' {{msg}}`,
  ])('%s is taken', (commandLine) => {
    expect(() => template(commandLine)).not.toThrow();
  });
});
