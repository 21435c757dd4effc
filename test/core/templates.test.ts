import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseTemplate, renderTemplate, type Template } from '../../shared/templates/templates';
import { InputError } from '../../shared/errors';
import { redactJobRequest } from '../../shared/core/redact';
import { seedJobs } from '../fixtures/seed-jobs';

const TEMPLATES = join(__dirname, '../../templates');
const CLUSTER =
  '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg' +
  '/providers/Microsoft.BatchAI/workspaces/ws/clusters/gpu';

const expectInputError = (f: () => unknown, code: string, ...words: string[]) => {
  let err: unknown;
  try {
    f();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(InputError);
  expect((err as InputError).code).toBe(code);
  for (const w of words) expect((err as Error).message).toContain(w);
};

const shipped = (name: string): Template =>
  parseTemplate(JSON.parse(readFileSync(join(TEMPLATES, `${name}.json`), 'utf8')), name);

describe('seed job.json files', () => {
  const jobs = seedJobs();
  test('the seeds hold job definitions (chainer recipe, cntk reference)', () => {
    expect(jobs.map((j) => j.file).sort()).toEqual(['recipe-chainer-gpu-distributed.md', 'using-azure-cli-batchai.md']);
  });

  test.each(jobs.map((j) => [j.file, j.json] as const))(
    '%s parses as a template and renders with a cluster',
    (_file, json) => {
      const t = parseTemplate(json, 'seed');
      expect(t.parameters).toEqual([]);
      const body = renderTemplate(t, {}, { cluster: CLUSTER });
      expect(body.properties?.cluster).toEqual({ id: CLUSTER });
      expect(body.properties?.nodeCount).toBeGreaterThanOrEqual(1);
      expect(body.properties?.stdOutErrPathPrefix).toBe(
        (json as { properties: { stdOutErrPathPrefix: string } }).properties.stdOutErrPathPrefix,
      );
    },
  );
});

describe('shipped templates', () => {
  test('ddp-linear runs the script from the cluster share on {{nodes}} (a number) nodes, epochs and lr as args', () => {
    const body = renderTemplate(shipped('ddp-linear'), { nodes: '3', epochs: '7' }, { cluster: CLUSTER });
    expect(body.properties?.nodeCount).toBe(3);
    expect(body.properties?.pyTorchSettings).toEqual({
      pythonScriptFilePath: '$AZ_BATCHAI_MOUNT_ROOT/afs/examples/ddp-linear/train.py',
      commandLineArgs: '--epochs "${P_epochs}" --lr "${P_lr}" --out $AZ_BATCHAI_OUTPUT_MODEL',
    });
    expect(body.properties?.environmentVariables).toEqual([
      { name: 'P_epochs', value: '7' },
      { name: 'P_lr', value: '0.5' },
    ]);
    expectInputError(
      () => renderTemplate(shipped('ddp-linear'), { nodes: '9' }, { cluster: CLUSTER }),
      'TemplateBadValue',
      'nodes',
    );
  });

  test('hello renders with defaults and with values', () => {
    const t = shipped('hello');
    expect(t.parameters.map((p) => p.name)).toEqual(['greeting', 'seconds']);
    const body = renderTemplate(t, {}, { cluster: { id: CLUSTER } });
    expect(body.properties?.customToolkitSettings?.commandLine).toContain('sleep "${P_seconds}";');
    expect(body.properties?.environmentVariables).toEqual([
      { name: 'GREETING', value: 'hello' },
      { name: 'P_seconds', value: '3' },
    ]);
    expect(body.properties?.stdOutErrPathPrefix).toBe('$AZ_BATCHAI_MOUNT_ROOT/afs');
    // Free text goes through an environment variable, so it may hold shell characters harmlessly.
    const custom = renderTemplate(t, { greeting: 'hi "there"; rm -rf /', seconds: '10' }, { cluster: CLUSTER });
    expect(custom.properties?.environmentVariables?.[0].value).toBe('hi "there"; rm -rf /');
    expect(custom.properties?.environmentVariables?.[1]).toEqual({ name: 'P_seconds', value: '10' });
    expectInputError(
      () => renderTemplate(t, { seconds: '61' }, { cluster: CLUSTER }),
      'TemplateBadValue',
      'seconds',
      'from 0 to 60',
    );
  });

  test('train renders epochs and lr into its command line and has a MODEL output', () => {
    const body = renderTemplate(shipped('train'), { epochs: '2', lr: '0.1' }, { cluster: CLUSTER });
    const cmd = body.properties?.customToolkitSettings?.commandLine ?? '';
    expect(cmd).toContain('seq 1 "${P_epochs}")');
    expect(cmd).toContain('-v lr="${P_lr}" ');
    expect(cmd).toContain(`printf 'epochs='"\${P_epochs}"'\\nlr='"\${P_lr}"'`);
    expect(cmd).not.toContain('{{');
    expect(body.properties?.environmentVariables).toEqual([
      { name: 'P_epochs', value: '2' },
      { name: 'P_lr', value: '0.1' },
    ]);
    expect(body.properties?.outputDirectories?.[0].id).toBe('MODEL');
    expectInputError(
      () => renderTemplate(shipped('train'), { lr: '$(reboot)' }, { cluster: CLUSTER }),
      'TemplateBadValue',
      'lr',
      'a number',
    );
  });
});

const base = (extra: Record<string, unknown> = {}, props: Record<string, unknown> = {}) => ({
  properties: {
    customToolkitSettings: { commandLine: 'echo {{msg}}' },
    stdOutErrPathPrefix: '$AZ_BATCHAI_MOUNT_ROOT/afs',
    ...props,
  },
  parameters: [{ name: 'msg', type: 'string', default: 'hi' }],
  ...extra,
});

describe('parseTemplate refuses bad shapes, naming the field', () => {
  const cases: Array<[string, unknown, string[]]> = [
    ['not an object', [], ['t: expected an object', 'an array']],
    ['no properties', { parameters: [] }, ['t.properties: expected an object']],
    ['unknown top-level field', base({ extra: 1 }), ['t.extra', 'no such field']],
    ['misspelt property', base({}, { nodecount: 1 }), ['t.properties.nodecount', 'no such field']],
    [
      'no stdOutErrPathPrefix',
      base({}, { stdOutErrPathPrefix: undefined }),
      ['t.properties.stdOutErrPathPrefix', 'a non-empty string'],
    ],
    ['no toolkit', base({}, { customToolkitSettings: undefined }), ['exactly one toolkit']],
    ['two toolkits', base({}, { cntkSettings: {} }), ['cntkSettings and customToolkitSettings']],
    [
      'toolkit missing its script',
      base({}, { customToolkitSettings: undefined, pyTorchSettings: {} }),
      ['t.properties.pyTorchSettings.pythonScriptFilePath'],
    ],
    ['bad nodeCount', base({}, { nodeCount: 0 }), ['t.properties.nodeCount', 'whole number ≥ 1']],
    ['bad cluster', base({}, { cluster: { name: 'x' } }), ['t.properties.cluster.id']],
    [
      'bad output directory',
      base({}, { outputDirectories: [{ id: 'M' }] }),
      ['t.properties.outputDirectories[0].pathPrefix'],
    ],
    ['bad priority', base({}, { schedulingPriority: 'urgent' }), ['schedulingPriority', 'low, normal or high']],
    [
      'bad mount',
      base({}, { mountVolumes: { azureFileShares: [{ azureFileUrl: 'u' }] } }),
      ['azureFileShares[0].relativeMountPath'],
    ],
    ['undeclared placeholder', base({ parameters: [] }), ['customToolkitSettings.commandLine', 'declare "msg"']],
    [
      'parameter type',
      base({ parameters: [{ name: 'msg', type: 'text' }] }),
      ['t.parameters[0].type', 'one of string, int'],
    ],
    ['parameter name', base({ parameters: [{ name: '1msg' }] }), ['t.parameters[0].name']],
    ['reserved parameter', base({ parameters: [{ name: 'cluster' }] }), ['filled from the submit command']],
    [
      'duplicate parameter',
      base({ parameters: [{ name: 'msg' }, { name: 'msg' }] }),
      ['t.parameters[1].name', 'not used by another'],
    ],
    ['choice without values', base({ parameters: [{ name: 'msg', type: 'choice' }] }), ['t.parameters[0].values']],
    [
      'bad default',
      base({ parameters: [{ name: 'msg', type: 'int', default: 'x' }] }),
      ['t.parameters[0].default', 'whole number'],
    ],
    [
      'bad pattern',
      base({ parameters: [{ name: 'msg', pattern: '(' }] }),
      ['t.parameters[0].pattern', 'regular expression'],
    ],
    [
      'backreference pattern',
      base({ parameters: [{ name: 'msg', pattern: '(a)\\1' }] }),
      ['t.parameters[0].pattern', 'RE2', 'no lookaround or backreferences'],
    ],
    [
      'long pattern',
      base({ parameters: [{ name: 'msg', pattern: 'a'.repeat(501) }] }),
      ['t.parameters[0].pattern', 'at most 500'],
    ],
    [
      'placeholder in backticks',
      base({}, { customToolkitSettings: { commandLine: 'echo `{{msg}}`' } }),
      ['commandLine', 'inside backticks'],
    ],
    [
      'placeholder after a backslash',
      base({}, { customToolkitSettings: { commandLine: 'echo \\{{msg}}' } }),
      ['commandLine', 'after a backslash'],
    ],
    [
      'allowOption not a flag',
      base({ parameters: [{ name: 'msg', allowOption: 'yes' }] }),
      ['t.parameters[0].allowOption', 'true or false'],
    ],
    ['unknown parameter field', base({ parameters: [{ name: 'msg', kind: 'x' }] }), ['t.parameters[0].kind']],
  ];
  test.each(cases)('%s', (_name, json, words) =>
    expectInputError(() => parseTemplate(json, 't'), 'TemplateInvalid', ...words),
  );

  test('a bad template name', () => expectInputError(() => parseTemplate(base(), 'a b'), 'TemplateInvalid', '1-64'));
});

describe('renderTemplate refuses values before building anything', () => {
  const t = parseTemplate(
    {
      properties: {
        nodeCount: '{{nodes}}',
        customToolkitSettings: {
          commandLine: 'run --mode {{mode}} --tag {{tag}} --note {{note}} --fast {{fast}} --rate {{rate}}',
        },
        environmentVariables: [
          { name: 'TITLE', value: '{{title}}' },
          { name: 'EXP', value: '{{experiment}}/{{job}}' },
        ],
        stdOutErrPathPrefix: '$AZ_BATCHAI_MOUNT_ROOT/afs',
      },
      parameters: [
        { name: 'nodes', type: 'int', default: 1, min: 1, max: 4 },
        { name: 'mode', type: 'choice', values: ['fast', 'slow'], default: 'fast' },
        { name: 'tag', type: 'string', required: true },
        { name: 'note', type: 'string', pattern: '.*', default: 'x' },
        { name: 'fast', type: 'bool', default: false },
        { name: 'rate', type: 'number', default: 0.5, min: 0, max: 1 },
        { name: 'title', type: 'string', pattern: '.{1,50}', default: 'run' },
      ],
    },
    't',
  );
  const ok = { tag: 'v1' };

  test('substitutes typed and canonical values', () => {
    const body = renderTemplate(
      t,
      { ...ok, nodes: '03', fast: 'yes', rate: '.25', title: 'a b & c' },
      { cluster: CLUSTER, experiment: 'exp', name: 'job1' },
    );
    expect(body.properties?.nodeCount).toBe(3);
    expect(body.properties?.customToolkitSettings?.commandLine).toBe(
      'run --mode "${P_mode}" --tag "${P_tag}" --note "${P_note}" --fast "${P_fast}" --rate "${P_rate}"',
    );
    expect(body.properties?.environmentVariables).toEqual([
      { name: 'TITLE', value: 'a b & c' },
      { name: 'EXP', value: 'exp/job1' },
      { name: 'P_mode', value: 'fast' },
      { name: 'P_tag', value: 'v1' },
      { name: 'P_note', value: 'x' },
      { name: 'P_fast', value: 'true' },
      { name: 'P_rate', value: '0.25' },
    ]);
  });

  const bad: Array<[string, Record<string, string>, string, string[]]> = [
    [
      'unknown key',
      { ...ok, colour: 'red' },
      'TemplateUnknownParameter',
      ['no parameter colour', 'one of nodes, mode'],
    ],
    ['missing required', {}, 'TemplateMissingParameter', ['needs tag', 'tag=<string>']],
    ['int type', { ...ok, nodes: 'two' }, 'TemplateBadValue', ['nodes', 'whole number from 1 to 4']],
    ['int range', { ...ok, nodes: '5' }, 'TemplateBadValue', ['from 1 to 4']],
    ['number type', { ...ok, rate: '1/2' }, 'TemplateBadValue', ['rate', 'a number']],
    ['bool', { ...ok, fast: 'maybe' }, 'TemplateBadValue', ['true or false']],
    ['choice', { ...ok, mode: 'turbo' }, 'TemplateBadValue', ['one of fast, slow']],
    ['default pattern refuses spaces', { tag: 'a b' }, 'TemplateBadValue', ['tag', 'no spaces']],
    ['default pattern refuses substitution', { tag: '$(id)' }, 'TemplateBadValue', ['tag']],
    ['declared pattern', { ...ok, title: 'x'.repeat(51) }, 'TemplateBadValue', ['title', 'matching .{1,50}']],
    [
      'an option in a command line',
      { tag: '--output=/etc' },
      'TemplateUnsafeValue',
      ['tag', 'starting with -', 'allowOption'],
    ],
    [
      'an option despite a permissive pattern',
      { ...ok, note: '-rf' },
      'TemplateUnsafeValue',
      ['note', 'customToolkitSettings.commandLine', 'starting with -'],
    ],
  ];
  test.each(bad)('%s', (_name, values, code, words) =>
    expectInputError(() => renderTemplate(t, values, { cluster: CLUSTER }), code, ...words),
  );

  test('a template with no cluster needs one from the command', () => {
    expectInputError(() => renderTemplate(parseTemplate(base(), 't'), {}, {}), 'TemplateNoCluster', '--cluster');
  });

  test('reserved placeholders need their overrides', () => {
    expectInputError(
      () => renderTemplate(t, ok, { cluster: CLUSTER, name: 'j' }),
      'TemplateMissingParameter',
      '{{experiment}}',
      '--experiment',
    );
  });

  test('does not change the template', () => {
    const before = JSON.stringify(t);
    renderTemplate(t, ok, { cluster: CLUSTER, experiment: 'e', name: 'j' });
    expect(JSON.stringify(t)).toBe(before);
  });
});

describe('redactJobRequest', () => {
  test('hides secret values, keys, passwords and SAS signatures; keeps the rest', () => {
    const body = renderTemplate(
      parseTemplate(
        {
          properties: {
            customToolkitSettings: { commandLine: 'echo hi' },
            stdOutErrPathPrefix: '$AZ_BATCHAI_MOUNT_ROOT/afs',
            secrets: [{ name: 'TOKEN', value: 's3cret' }],
            environmentVariables: [{ name: 'PLAIN', value: 'visible' }],
            mountVolumes: {
              azureFileShares: [
                {
                  azureFileUrl: 'https://a.file.core.windows.net/s?sv=1&sig=abc%2F',
                  relativeMountPath: 'afs',
                  credentials: { accountKey: 'KEY==', sasToken: 'SAS-TOKEN' },
                },
              ],
            },
            containerSettings: { imageSourceRegistry: { image: 'x', credentials: { username: 'u', password: 'pw' } } },
          },
        },
        't',
      ),
      {},
      { cluster: CLUSTER },
    );
    const text = JSON.stringify(redactJobRequest(body));
    for (const secret of ['s3cret', 'KEY==', 'SAS-TOKEN', '"pw"', 'abc%2F']) expect(text).not.toContain(secret);
    expect(text).toContain('"visible"');
    expect(text).toContain('"username":"u"');
    expect(text).toContain('sig=***');
  });
});
