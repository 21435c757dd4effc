// Deterministic generators of hostile input for the torture suite: one seeded PRNG (mulberry32), so a
// failure names a case that the same seed reproduces. Every generator yields inputs that must be refused.

export type Rng = () => number;

export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;

/** Text that no name, id or number slot accepts: shell, traversal, control, unicode tricks, sizes. */
export const HOSTILE = [
  '; rm -rf /',
  '$(id)',
  '`id`',
  '../../etc/passwd',
  '..%2F..%2Fetc',
  '/etc/passwd',
  'a/b/c',
  'x y',
  'a|b',
  'a&b',
  '>out',
  '<in',
  '\u0000',
  '\u0007bell',
  'line\nbreak',
  '\u202eevil',
  'ｆｕｌｌ',
  '💥',
  '%00',
  '${IFS}',
  '\\',
  "'",
  '"',
  '*',
  '?',
  '{a,b}',
  '~root',
  'x'.repeat(65),
  'y'.repeat(5000),
  '--',
  '-rf',
  '.',
  '..',
  '',
];

const BAD_INTS = [
  '-1',
  '1001',
  '99999999999',
  '2147483648',
  '1e3',
  '0x10',
  '1.5',
  'NaN',
  'Infinity',
  '٣',
  '1_000',
  '+4',
  ' ',
  'four',
];

/** A line per command shape with one slot replaced by a value of the wrong kind: must be a parse failure. */
export function badChatLines(rng: Rng, count: number): string[] {
  const q = (s: string) => (/[\s"']/.test(s) || s === '' ? `"${s.replace(/"/g, '')}"` : s);
  const name = () =>
    q(
      pick(
        rng,
        HOSTILE.filter((h) => h !== '' && !/^[-\w]{1,64}$/.test(h)),
      ),
    );
  const int = () =>
    pick(
      rng,
      BAD_INTS.filter((b) => b.trim() !== ''),
    );
  const shapes: Array<() => string> = [
    () => `resize ${name()} 3`,
    () => `resize cpu ${int()}`,
    () => `autoscale cpu ${int()} 4`,
    () => `autoscale cpu 5 2`,
    () => `scale-to-zero ${name()}`,
    () => `cluster ${name()}`,
    () => `job ${name()}`,
    () => `logs ${name()}`,
    () => `logs j1 --lines ${int()}`,
    () => `terminate ${name()}`,
    () => `keep-up cpu ${pick(rng, ['0', '73', '1000', '-2', 'x'])}`,
    () => `submit ${name()}`,
    () => `submit hello ${pick(rng, ['=x', '1a=b', 'noequals', '-x=1'])}`,
    () => `submit hello --cluster ${name()}`,
    () => `submit hello --name ${name()}`,
    () => `approve ${q(pick(rng, ['a b', '$(id)', '../x', 'x'.repeat(129)]))}`,
    () => `use workspace ${name()}`,
    () => `jobs --state ${pick(rng, ['done', 'RUN', '*', 'x y'])}`,
    () => `subscribe --states ${pick(rng, ['nope', 'succeeded,,x', '*'])}`,
    () => `outputs j1 ${name()}`,
    () => `${pick(rng, ['rezise', 'kill', 'rm', 'sudo', 'exec', '$(id)', '💥', 'DROP'])} cpu 3`,
    () => `resize cpu 3 --${pick(rng, ['force', 'yes', 'x'])}`,
    () => `resize cpu`,
    () => `terminate`,
    () => `resize cpu 3 extra`,
    () => `submit hello "unterminated`,
  ];
  return Array.from({ length: count }, () => pick(rng, shapes)());
}

/** Card action payloads whose command is bad or missing, in each channel's wire shape. */
export function badActionActivities(
  rng: Rng,
  count: number,
  lines: string[],
): Array<{ channel: string; activity: Record<string, unknown> }> {
  const commandish = (): unknown => pick(rng, [pick(rng, lines), 42, null, { a: 1 }, ['resize cpu 1'], true, '']);
  const shapes: Array<() => { channel: string; activity: Record<string, unknown> }> = [
    () => ({
      channel: 'teams-invoke',
      activity: {
        type: 'invoke',
        name: 'adaptiveCard/action',
        value: { action: { type: 'Action.Execute', verb: 'command', data: { command: commandish() } } },
      },
    }),
    () => ({
      channel: 'teams-invoke',
      activity: {
        type: 'invoke',
        name: 'adaptiveCard/action',
        value: {
          action: {
            type: 'Action.Execute',
            verb: pick(rng, ['other', null, 7, '']),
            data: { command: 'resize cpu 1' },
          },
        },
      },
    }),
    () => ({
      channel: 'teams-invoke',
      activity: {
        type: 'invoke',
        name: 'adaptiveCard/action',
        value: pick(rng, [{}, null, { action: null }, { action: 'x' }, []]),
      },
    }),
    () => ({ channel: 'webchat-submit', activity: { type: 'message', text: '', value: { command: commandish() } } }),
    () => ({
      channel: 'webchat-submit',
      activity: {
        type: 'message',
        text: pick(rng, lines),
        value: pick(rng, [null, 7, 'str', [], { command: pick(rng, lines) }]),
      },
    }),
    () => ({
      channel: 'slack-block-actions',
      activity: {
        type: 'message',
        channelId: 'slack',
        text: '',
        channelData: {
          Payload: { type: 'block_actions', actions: [{ action_id: 'a', type: 'button', value: commandish() }] },
        },
      },
    }),
    () => ({
      channel: 'slack-block-actions',
      activity: {
        type: 'message',
        channelId: 'slack',
        text: '',
        channelData: {
          Payload: pick(rng, [null, { actions: null }, { actions: [null] }, { actions: 'x' }, { actions: [] }]),
        },
      },
    }),
  ];
  return Array.from({ length: count }, () => pick(rng, shapes)());
}

const VALID_TEMPLATE = () => ({
  description: 'd',
  parameters: [{ name: 'v', type: 'string', default: 'x' }],
  properties: {
    nodeCount: 1,
    customToolkitSettings: { commandLine: 'echo {{v}}' },
    stdOutErrPathPrefix: '$AZ_BATCHAI_MOUNT_ROOT/afs',
  },
});

/** Template files with one defect each: must be refused by parseTemplate with TemplateInvalid. */
export function badTemplateFiles(rng: Rng, count: number): unknown[] {
  const mutations: Array<(t: any) => unknown> = [
    (t) => ({ ...t, extra: pick(rng, HOSTILE) }),
    (t) => ({ ...t, properties: pick(rng, [null, [], 'x', 7]) }),
    (t) => ({ ...t, parameters: pick(rng, [{}, 'x', [null], [7]]) }),
    (t) => ({ ...t, parameters: [{ name: pick(rng, ['1a', 'a b', 'cluster', 'job', '', 'x'.repeat(65), '$(id)']) }] }),
    (t) => ({ ...t, parameters: [{ name: 'v', type: pick(rng, ['text', 'float', null, 7]) }] }),
    (t) => ({
      ...t,
      parameters: [{ name: 'v', pattern: pick(rng, ['(', '(?=a)', '(a)\\1', '(?<=a)b', 'a'.repeat(501), '[z-a]', 7]) }],
    }),
    (t) => ({ ...t, parameters: [{ name: 'v', type: 'int', default: pick(rng, ['x', 1.5, '1e99', {}]) }] }),
    (t) => ({ ...t, parameters: [{ name: 'v', default: pick(rng, ['a b', '$(id)', 'x'.repeat(1001)]) }] }),
    (t) => ({ ...t, parameters: [{ name: 'v', allowOption: pick(rng, ['yes', 1, null]) }] }),
    (t) => ({ ...t, parameters: [{ name: 'v', type: 'choice' }] }),
    (t) => ({ ...t, parameters: [{ name: 'v' }, { name: 'v' }] }),
    (t) => ({ ...t, properties: { ...t.properties, nodeCount: pick(rng, [0, -1, 1.5, 'x', null]) } }),
    (t) => ({
      ...t,
      properties: {
        ...t.properties,
        customToolkitSettings: {
          commandLine: pick(rng, [
            'echo `{{v}}`',
            'cat <<E\n{{v}}\nE',
            'echo \\{{v}}',
            'echo {{undeclared}}',
            'echo "${OUT:-"{{v}}"}"',
            "bash -c 'echo {{v}}'",
            'eval "echo {{v}}"',
            '[[ {{v}} -gt 0 ]]',
            'python3 -c \'print("{{v}}")\'',
            "# don't worry\necho `{{v}}`",
          ]),
        },
      },
    }),
    (t) => ({ ...t, properties: { ...t.properties, environmentVariables: [{ name: '{{v}}', value: 'x' }] } }),
    (t) => ({ ...t, properties: { ...t.properties, customToolkitSettings: undefined } }),
    (t) => ({ ...t, properties: { ...t.properties, cntkSettings: {} } }),
    (t) => ({ ...t, properties: { ...t.properties, stdOutErrPathPrefix: pick(rng, [undefined, 7, null]) } }),
    (t) => ({ ...t, properties: { ...t.properties, schedulingPriority: pick(rng, ['urgent', 7]) } }),
    (t) => ({ ...t, properties: { ...t.properties, [pick(rng, ['nodecount', 'evil', '__proto__x'])]: 1 } }),
    (t) => ({ ...t, properties: { ...t.properties, outputDirectories: pick(rng, [[{ id: 'M' }], 'x', [null]]) } }),
    () => pick(rng, [null, [], 'x', 7, true]),
  ];
  return Array.from({ length: count }, () => pick(rng, mutations)(VALID_TEMPLATE()));
}

/** Values for a template with a command-line slot and a path slot: each must be refused before rendering. */
export function badTemplateValues(rng: Rng, count: number): Array<Record<string, string>> {
  const shapes: Array<() => Record<string, string>> = [
    () => ({ dir: pick(rng, ['../x', 'a/../../b', '/etc', 'a b', '$HOME', '..', 'a;b', '~', 'a\nb', '%2e%2e']) }),
    () => ({ arg: pick(rng, ['-rf', '--output=/etc', '-', '-e x']) }),
    () => ({ arg: pick(rng, ['a\u0000b', 'a\tb', 'a\u001bb']) }),
    () => ({ arg: 'z'.repeat(1001 + Math.floor(rng() * 5000)) }),
    () => ({ n: pick(rng, ['0', '9', '-1', 'x', '1e3', '99999999999999999']) }),
    () => ({ [pick(rng, ['unknown', 'cluster', '__proto__', 'constructor'])]: 'x' }),
  ];
  return Array.from({ length: count }, () => pick(rng, shapes)());
}

/** Engine requests that must be refused: bad bodies, bad paths. `path` is below the engine URL, raw on the wire. */
export function badEngineRequests(
  rng: Rng,
  count: number,
  ws: string,
): Array<{ method: string; path: string; body?: string }> {
  const job = (props: Record<string, unknown>) =>
    JSON.stringify({
      properties: {
        cluster: { id: `${ws}/clusters/c1` },
        nodeCount: 1,
        stdOutErrPathPrefix: '$AZ_BATCHAI_MOUNT_ROOT/afs',
        customToolkitSettings: { commandLine: 'exit 0' },
        ...props,
      },
    });
  const big = () => pick(rng, [2147483647, 2 ** 53, 1e300, 101, 100000, -1, 1.5]);
  const badPath = () =>
    pick(rng, [
      '/tmp/x',
      '$AZ_BATCHAI_MOUNT_ROOT/../../../../../../x',
      '$HOME/x',
      'rel',
      '${AZ_BATCHAI_JOB_TEMP_DIR}/../../../../x',
      '$AZ_BATCHAI_MOUNT_ROOT/a/../../../../../../../../x',
    ]);
  const seg = () =>
    pick(rng, ['..%2F..', '%2e%2e', 'a%2Fb', '%E0%A4%A', 'x'.repeat(200), '%00', 'a%20b', '..', '$(id)', '%252e%252e']);
  const shapes: Array<() => { method: string; path: string; body?: string }> = [
    () => ({
      method: 'PUT',
      path: `${ws}/experiments/exp1/jobs/t${Math.floor(rng() * 1e6)}`,
      body: job({ nodeCount: big() }),
    }),
    () => ({
      method: 'PUT',
      path: `${ws}/experiments/exp1/jobs/t${Math.floor(rng() * 1e6)}`,
      body: job({ stdOutErrPathPrefix: badPath() }),
    }),
    () => ({
      method: 'PUT',
      path: `${ws}/experiments/exp1/jobs/t${Math.floor(rng() * 1e6)}`,
      body: job({ outputDirectories: [{ id: 'O', pathPrefix: badPath() }] }),
    }),
    () => ({
      method: 'PUT',
      path: `${ws}/experiments/exp1/jobs/t${Math.floor(rng() * 1e6)}`,
      body: job({
        outputDirectories: [
          {
            id: 'O',
            pathPrefix: '$AZ_BATCHAI_MOUNT_ROOT/afs',
            pathSuffix: pick(rng, ['../../../../x', '/x', '$HOME']),
          },
        ],
      }),
    }),
    () => ({
      method: 'PUT',
      path: `${ws}/experiments/exp1/jobs/t${Math.floor(rng() * 1e6)}`,
      body: job({
        mountVolumes: {
          unmanagedFileSystems: [{ mountCommand: 'x', relativeMountPath: pick(rng, ['../x', '/x', '..']) }],
        },
      }),
    }),
    () => ({
      method: 'PUT',
      path: `${ws}/experiments/exp1/jobs/t${Math.floor(rng() * 1e6)}`,
      body: job({
        customToolkitSettings: undefined,
        tensorFlowSettings: { pythonScriptFilePath: 'a.py', workerCount: big() },
      }),
    }),
    () => ({
      method: 'PUT',
      path: `${ws}/experiments/exp1/jobs/t${Math.floor(rng() * 1e6)}`,
      body: job(
        pick(rng, [
          { nodeCount: pick(rng, ['x', [], true, { a: 1 }]) },
          { cluster: pick(rng, ['x', [], true, { a: 1 }, 7]) },
          { secrets: pick(rng, ['x', true, { a: 1 }, 7, [7]]) },
          { mountVolumes: pick(rng, ['x', [], true, 7]) },
        ]),
      ),
    }),
    () => ({
      method: 'PUT',
      path: `${ws}/experiments/exp1/jobs/t${Math.floor(rng() * 1e6)}`,
      body: pick(rng, ['{', 'null', '[]', '"x"', '{"properties":null}', '{"properties":[]}', '7']),
    }),
    () => ({
      method: 'PATCH',
      path: `${ws}/clusters/c1`,
      body: JSON.stringify({
        properties: {
          scaleSettings: pick(rng, [
            { manual: { targetNodeCount: big() } },
            { autoScale: { minimumNodeCount: 0, maximumNodeCount: big() } },
            { manual: { targetNodeCount: 'x' } },
          ]),
        },
      }),
    }),
    () => ({
      method: 'PUT',
      path: `${ws}/clusters/t${Math.floor(rng() * 1e6)}`,
      body: JSON.stringify({
        properties: {
          vmSize: 'STANDARD_NC6',
          userAccountSettings: { adminUserName: 'u' },
          scaleSettings: { manual: { targetNodeCount: big() } },
        },
      }),
    }),
    () => ({
      method: 'PUT',
      path: `${ws}/clusters/t${Math.floor(rng() * 1e6)}`,
      body: JSON.stringify({
        properties: {
          vmSize: 'STANDARD_NC6',
          userAccountSettings: { adminUserName: 'u' },
          nodeSetup: { setupTask: { commandLine: 'x', stdOutErrPathPrefix: badPath() } },
        },
      }),
    }),
    () => ({ method: 'GET', path: `/subscriptions/${seg()}/resourceGroups/rg/providers/Microsoft.BatchAI/workspaces` }),
    () => ({
      method: 'PUT',
      path: `/subscriptions/${seg()}/resourceGroups/rg/providers/Microsoft.BatchAI/workspaces/w`,
      body: '{"location":"eastus"}',
    }),
    () => ({
      method: 'PUT',
      path: `${ws.replace(/workspaces\/.*/, `workspaces/${seg()}`)}`,
      body: '{"location":"eastus"}',
    }),
    () => ({ method: 'PUT', path: `${ws}/experiments/${seg()}`, body: '{}' }),
    () => ({ method: 'PUT', path: `${ws}/experiments/exp1/jobs/${seg()}`, body: job({}) }),
    () => ({
      method: 'POST',
      path: `${ws}/experiments/exp1/jobs/none/listOutputFiles?outputdirectoryid=stdouterr&directory=${seg()}`,
    }),
  ];
  return Array.from({ length: count }, () => pick(rng, shapes)());
}

/** Files endpoint paths that must not serve anything: traversal, encoded separators, links, no or bad SAS. */
export function badFilePaths(rng: Rng, count: number, signedQuery: string): string[] {
  const seg = () => pick(rng, ['..', '%2e%2e', '%2E%2E', '..%2F..', 'a%2Fb', '%5C..', '%00', '%E0%A4%A', '.']);
  const shapes: Array<() => string> = [
    () => `/acct/share1/${seg()}/${seg()}/etc/passwd?${signedQuery}`,
    () => `/acct/${seg()}/etc/passwd?${signedQuery}`,
    () => `/${seg()}/share1/x?${signedQuery}`,
    () => `/acct/share1/escape-link/hostname?${signedQuery}`,
    () => {
      const forged = '?' + signedQuery.replace(/sig=[^&]+/, 'sig=forged');
      return `/acct/share1/stdout.txt${pick(rng, ['', '?sig=x', '?sv=1&se=2&sp=r&sr=f&sig=AAAA', forged])}`;
    },
    () => `/acct/other/x?${signedQuery}`,
  ];
  return Array.from({ length: count }, () => pick(rng, shapes)());
}
