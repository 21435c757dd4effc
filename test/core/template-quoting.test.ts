import { execFileSync } from 'node:child_process';
import { parseTemplate, renderTemplate } from '../../shared/templates/templates';
import { InputError } from '../../shared/errors';
import type { JobCreateParameters } from '../../shared/compute/job-file';

const CLUSTER = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.BatchAI/workspaces/ws/clusters/gpu';
const HOSTILE = [
  'x; echo pwned',
  '$(echo pwned)',
  '`echo pwned`',
  "it's",
  'a "b" c',
  'back\\slash',
  '$HOME',
  '*',
  '',
  '!x',
  '~',
  '>out',
];

const template = (commandLine: string, settings = 'customToolkitSettings', key = 'commandLine') =>
  parseTemplate(
    {
      properties: {
        [settings]:
          settings === 'customToolkitSettings'
            ? { [key]: commandLine }
            : { pythonScriptFilePath: 'train.py', [key]: commandLine },
        stdOutErrPathPrefix: '$AZ_BATCHAI_MOUNT_ROOT/afs',
      },
      parameters: [{ name: 'v', type: 'string', pattern: '(?s).{0,100}' }],
    },
    't',
  );

/** What bash prints for a rendered command line, run with the job's environment as the engine runs it. */
const run = (body: JobCreateParameters, cmd = body.properties!.customToolkitSettings!.commandLine!): string => {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: '/nowhere' };
  for (const v of [...(body.properties!.environmentVariables ?? []), ...(body.properties!.secrets ?? [])])
    env[v.name] = v.value ?? '';
  return execFileSync('bash', ['-c', cmd], { encoding: 'utf8', env });
};

describe('a value in a command line is one literal word, wherever the template put it', () => {
  const places: Array<[string, string, (v: string) => string]> = [
    ['bare', `printf '[%s]' {{v}}`, (v) => `[${v}]`],
    ['inside double quotes', `printf '[%s]' "<{{v}}>"`, (v) => `[<${v}>]`],
    ['inside single quotes', `printf '[%s]' '<{{v}}>'`, (v) => `[<${v}>]`],
    ['inside $( ) inside double quotes', `printf '[%s]' "$(printf '%s' {{v}})"`, (v) => `[${v}]`],
    ['glued to an option', `printf '[%s]' --name={{v}}`, (v) => `[--name=${v}]`],
    ["inside $'…'", `printf '[%s]' $'<\\t{{v}}>'`, (v) => `[<\t${v}>]`],
    ['after a comment with an apostrophe', `# don't worry, it's quoted\nprintf '[%s]' {{v}}`, (v) => `[${v}]`],
    ['after a here-document', `cat <<'EOF' >/dev/null\ndon't\nEOF\nprintf '[%s]' "{{v}}"`, (v) => `[${v}]`],
    ['after a line continuation', `printf '[%s]' \\\n  '<{{v}}>'`, (v) => `[<${v}>]`],
  ];
  for (const [where, cmd, expected] of places) {
    test.each(HOSTILE)(`${where}: %j`, (v) => {
      const body = renderTemplate(template(cmd), { v }, { cluster: CLUSTER });
      expect(run(body)).toBe(expected(v));
    });
  }

  test('lower-case commandLineArgs of every framework is a command line too', () => {
    for (const settings of ['pyTorchSettings', 'chainerSettings', 'horovodSettings', 'caffe2Settings']) {
      const body = renderTemplate(
        template('--x {{v}}', settings, 'commandLineArgs'),
        { v: 'x; echo pwned' },
        { cluster: CLUSTER },
      );
      expect(
        (body.properties as unknown as Record<string, { commandLineArgs: string }>)[settings]!.commandLineArgs,
      ).toBe('--x "${P_v}"');
      expect(body.properties!.environmentVariables).toEqual([{ name: 'P_v', value: 'x; echo pwned' }]);
    }
  });

  test('tensorFlow master/worker/ps args and job preparation are quoted', () => {
    const t = parseTemplate(
      {
        properties: {
          tensorFlowSettings: {
            pythonScriptFilePath: 'a.py',
            masterCommandLineArgs: '{{v}}',
            workerCommandLineArgs: '{{v}}',
            parameterServerCommandLineArgs: '{{v}}',
          },
          jobPreparation: { commandLine: 'echo {{v}}' },
          stdOutErrPathPrefix: '$AZ_BATCHAI_MOUNT_ROOT/afs',
        },
        parameters: [{ name: 'v', pattern: '.*' }],
      },
      't',
    );
    const p = renderTemplate(t, { v: 'a b' }, { cluster: CLUSTER }).properties!;
    expect([
      p.tensorFlowSettings!.masterCommandLineArgs,
      p.tensorFlowSettings!.workerCommandLineArgs,
      p.tensorFlowSettings!.parameterServerCommandLineArgs,
      p.jobPreparation!.commandLine,
    ]).toEqual(['"${P_v}"', '"${P_v}"', '"${P_v}"', 'echo "${P_v}"']);
  });

  test('control characters are refused', () => {
    expect(() => renderTemplate(template('run {{v}}'), { v: 'a\tb' }, { cluster: CLUSTER })).toThrow(/printable/);
  });

  test('a leading - is refused unless the parameter allows options', () => {
    expect(() => renderTemplate(template('run {{v}}'), { v: '--rm' }, { cluster: CLUSTER })).toThrow(/starting with -/);
    const t = parseTemplate(
      {
        properties: {
          customToolkitSettings: { commandLine: 'run {{v}}' },
          stdOutErrPathPrefix: '$AZ_BATCHAI_MOUNT_ROOT/afs',
        },
        parameters: [{ name: 'v', allowOption: true }],
      },
      't',
    );
    expect(renderTemplate(t, { v: '--fast' }, { cluster: CLUSTER }).properties!.environmentVariables).toEqual([
      { name: 'P_v', value: '--fast' },
    ]);
  });
});

describe('a value in a path stays inside', () => {
  const t = parseTemplate(
    {
      properties: {
        customToolkitSettings: { commandLine: 'true' },
        stdOutErrPathPrefix: '$AZ_BATCHAI_MOUNT_ROOT/afs/{{dir}}',
        outputDirectories: [{ id: 'M', pathPrefix: '$AZ_BATCHAI_MOUNT_ROOT/{{dir}}', pathSuffix: '{{dir}}' }],
        mountVolumes: { unmanagedFileSystems: [{ mountCommand: 'mount x', relativeMountPath: '{{dir}}' }] },
      },
      parameters: [{ name: 'dir', pattern: '(?s).*' }],
    },
    't',
  );

  test.each(['../x', 'a/../../b', '/etc', 'a b', 'a;b', '$HOME', '..', 'a\nb'])('%j is refused', (dir) => {
    try {
      renderTemplate(t, { dir }, { cluster: CLUSTER });
      throw new Error('rendered');
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      expect((e as InputError).code).toBe('TemplateUnsafeValue');
      expect((e as Error).message).toMatch(/stdOutErrPathPrefix.*(relative path|printable)/);
    }
  });

  test('a plain relative path is taken', () => {
    const p = renderTemplate(t, { dir: 'runs/a-1_b.2' }, { cluster: CLUSTER }).properties!;
    expect(p.stdOutErrPathPrefix).toBe('$AZ_BATCHAI_MOUNT_ROOT/afs/runs/a-1_b.2');
    expect(p.mountVolumes!.unmanagedFileSystems![0]!.relativeMountPath).toBe('runs/a-1_b.2');
  });
});

describe('patterns run in linear time on bounded input', () => {
  test('(a+)+ against 10,000 characters answers at once', () => {
    const t = parseTemplate(
      {
        properties: {
          customToolkitSettings: { commandLine: 'echo {{v}}' },
          stdOutErrPathPrefix: '$AZ_BATCHAI_MOUNT_ROOT/afs',
        },
        parameters: [{ name: 'v', pattern: '(a+)+' }],
      },
      't',
    );
    const started = process.hrtime.bigint();
    expect(() => renderTemplate(t, { v: `${'a'.repeat(999)}b` }, { cluster: CLUSTER })).toThrow(/matching/);
    expect(() => renderTemplate(t, { v: 'a'.repeat(10_000) }, { cluster: CLUSTER })).toThrow(/at most 1000 characters/);
    // Backtracking engines take seconds on 30 characters; RE2 is linear.
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(500);
  });
});
