import { parseCommand } from '../../shared/core/grammar';
import { commandText } from '../../shared/core/command-text';
import { COMMANDS, usageOf } from '../../shared/core/command-table';
import type { Command, CommandKind } from '../../shared/core/commands';

// Each well-formed line and the exact Command it must parse to.
const GOOD: Array<[string, Command]> = [
  ['help', { kind: 'help' }],
  ['help Submit', { kind: 'help', topic: 'submit' }],
  ['clusters', { kind: 'clusters' }],
  ['cluster gpu', { kind: 'cluster', cluster: 'gpu' }],
  ['jobs', { kind: 'jobs', mine: false }],
  ['jobs mnist --state running --mine', { kind: 'jobs', experiment: 'mnist', state: 'running', mine: true }],
  ['jobs --state=FAILED', { kind: 'jobs', state: 'failed', mine: false }],
  ['job job7', { kind: 'job', job: { job: 'job7' } }],
  ['job mnist/job7', { kind: 'job', job: { experiment: 'mnist', job: 'job7' } }],
  ['logs job7', { kind: 'logs', job: { job: 'job7' }, stderr: false }],
  ['logs e/j --lines 100 --stderr', { kind: 'logs', job: { experiment: 'e', job: 'j' }, lines: 100, stderr: true }],
  ['logs j --lines=1', { kind: 'logs', job: { job: 'j' }, lines: 1, stderr: false }],
  ['outputs job7', { kind: 'outputs', job: { job: 'job7' } }],
  ['outputs job7 MODEL', { kind: 'outputs', job: { job: 'job7' }, directory: 'MODEL' }],
  ['templates', { kind: 'templates' }],
  ['template hello', { kind: 'template', template: 'hello' }],
  ['submit hello', { kind: 'submit', template: 'hello', params: {}, dryRun: false }],
  [
    'submit train epochs=5 lr=0.01 --cluster gpu --experiment mnist --name run_1 --dry-run',
    {
      kind: 'submit',
      template: 'train',
      params: { epochs: '5', lr: '0.01' },
      cluster: 'gpu',
      experiment: 'mnist',
      name: 'run_1',
      dryRun: true,
    },
  ],
  [
    'submit hello greeting="hi there"',
    { kind: 'submit', template: 'hello', params: { greeting: 'hi there' }, dryRun: false },
  ],
  [
    'submit hello greeting=“curly quotes”',
    { kind: 'submit', template: 'hello', params: { greeting: 'curly quotes' }, dryRun: false },
  ],
  ['submit hello note= ', { kind: 'submit', template: 'hello', params: { note: '' }, dryRun: false }],
  ['resize gpu 4', { kind: 'resize', cluster: 'gpu', nodes: 4 }],
  ['resize gpu 0', { kind: 'resize', cluster: 'gpu', nodes: 0 }],
  ['autoscale gpu 0 4', { kind: 'autoscale', cluster: 'gpu', min: 0, max: 4 }],
  ['auto-scale gpu 2 2', { kind: 'autoscale', cluster: 'gpu', min: 2, max: 2 }],
  ['scale-to-zero gpu', { kind: 'scale-to-zero', cluster: 'gpu' }],
  ['terminate job7', { kind: 'terminate', job: { job: 'job7' }, confirmed: false }],
  ['terminate e/job7 --yes', { kind: 'terminate', job: { experiment: 'e', job: 'job7' }, confirmed: true }],
  ['subscribe', { kind: 'subscribe', filter: {}, mine: false }],
  [
    'subscribe --experiment e --cluster c --job j --mine --states succeeded,failed,cluster',
    {
      kind: 'subscribe',
      filter: { experiment: 'e', cluster: 'c', job: 'j', states: ['succeeded', 'failed', 'cluster'] },
      mine: true,
    },
  ],
  ['subscribe --job e/j', { kind: 'subscribe', filter: { experiment: 'e', job: 'j' }, mine: false }],
  ['unsubscribe', { kind: 'unsubscribe' }],
  ['unsubscribe 3f2a-99', { kind: 'unsubscribe', id: '3f2a-99' }],
  ['subscriptions', { kind: 'subscriptions' }],
  ['use workspace demo', { kind: 'use', what: 'workspace', name: 'demo' }],
  ['USE Experiment mnist', { kind: 'use', what: 'experiment', name: 'mnist' }],
  ['approve 7c1e', { kind: 'approve', approval: '7c1e' }],
  ['reject 7c1e', { kind: 'reject', approval: '7c1e' }],
  ['keep-up gpu', { kind: 'keep-up', cluster: 'gpu', hours: 1 }],
  ['keep-up gpu 3', { kind: 'keep-up', cluster: 'gpu', hours: 3 }],
  ['keep-waiting exp/job7', { kind: 'keep-waiting', job: { experiment: 'exp', job: 'job7' } }],
  ['roles', { kind: 'roles' }],
  ['roles grant eve Operator', { kind: 'roles-grant', user: 'eve', role: 'operator' }],
  [
    'roles grant 29:1abc-DEF approver --workspace demo',
    { kind: 'roles-grant', user: '29:1abc-DEF', role: 'approver', workspace: 'demo' },
  ],
  ['roles revoke eve --workspace demo', { kind: 'roles-revoke', user: 'eve', workspace: 'demo' }],
  ['audit', { kind: 'audit', count: 20 }],
  ['audit 50 --user U123 --cluster gpu', { kind: 'audit', count: 50, user: 'U123', cluster: 'gpu' }],
  // Forms: leading slash, case, extra whitespace.
  ['/jobs', { kind: 'jobs', mine: false }],
  ['  RESIZE   gpu\t 8  ', { kind: 'resize', cluster: 'gpu', nodes: 8 }],
  ['Logs J --LINES 5', { kind: 'logs', job: { job: 'J' }, lines: 5, stderr: false }],
];

// Malformed lines: the command they must be attributed to, and words the message must contain.
const BAD: Array<[string, CommandKind | undefined, string[]]> = [
  ['', undefined, ['Empty', 'expected a command']],
  ['resise gpu 4', 'resize', ['Did you mean resize', 'resize <cluster> <nodes>']],
  ['jbos', 'jobs', ['Did you mean jobs']],
  ['term job7', 'terminate', ['Did you mean terminate']],
  ['xyzzyplugh', undefined, ['Unknown command', 'help']],
  ['submit hello greeting="unclosed', undefined, ['closing quote']],
  ['help what/ever', 'help', ['a command name']],
  ['clusters extra', 'clusters', ['unexpected "extra"', 'nothing after']],
  ['cluster', 'cluster', ['missing <cluster>', '1-64']],
  ['cluster bad$name', 'cluster', ['<cluster> must be a name']],
  ['cluster ' + 'x'.repeat(65), 'cluster', ['<cluster> must be a name']],
  ['jobs --state done', 'jobs', ['--state expects one of queued, running, succeeded, failed']],
  ['jobs --mine --mine', 'jobs', ['given twice']],
  ['jobs --mine=yes', 'jobs', ['takes no value']],
  ['jobs --verbose', 'jobs', ['unknown flag --verbose', '--state, --mine']],
  ['jobs a b', 'jobs', ['unexpected "b"']],
  ['job', 'job', ['missing <job>', 'experiment/job']],
  ['job a/b/c', 'job', ['<job> must be a job name']],
  ['logs j --lines 0', 'logs', ['--lines expects a whole number from 1 to 500']],
  ['logs j --lines 501', 'logs', ['from 1 to 500']],
  ['logs j --lines', 'logs', ['--lines expects a value (N)']],
  ['logs j --lines --stderr', 'logs', ['--lines expects a value']],
  ['outputs', 'outputs', ['missing <job>']],
  ['outputs j MODEL extra', 'outputs', ['unexpected "extra"']],
  ['templates x', 'templates', ['unexpected']],
  ['template', 'template', ['missing <name>']],
  ['submit', 'submit', ['missing <template>']],
  ['submit hello notakeyvalue', 'submit', ['expected key=value', '"notakeyvalue"']],
  ['submit hello a=1 a=2', 'submit', ['parameter a is given twice']],
  ['submit hello --cluster', 'submit', ['--cluster expects a value']],
  ['submit hello --force', 'submit', ['unknown flag --force']],
  ['resize gpu', 'resize', ['missing <nodes>', 'from 0 to 1000']],
  ['resize gpu lots', 'resize', ['<nodes> must be a whole number from 0 to 1000', '"lots"']],
  ['resize gpu 1001', 'resize', ['from 0 to 1000']],
  ['resize gpu -1', 'resize', ['from 0 to 1000']],
  ['resize gpu 2.5', 'resize', ['whole number']],
  ['resize gpu 4 5', 'resize', ['unexpected "5"']],
  ['autoscale gpu 4 1', 'autoscale', ['<min> (4) not above <max> (1)']],
  ['autoscale gpu 0', 'autoscale', ['missing <max>']],
  ['scale-to-zero', 'scale-to-zero', ['missing <cluster>']],
  ['scale-to-zero gpu 0', 'scale-to-zero', ['unexpected "0"']],
  ['terminate', 'terminate', ['missing <job>']],
  ['terminate j --yes=1', 'terminate', ['takes no value']],
  ['subscribe --states done', 'subscribe', ['comma-separated list']],
  ['subscribe --experiment a --job b/j', 'subscribe', ['--job in the experiment given by --experiment']],
  ['subscribe gpu', 'subscribe', ['unexpected "gpu"']],
  ['unsubscribe a b', 'unsubscribe', ['unexpected "b"']],
  ['unsubscribe a$b', 'unsubscribe', ['<id> must be an id']],
  ['subscriptions all', 'subscriptions', ['unexpected']],
  ['use', 'use', ['expected use workspace <w> or use experiment <e>']],
  ['use workspce demo', 'use', ['got "workspce"']],
  ['use workspace', 'use', ['missing <w>']],
  ['approve', 'approve', ['missing <id>']],
  ['reject a b', 'reject', ['unexpected "b"']],
  ['keep-up gpu 0', 'keep-up', ['from 1 to 72']],
  ['keep-up', 'keep-up', ['missing <cluster>']],
  ['keep-waiting', 'keep-waiting', ['missing <job>']],
  ['roles grant eve boss', 'roles-grant', ['one of viewer, operator, approver, admin']],
  ['roles grant "e ve" operator', 'roles-grant', ['a user id']],
  ['roles revoke', 'roles-revoke', ['missing <user>']],
  ['roles list', 'roles', ['roles']],
  ['audit 0', 'audit', ['from 1 to 200']],
];

describe('parseCommand', () => {
  test.each(GOOD)('%s', (line, expected) => {
    expect(parseCommand(line)).toEqual(expected);
  });

  test.each(BAD)('refuses %j', (line, kind, words) => {
    const result = parseCommand(line);
    expect(result.kind).toBe('parse-error');
    if (result.kind !== 'parse-error') return;
    for (const w of words) expect(result.message).toContain(w);
    expect(result.suggestion?.command).toBe(kind);
    if (kind) expect(result.message).toContain(result.suggestion?.usage);
  });

  test('every table row has a good and a malformed case above', () => {
    const verbs = (lines: string[]) =>
      new Set(lines.map((l) => l.trim().replace(/^\//, '').split(/\s+/)[0].toLowerCase()));
    const good = verbs(GOOD.map(([l]) => l));
    const bad = new Set(BAD.map(([, k]) => k));
    for (const c of COMMANDS) {
      expect(good).toContain(c.verb.split(' ')[0]);
      expect(bad).toContain(c.kind);
    }
  });

  test('a quoted --flag is a value, not a flag', () => {
    expect(parseCommand('submit hello note="--yes"')).toEqual({
      kind: 'submit',
      template: 'hello',
      params: { note: '--yes' },
      dryRun: false,
    });
  });
});

describe('commandText', () => {
  test.each(GOOD)('round-trips %s', (_line, command) => {
    expect(parseCommand(commandText(command))).toEqual(command);
  });

  test('quotes values with spaces', () => {
    expect(commandText({ kind: 'submit', template: 't', params: { g: 'a b' }, dryRun: false })).toBe(
      'submit t g="a b"',
    );
  });
});

describe('usage lines', () => {
  test('are derived from the argument spec', () => {
    const usage = Object.fromEntries(COMMANDS.map((c) => [c.verb, usageOf(c)]));
    expect(usage).toMatchObject({
      jobs: 'jobs [experiment] [--state queued|running|succeeded|failed] [--mine]',
      logs: 'logs <job> [--lines N] [--stderr]',
      outputs: 'outputs <job> [directory id]',
      submit: 'submit <template> [key=value ...] [--cluster c] [--experiment e] [--name n] [--dry-run]',
      resize: 'resize <cluster> <nodes>',
      'use workspace': 'use workspace <w>',
      subscribe: 'subscribe [--experiment e] [--cluster c] [--job j] [--mine] [--states s1,s2]',
    });
  });
});

test('a message longer than any command is refused by its length, before it is read', () => {
  const long = `submit hello greeting=${'A'.repeat(40_000)}`;
  expect(parseCommand(long)).toEqual({
    kind: 'parse-error',
    message: 'A command is at most 8,000 characters, got 40,022.',
  });
  expect(parseCommand(`submit hello greeting=${'A'.repeat(900)}`).kind).toBe('submit');
});
