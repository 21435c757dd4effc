// The one table of chat commands. The grammar (grammar.ts) parses from it, help (help.ts) is generated from it,
// and usage lines are derived from each row's argument spec, so a command cannot drift from its help.
import type { Command, CommandKind, JobName, JobState } from './commands';
import type { Role } from './roles';

export type ArgType = 'name' | 'job' | 'id' | 'topic' | 'int' | 'kv' | 'user' | 'role';
export type FlagType = 'bool' | 'name' | 'job' | 'int' | 'state' | 'states' | 'user';

export interface ArgSpec {
  name: string;
  type: ArgType;
  optional?: boolean;
  /** Shown in usage instead of the name, e.g. `directory id`. */
  label?: string;
  /** Inclusive range for `int`. */
  range?: [number, number];
}

export interface FlagSpec {
  name: string;
  type: FlagType;
  /** Placeholder in usage, e.g. `N` in `--lines N`. */
  label?: string;
  range?: [number, number];
}

export type Value = string | number | boolean | JobName | Record<string, string> | string[];

/** What the grammar extracted for one row, keyed by arg/flag name; flags absent from the line are absent. */
export interface Parsed {
  args: Record<string, Value | undefined>;
  flags: Record<string, Value | undefined>;
}

export interface CommandSpec {
  kind: CommandKind;
  /** One or two words: `resize`, `use workspace`. Matched case-insensitively. */
  verb: string;
  aliases?: string[];
  summary: string;
  examples: string[];
  args: ArgSpec[];
  flags: FlagSpec[];
  build(p: Parsed): Command;
  /** A rule across values (min ≤ max): returns "expected …" when broken, else undefined. */
  check?(p: Parsed): string | undefined;
  /** The least role that may run it (roles.ts); approve asks roles.ts approvalRole instead. */
  role: Role;
  /** Changes something (a cluster, a job, a request, a grant): one audit row before, completed after. */
  audited?: boolean;
}

export const JOB_STATES: readonly JobState[] = ['queued', 'running', 'succeeded', 'failed'];
export const SUBSCRIPTION_STATES = [
  'queued',
  'running',
  'terminating',
  'succeeded',
  'failed',
  'created',
  'deleted',
  'cluster',
] as const;
export const NODES: [number, number] = [0, 1000];

// The grammar guarantees each value has the type its spec declares; these narrow without re-checking.
const str = (v: Value | undefined) => v as string;
const optStr = (v: Value | undefined) => v as string | undefined;
const int = (v: Value | undefined) => v as number;
const job = (v: Value | undefined) => v as JobName;
const bool = (v: Value | undefined) => v === true;

const cluster: ArgSpec = { name: 'cluster', type: 'name' };
const user: ArgSpec = { name: 'user', type: 'user' };
const workspaceFlag: FlagSpec = { name: 'workspace', type: 'name', label: 'w' };
const jobArg: ArgSpec = { name: 'job', type: 'job' };

export const COMMANDS: readonly CommandSpec[] = [
  {
    kind: 'help',
    role: 'viewer',
    verb: 'help',
    summary: 'List the commands, or show one in detail.',
    examples: ['help', 'help submit'],
    args: [{ name: 'topic', type: 'topic', optional: true, label: 'command' }],
    flags: [],
    build: (p) => (p.args.topic === undefined ? { kind: 'help' } : { kind: 'help', topic: str(p.args.topic) }),
  },
  {
    kind: 'clusters',
    role: 'viewer',
    verb: 'clusters',
    summary: 'List the clusters of the workspace with their node counts.',
    examples: ['clusters'],
    args: [],
    flags: [],
    build: () => ({ kind: 'clusters' }),
  },
  {
    kind: 'cluster',
    role: 'viewer',
    verb: 'cluster',
    summary: 'Show one cluster: allocation state, nodes, scale settings.',
    examples: ['cluster gpu'],
    args: [cluster],
    flags: [],
    build: (p) => ({ kind: 'cluster', cluster: str(p.args.cluster) }),
  },
  {
    kind: 'jobs',
    role: 'viewer',
    verb: 'jobs',
    summary: 'List jobs, optionally of one experiment, in one state, or only yours.',
    examples: ['jobs', 'jobs mnist --state running', 'jobs --mine'],
    args: [{ name: 'experiment', type: 'name', optional: true }],
    flags: [
      { name: 'state', type: 'state' },
      { name: 'mine', type: 'bool' },
    ],
    build: (p) => {
      const c: Command = { kind: 'jobs', mine: bool(p.flags.mine) };
      if (p.args.experiment !== undefined) c.experiment = str(p.args.experiment);
      if (p.flags.state !== undefined) c.state = str(p.flags.state) as JobState;
      return c;
    },
  },
  {
    kind: 'job',
    role: 'viewer',
    verb: 'job',
    summary: 'Show one job: state, times, exit code, output tail.',
    examples: ['job job7', 'job mnist/job7'],
    args: [jobArg],
    flags: [],
    build: (p) => ({ kind: 'job', job: job(p.args.job) }),
  },
  {
    kind: 'logs',
    role: 'viewer',
    verb: 'logs',
    summary: "Show the last lines of a job's stdout.txt (or stderr.txt).",
    examples: ['logs job7', 'logs mnist/job7 --lines 100 --stderr'],
    args: [jobArg],
    flags: [
      { name: 'lines', type: 'int', label: 'N', range: [1, 500] },
      { name: 'stderr', type: 'bool' },
    ],
    build: (p) => {
      const c: Command = { kind: 'logs', job: job(p.args.job), stderr: bool(p.flags.stderr) };
      if (p.flags.lines !== undefined) c.lines = int(p.flags.lines);
      return c;
    },
  },
  {
    kind: 'outputs',
    role: 'viewer',
    verb: 'outputs',
    summary: "List links to a job's output files (the links expire).",
    examples: ['outputs job7', 'outputs job7 MODEL'],
    args: [jobArg, { name: 'directory', type: 'name', optional: true, label: 'directory id' }],
    flags: [],
    build: (p) => {
      const c: Command = { kind: 'outputs', job: job(p.args.job) };
      if (p.args.directory !== undefined) c.directory = str(p.args.directory);
      return c;
    },
  },
  {
    kind: 'templates',
    role: 'viewer',
    verb: 'templates',
    summary: 'List the saved job templates.',
    examples: ['templates'],
    args: [],
    flags: [],
    build: () => ({ kind: 'templates' }),
  },
  {
    kind: 'template',
    role: 'viewer',
    verb: 'template',
    summary: 'Show one template and its parameters.',
    examples: ['template hello'],
    args: [{ name: 'template', type: 'name', label: 'name' }],
    flags: [],
    build: (p) => ({ kind: 'template', template: str(p.args.template) }),
  },
  {
    kind: 'submit',
    role: 'operator',
    audited: true,
    verb: 'submit',
    summary: 'Submit a job from a template; --dry-run shows the request instead.',
    examples: [
      'submit hello',
      'submit train epochs=5 lr=0.01 --cluster gpu',
      'submit hello greeting="hi there" --dry-run',
    ],
    args: [
      { name: 'template', type: 'name' },
      { name: 'params', type: 'kv', optional: true, label: 'key=value ...' },
    ],
    flags: [
      { name: 'cluster', type: 'name', label: 'c' },
      { name: 'experiment', type: 'name', label: 'e' },
      { name: 'name', type: 'name', label: 'n' },
      { name: 'dry-run', type: 'bool' },
    ],
    build: (p) => {
      const c: Command = {
        kind: 'submit',
        template: str(p.args.template),
        params: (p.args.params as Record<string, string> | undefined) ?? {},
        dryRun: bool(p.flags['dry-run']),
      };
      if (p.flags.cluster !== undefined) c.cluster = str(p.flags.cluster);
      if (p.flags.experiment !== undefined) c.experiment = str(p.flags.experiment);
      if (p.flags.name !== undefined) c.name = str(p.flags.name);
      return c;
    },
  },
  {
    kind: 'resize',
    role: 'operator',
    audited: true,
    verb: 'resize',
    summary: 'Set a cluster to a fixed number of nodes (large resizes need approval).',
    examples: ['resize gpu 4'],
    args: [cluster, { name: 'nodes', type: 'int', range: NODES }],
    flags: [],
    build: (p) => ({ kind: 'resize', cluster: str(p.args.cluster), nodes: int(p.args.nodes) }),
  },
  {
    kind: 'autoscale',
    role: 'operator',
    audited: true,
    verb: 'autoscale',
    aliases: ['auto-scale'],
    summary: 'Let a cluster scale between min and max nodes (a large max needs approval).',
    examples: ['autoscale gpu 0 4'],
    args: [cluster, { name: 'min', type: 'int', range: NODES }, { name: 'max', type: 'int', range: NODES }],
    flags: [],
    build: (p) => ({ kind: 'autoscale', cluster: str(p.args.cluster), min: int(p.args.min), max: int(p.args.max) }),
    check: (p) =>
      int(p.args.min) > int(p.args.max)
        ? `expected <min> (${int(p.args.min)}) not above <max> (${int(p.args.max)})`
        : undefined,
  },
  {
    kind: 'scale-to-zero',
    role: 'operator',
    audited: true,
    verb: 'scale-to-zero',
    summary: 'Resize a cluster to zero nodes.',
    examples: ['scale-to-zero gpu'],
    args: [cluster],
    flags: [],
    build: (p) => ({ kind: 'scale-to-zero', cluster: str(p.args.cluster) }),
  },
  {
    kind: 'terminate',
    role: 'operator',
    audited: true,
    verb: 'terminate',
    summary: 'Stop a queued or running job (asks to confirm unless --yes).',
    examples: ['terminate job7', 'terminate mnist/job7 --yes'],
    args: [jobArg],
    flags: [{ name: 'yes', type: 'bool' }],
    build: (p) => ({ kind: 'terminate', job: job(p.args.job), confirmed: bool(p.flags.yes) }),
  },
  {
    kind: 'subscribe',
    role: 'operator',
    verb: 'subscribe',
    summary: 'Get alerts in this conversation for jobs and clusters that match.',
    examples: ['subscribe', 'subscribe --experiment mnist --states succeeded,failed', 'subscribe --mine'],
    args: [],
    flags: [
      { name: 'experiment', type: 'name', label: 'e' },
      { name: 'cluster', type: 'name', label: 'c' },
      { name: 'job', type: 'job', label: 'j' },
      { name: 'mine', type: 'bool' },
      { name: 'states', type: 'states', label: 's1,s2' },
    ],
    build: (p) => {
      const filter: Extract<Command, { kind: 'subscribe' }>['filter'] = {};
      const j = p.flags.job === undefined ? undefined : job(p.flags.job);
      const experiment = optStr(p.flags.experiment) ?? j?.experiment;
      if (experiment !== undefined) filter.experiment = experiment;
      if (p.flags.cluster !== undefined) filter.cluster = str(p.flags.cluster);
      if (j) filter.job = j.job;
      if (p.flags.states !== undefined) filter.states = p.flags.states as NonNullable<typeof filter.states>;
      return { kind: 'subscribe', filter, mine: bool(p.flags.mine) };
    },
    check: (p) => {
      const j = p.flags.job === undefined ? undefined : job(p.flags.job);
      const e = optStr(p.flags.experiment);
      return j?.experiment && e && j.experiment !== e
        ? `expected --job in the experiment given by --experiment (${e}), got ${j.experiment}/${j.job}`
        : undefined;
    },
  },
  {
    kind: 'unsubscribe',
    role: 'operator',
    verb: 'unsubscribe',
    summary: "Stop a subscription (all of this conversation's without an id).",
    examples: ['unsubscribe', 'unsubscribe 3f2a'],
    args: [{ name: 'id', type: 'id', optional: true }],
    flags: [],
    build: (p) => (p.args.id === undefined ? { kind: 'unsubscribe' } : { kind: 'unsubscribe', id: str(p.args.id) }),
  },
  {
    kind: 'subscriptions',
    role: 'viewer',
    verb: 'subscriptions',
    summary: "List this conversation's subscriptions.",
    examples: ['subscriptions'],
    args: [],
    flags: [],
    build: () => ({ kind: 'subscriptions' }),
  },
  {
    kind: 'use',
    role: 'viewer',
    verb: 'use workspace',
    summary: 'Set the default workspace for this conversation.',
    examples: ['use workspace demo'],
    args: [{ name: 'name', type: 'name', label: 'w' }],
    flags: [],
    build: (p) => ({ kind: 'use', what: 'workspace', name: str(p.args.name) }),
  },
  {
    kind: 'use',
    role: 'viewer',
    verb: 'use experiment',
    summary: 'Set the default experiment for this conversation.',
    examples: ['use experiment mnist'],
    args: [{ name: 'name', type: 'name', label: 'e' }],
    flags: [],
    build: (p) => ({ kind: 'use', what: 'experiment', name: str(p.args.name) }),
  },
  {
    kind: 'approve',
    role: 'approver',
    audited: true,
    verb: 'approve',
    summary: 'Approve a pending request (not your own).',
    examples: ['approve 7c1e'],
    args: [{ name: 'approval', type: 'id', label: 'id' }],
    flags: [],
    build: (p) => ({ kind: 'approve', approval: str(p.args.approval) }),
  },
  {
    kind: 'reject',
    // The requester cancels their own request with it; anyone else's takes the approver role (approvals.ts).
    role: 'operator',
    audited: true,
    verb: 'reject',
    summary: 'Reject a pending request, or cancel your own.',
    examples: ['reject 7c1e'],
    args: [{ name: 'approval', type: 'id', label: 'id' }],
    flags: [],
    build: (p) => ({ kind: 'reject', approval: str(p.args.approval) }),
  },
  {
    kind: 'keep-up',
    role: 'operator',
    audited: true,
    verb: 'keep-up',
    summary: 'Keep an idle cluster up for some hours more (default 1).',
    examples: ['keep-up gpu', 'keep-up gpu 3'],
    args: [cluster, { name: 'hours', type: 'int', optional: true, range: [1, 72] }],
    flags: [],
    build: (p) => ({
      kind: 'keep-up',
      cluster: str(p.args.cluster),
      hours: p.args.hours === undefined ? 1 : int(p.args.hours),
    }),
  },
  {
    kind: 'keep-waiting',
    role: 'operator',
    audited: true,
    verb: 'keep-waiting',
    summary: 'From a stuck-job alert: wait one more stall window before alerting again.',
    examples: ['keep-waiting mnist/job7'],
    args: [jobArg],
    flags: [],
    build: (p) => ({ kind: 'keep-waiting', job: job(p.args.job) }),
  },
  {
    kind: 'roles',
    verb: 'roles',
    role: 'admin',
    summary: 'List who holds which role (settings and grants).',
    examples: ['roles'],
    args: [],
    flags: [],
    build: () => ({ kind: 'roles' }),
  },
  {
    kind: 'roles-grant',
    verb: 'roles grant',
    role: 'admin',
    audited: true,
    summary: 'Give someone a role, everywhere or in one workspace.',
    examples: ['roles grant eve operator', 'roles grant 29:1abc approver --workspace demo'],
    args: [user, { name: 'role', type: 'role' }],
    flags: [workspaceFlag],
    build: (p) => {
      const c: Command = { kind: 'roles-grant', user: str(p.args.user), role: str(p.args.role) as Role };
      if (p.flags.workspace !== undefined) c.workspace = str(p.flags.workspace);
      return c;
    },
  },
  {
    kind: 'roles-revoke',
    verb: 'roles revoke',
    role: 'admin',
    audited: true,
    summary: "Take back someone's grant (global, or of one workspace).",
    examples: ['roles revoke eve', 'roles revoke eve --workspace demo'],
    args: [user],
    flags: [workspaceFlag],
    build: (p) => {
      const c: Command = { kind: 'roles-revoke', user: str(p.args.user) };
      if (p.flags.workspace !== undefined) c.workspace = str(p.flags.workspace);
      return c;
    },
  },
  {
    kind: 'audit',
    verb: 'audit',
    role: 'approver',
    summary: 'Show the latest changes: who ran what, on what, with what result.',
    examples: ['audit', 'audit 50 --user eve', 'audit --cluster gpu'],
    args: [{ name: 'count', type: 'int', optional: true, label: 'n', range: [1, 200] }],
    flags: [
      { name: 'user', type: 'user', label: 'u' },
      { name: 'cluster', type: 'name', label: 'c' },
    ],
    build: (p) => {
      const c: Command = { kind: 'audit', count: p.args.count === undefined ? 20 : int(p.args.count) };
      if (p.flags.user !== undefined) c.user = str(p.flags.user);
      if (p.flags.cluster !== undefined) c.cluster = str(p.flags.cluster);
      return c;
    },
  },
];

/** The word a line starts with for this row: `use` of `use workspace`. */
export const verbWord = (spec: CommandSpec): string => spec.verb.split(' ')[0];

/** The rows a line starting with `word` (lower case) may mean, by verb or alias. */
export function rowsFor(word: string): CommandSpec[] {
  return COMMANDS.filter((c) => verbWord(c) === word || c.aliases?.includes(word));
}

function flagUsage(f: FlagSpec): string {
  if (f.type === 'bool') return `[--${f.name}]`;
  if (f.type === 'state') return `[--${f.name} ${JOB_STATES.join('|')}]`;
  return `[--${f.name} ${f.label ?? f.name}]`;
}

export function usageOf(spec: CommandSpec): string {
  const args = spec.args.map((a) => {
    const label = a.label ?? a.name;
    return a.optional ? `[${label}]` : `<${label}>`;
  });
  return [spec.verb, ...args, ...spec.flags.map(flagUsage)].join(' ');
}
