// Where the proof stands, per backend, against the goals of the chaos, soak, scale and alert benchmarks: what
// `npm run bench -- chaos` prints at its end. Pure: it reads figures by name, from this run and from
// bench/results.json (a figure another benchmark measured keeps the value of its last run), and says for each goal
// met, not met, or not measured, so that a goal nobody measured on a backend shows as such instead of passing.
import type { Figure } from './report';

export interface GoalRow {
  backend: string;
  goal: string;
  /** The figure(s) as measured, or '' when none is. */
  value: string;
  /** undefined: not measured on this backend. */
  met: boolean | undefined;
  /** Which benchmark measures it. */
  bench: string;
}

/** One goal: the figures it reads (by name) and the test over their values. */
interface Goal {
  goal: string;
  bench: string;
  names: (backend: string) => string[];
  met: (values: number[], figures: Figure[]) => boolean;
}

const SCALE = (b: string) => `scale ${b} (100,000 jobs, 50 workspaces)`;

/** "600 pages + 1000 single reads; 1000 changed jobs; …" → pages + changed jobs. */
function requestBudget(note: string | undefined): number {
  const pages = /(\d+) pages/.exec(note ?? '');
  const changed = /(\d+) changed jobs/.exec(note ?? '');
  return pages && changed ? Number(pages[1]) + Number(changed[1]) : Number.NaN;
}

const GOALS: Goal[] = [
  {
    goal: 'crash runs: 100, 0 transitions lost',
    bench: 'chaos',
    names: (b) => [`chaos ${b}: crash runs (1 kill each)`, `chaos ${b}: transitions lost`],
    met: ([runs, lost]) => runs! >= 100 && lost === 0,
  },
  {
    goal: 'duplicates only in the send-to-mark window, ≤ 1 per kill',
    bench: 'chaos',
    names: (b) => [`chaos ${b}: duplicates outside send-to-mark`, `chaos ${b}: most duplicates in one kill`],
    met: ([outside, worst]) => outside === 0 && worst! <= 1,
  },
  {
    goal: 'double executions 0 (idle, two instances, approvals)',
    bench: 'chaos',
    names: (b) => [
      `chaos ${b}: idle scale-downs executed twice`,
      `chaos ${b}: two-instance scale-to-zero executed twice`,
      `chaos ${b}: two-instance idle warnings sent twice`,
      `chaos ${b}: approvals executed twice`,
    ],
    met: (values) => values.every((v) => v === 0),
  },
  {
    goal: 'approval crash runs: each approval executed at most once, none broken',
    bench: 'chaos',
    names: (b) => [
      `chaos ${b}: approval crash runs (1 kill each)`,
      `chaos ${b}: approvals executed twice`,
      `chaos ${b}: approvals broken`,
    ],
    // No kill, no proof: a run with none says nothing of approvals.
    met: ([kills, twice, broken]) => kills! > 0 && twice === 0 && broken === 0,
  },
  {
    goal: '20% fault runs converge, 0 lost',
    bench: 'chaos',
    names: (b) => [`chaos ${b}: 20% fault runs converged`, `chaos ${b}: fault runs lost`],
    // Its unit says of how many: "of 3".
    met: ([converged, lost], figures) => lost === 0 && converged! > 0 && figures[0]!.unit === `of ${converged}`,
  },
  {
    goal: 'two instances: 0 duplicate alerts, 0 lost',
    bench: 'chaos',
    names: (b) => [`chaos ${b}: two-instance duplicate alerts`, `chaos ${b}: two-instance alerts lost`],
    met: (values) => values.every((v) => v === 0),
  },
  {
    goal: 'soak: host RSS slope < 1 MiB/min',
    bench: 'soak',
    names: (b) => [`soak ${b}: host RSS slope, last 3/4`],
    met: ([slope]) => slope! < 1,
  },
  {
    goal: '100,000-job tick (steady, 1%): ≤ 5 s, ≤ 200 MiB',
    bench: 'scale',
    names: (b) => [
      `${SCALE(b)}: steady tick time`,
      `${SCALE(b)}: 1% changed tick time`,
      `${SCALE(b)}: steady tick peak RSS`,
      `${SCALE(b)}: 1% changed tick peak RSS`,
    ],
    met: ([steady, changed, steadyRss, changedRss]) =>
      steady! <= 5000 && changed! <= 5000 && steadyRss! <= 200 && changedRss! <= 200,
  },
  {
    goal: '100,000-job tick: requests ≤ pages + changed jobs',
    bench: 'scale',
    names: (b) => [`${SCALE(b)}: steady tick requests`, `${SCALE(b)}: 1% changed tick requests`],
    met: (values, figures) => values.every((v, i) => v <= requestBudget(figures[i]!.note)),
  },
  {
    goal: 'alerts: bursts p50 ≤ 3 s, p99 ≤ 6 s; spread p50 ≤ 3 s',
    bench: 'alerts',
    names: (b) => [
      `alerts ${b} bursts: latency p50 (job end → card accepted)`,
      `alerts ${b} bursts: latency p99`,
      `alerts ${b} spread: latency p50 (job end → card accepted)`,
    ],
    met: ([p50, p99, spread]) => p50! <= 3000 && p99! <= 6000 && spread! <= 3000,
  },
];

export function goalRows(figures: Figure[], backends: string[]): GoalRow[] {
  const byName = new Map(figures.map((f) => [f.name, f]));
  return backends.flatMap((backend) =>
    GOALS.map(({ goal, bench, names, met }) => {
      const found = names(backend).map((n) => byName.get(n));
      if (found.length === 0 || found.some((f) => f === undefined))
        return { backend, goal, bench, value: '', met: undefined };
      const fs = found as Figure[];
      const value = fs.map((f) => `${f.value} ${f.unit}`).join(', ');
      return {
        backend,
        goal,
        bench,
        value,
        met: met(
          fs.map((f) => f.value),
          fs,
        ),
      };
    }),
  );
}

export function formatGoals(rows: GoalRow[]): string {
  return rows
    .map((r) => {
      const verdict = r.met === undefined ? 'not measured' : r.met ? 'met' : 'NOT MET';
      const value = r.value || `no figure (npm run bench -- ${r.bench})`;
      return `${r.backend.padEnd(11)} ${verdict.padEnd(13)} ${r.goal} — ${value}`;
    })
    .join('\n');
}
