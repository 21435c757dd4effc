// Runs rendered command lines in bash and python: the integration lane (child processes).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseTemplate, renderTemplate } from '../../shared/templates/templates';
import { InputError } from '../../shared/errors';

const CLUSTER = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.BatchAI/workspaces/ws/clusters/gpu';

const load = (commandLine: string, type = 'string', extra: Record<string, unknown> = {}) =>
  parseTemplate(
    {
      properties: {
        customToolkitSettings: { commandLine },
        stdOutErrPathPrefix: '$AZ_BATCHAI_MOUNT_ROOT/afs',
        ...extra,
      },
      parameters: [
        type === 'choice'
          ? { name: 'm', type, values: ['a', 'b'], default: 'a' }
          : { name: 'm', type, ...(type === 'string' ? { pattern: '.*' } : {}), default: type === 'string' ? 'x' : 1 },
      ],
    },
    't',
  );

function refusal(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).code).toBe('TemplateInvalid');
    return (e as Error).message;
  }
  throw new Error('accepted');
}

describe('a placeholder where bash reads text again is refused at load, saying why', () => {
  test.each([
    ["# don't worry, msg is quoted\necho {{m}} `echo {{m}}`", 'backticks'],
    ['echo "${OUT:-"{{m}}"}"', '${…}'],
    ["bash -c 'echo {{m}}'", 'bash -c'],
    ['eval "echo {{m}}"', 'eval'],
    ['[[ {{m}} -gt 0 ]]', 'test with -gt'],
    ['echo $(( {{m}} + 1 ))', 'arithmetic'],
    ['cat <<EOF\n{{m}}\nEOF', 'here-document'],
    ['echo \\{{m}}', 'backslash'],
    ['declare {{m}}=1', 'name a variable'],
    ['a[{{m}}]=1', 'array subscript'],
  ])('%j', (commandLine, why) => {
    // Even a number: bash would evaluate the text, and the template chose that place.
    expect(refusal(() => load(commandLine, 'int'))).toContain(why);
  });
});

describe("another language's program text takes numbers and choices, not strings", () => {
  test.each([
    ["python3 -c 'print({{m}})'", 'python'],
    ["awk 'BEGIN { print {{m}} }'", 'awk'],
    ["sed -e 's/a/{{m}}/'", 'sed'],
    ["perl -ne 'print {{m}}'", 'perl'],
    ["printf '{{m}}\\n'", 'printf'],
    ['echo {{m}} | python3', 'piped'],
    ['{{m}} --help', 'command name'],
  ])('%j', (commandLine, tool) => {
    expect(refusal(() => load(commandLine))).toContain(tool);
    expect(() => load(commandLine, 'int')).not.toThrow();
    expect(() => load(commandLine, 'choice')).not.toThrow();
  });

  test('a number in python -c reaches python as the number', () => {
    const body = renderTemplate(load("python3 -c 'print({{m}} * 2)'", 'int'), { m: '21' }, { cluster: CLUSTER });
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', P_m: body.properties!.environmentVariables![0]!.value };
    expect(execFileSync('bash', ['-c', body.properties!.customToolkitSettings!.commandLine!], { env }).toString()).toBe(
      '42\n',
    );
  });
});

describe('names, ids and script paths', () => {
  test('a value never names an environment variable, and P_<parameter> is kept for the values', () => {
    expect(refusal(() => load('true', 'string', { environmentVariables: [{ name: '{{m}}', value: '1' }] }))).toContain(
      'names a variable',
    );
    expect(refusal(() => load('true', 'string', { secrets: [{ name: 'P_m', value: 'x' }] }))).toContain('P_m');
  });

  test('a script path follows the path rule; an output id takes letters, digits and _', () => {
    const t = parseTemplate(
      {
        properties: {
          pyTorchSettings: { pythonScriptFilePath: '$AZ_BATCHAI_MOUNT_ROOT/afs/{{s}}' },
          outputDirectories: [{ id: '{{s}}', pathPrefix: '$AZ_BATCHAI_MOUNT_ROOT/afs' }],
          stdOutErrPathPrefix: '$AZ_BATCHAI_MOUNT_ROOT/afs',
        },
        parameters: [{ name: 's', pattern: '.*' }],
      },
      't',
    );
    expect(() => renderTemplate(t, { s: '../../etc/x' }, { cluster: CLUSTER })).toThrow(/relative path/);
    expect(() => renderTemplate(t, { s: 'a/b' }, { cluster: CLUSTER })).toThrow(/letters, digits and _/);
    const p = renderTemplate(t, { s: 'train' }, { cluster: CLUSTER }).properties!;
    expect(p.pyTorchSettings!.pythonScriptFilePath).toBe('$AZ_BATCHAI_MOUNT_ROOT/afs/"${P_s}"');
    expect(p.outputDirectories![0]!.id).toBe('train');
  });

  test("a secret parameter's value is held among the job's secrets, not its environment variables", () => {
    const t = parseTemplate(
      {
        properties: {
          customToolkitSettings: { commandLine: 'login --token {{token}}' },
          secrets: [{ name: 'TOKEN', value: '{{token}}' }],
          stdOutErrPathPrefix: '$AZ_BATCHAI_MOUNT_ROOT/afs',
        },
        parameters: [{ name: 'token', pattern: '.*', required: true }],
      },
      't',
    );
    const p = renderTemplate(t, { token: 's3cr3t-value' }, { cluster: CLUSTER }).properties!;
    expect(p.environmentVariables).toBeUndefined();
    expect(p.secrets).toEqual([
      { name: 'TOKEN', value: 's3cr3t-value' },
      { name: 'P_token', value: 's3cr3t-value' },
    ]);
  });
});

test('the shipped train template still runs: epochs and lr inside single and double quotes', () => {
  const json = JSON.parse(readFileSync(join(__dirname, '../../templates/train.json'), 'utf8'));
  json.properties.customToolkitSettings.commandLine = json.properties.customToolkitSettings.commandLine.replace(
    'sleep 0.5; ',
    '',
  );
  const body = renderTemplate(parseTemplate(json, 'train'), { epochs: '2', lr: '0.1' }, { cluster: CLUSTER });
  const dir = mkdtempSync(join(tmpdir(), 'train-'));
  const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', AZ_BATCHAI_OUTPUT_MODEL: dir };
  for (const v of body.properties!.environmentVariables!) env[v.name] = v.value;
  try {
    const out = execFileSync('bash', ['-c', body.properties!.customToolkitSettings!.commandLine!], { env }).toString();
    expect(out).toContain('epoch 2/2 loss=');
    expect(out).toContain('lr=0.1\n');
    expect(readFileSync(join(dir, 'model.txt'), 'utf8')).toMatch(/^epochs=2\nlr=0.1\nloss=[\d.]+\n$/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

describe("a variable that holds a parameter's value is held to a string placeholder's rules", () => {
  const withEnv = (commandLine: string) =>
    load(commandLine, 'string', { environmentVariables: [{ name: 'GREETING', value: 'say {{m}}' }] });

  test.each([
    ['eval "echo $GREETING"', 'eval'],
    ['bash -c "echo $GREETING"', 'bash -c'],
    ['python3 -c "print(${GREETING})"', 'python'],
    ['echo $(( GREETING + 1 ))', 'arithmetic'],
    ['[[ GREETING -gt 0 ]]', 'test with -gt'],
    ['echo "$GREETING" | sh', 'piped'],
    ['$GREETING --x', 'command name'],
    ['echo "$P_m" | bash', 'piped'],
    [`awk 'BEGIN{system(ENVIRON["GREETING"])}'`, 'awk code that runs commands'],
  ])('%j is refused', (commandLine, why) => {
    expect(refusal(() => withEnv(commandLine))).toContain(why);
  });

  test.each([
    'echo "$GREETING from $AZ_BATCHAI_JOB_NAME"',
    'bash -c \'echo "$GREETING"\'',
    'printf "%s\\n" "${GREETING:-none}"',
    'X=$GREETING; echo "$X"',
  ])('%j is taken: bash expands it once', (commandLine) => {
    expect(() => withEnv(commandLine)).not.toThrow();
  });
});

describe('a variable the shell or an interpreter reads as code takes no placeholder', () => {
  test.each(['BASH_ENV', 'PATH', 'BASH_FUNC_echo%%', 'LD_PRELOAD', 'PYTHONSTARTUP', 'NODE_OPTIONS', 'PS4'])(
    '%s',
    (name) => {
      const why = refusal(() => load('echo hi', 'string', { environmentVariables: [{ name, value: '{{m}}' }] }));
      expect(why).toContain(`no {{placeholder}} in ${name}`);
      // A fixed value there is the template author's own choice.
      expect(() => load('echo hi', 'string', { environmentVariables: [{ name, value: '/opt/x' }] })).not.toThrow();
    },
  );

  test('a placeholder in an ordinary variable is still taken, and bash reads it as data', () => {
    const t = load('echo "$MSG"', 'string', { environmentVariables: [{ name: 'MSG', value: '{{m}}' }] });
    expect(t.name).toBe('t');
  });
});

describe('an option with a value before the code flag does not hide it', () => {
  test.each([
    ['bash -o errexit -c "echo {{m}}"', 'bash -c'],
    ['bash --rcfile /dev/null -c "echo {{m}}"', 'bash -c'],
    ['python3 -W ignore -c "print(\'{{m}}\')"', 'python'],
    ['python3 -X utf8 -c "print({{m}})"', 'python'],
  ])('%j is refused', (commandLine, why) => {
    expect(refusal(() => load(commandLine))).toContain(why);
  });
});

describe('a variable the command line sets from a placeholder is held to its rules', () => {
  test.each([
    ['X="{{m}}"; eval "echo $X"', 'eval'],
    ['export X={{m}}; bash -c "echo $X"', 'bash -c'],
    ['X="a {{m}}"; Y="$X"; eval "$Y"', 'eval'],
  ])('%j is refused', (commandLine, why) => {
    expect(refusal(() => load(commandLine))).toContain(why);
  });

  test('and is data where bash expands it once', () => {
    expect(() => load('X="{{m}}"; echo "$X"')).not.toThrow();
  });
});

describe('commands that hand an argument to a shell, and code variables set on the command line', () => {
  test.each([
    ['flock /tmp/l -c "echo {{m}}"', 'flock'],
    ['su root -c "echo {{m}}"', 'su'],
    ['script -qc "echo {{m}}"', 'script'],
    ['watch "echo {{m}}"', 'watch'],
    ['compgen -W "{{m}}"', 'compgen'],
    ['PS4="{{m}}"; set -x; echo', 'PS4'],
    ['export BASH_ENV="{{m}}"; bash x.sh', 'BASH_ENV'],
  ])('%j is refused', (commandLine, why) => {
    expect(refusal(() => load(commandLine))).toContain(why);
  });
});
