// Pure: the one alert a stalled job gets: how long its logs have been quiet, its nodes and what they cost in
// that time, with [Terminate] (the usual confirmation and roles) and [Keep waiting].
import { commandText } from './command-text';
import type { JobName } from './commands';
import type { TextView } from './views';

export interface StuckFacts {
  job: JobName;
  /** ISO: when stdout or stderr last grew. */
  quietSince: string;
  now: Date;
  cluster: string;
  nodeCount: number;
  vmSize?: string;
  /** USD per node-hour, when the price table knows the size. */
  pricePerNodeHour?: number;
}

const label = (j: JobName) => (j.experiment ? `${j.experiment}/${j.job}` : j.job);

export function stuckAlertView(f: StuckFacts): TextView {
  const minutes = Math.max(0, Math.round((f.now.getTime() - Date.parse(f.quietSince)) / 60_000));
  const nodes = `${f.nodeCount} node${f.nodeCount === 1 ? '' : 's'}`;
  const cost =
    f.pricePerNodeHour === undefined
      ? 'price unknown'
      : `about $${((f.pricePerNodeHour * f.nodeCount * minutes) / 60).toFixed(2)} in that time`;
  return {
    kind: 'text',
    title: `No output for ${minutes} min: ${label(f.job)}`,
    text:
      `Job ${label(f.job)} is running but has written nothing to stdout or stderr for ${minutes} min: ` +
      'it may be hung (a collective waiting for a lost rank, a deadlock, a stalled read).',
    facts: [
      { title: 'Nodes', value: `${nodes} on ${f.cluster}${f.vmSize ? ` (${f.vmSize})` : ''}` },
      { title: 'Cost meanwhile', value: cost },
    ],
    actions: [
      {
        title: 'Terminate',
        command: commandText({ kind: 'terminate', job: f.job, confirmed: false }),
        style: 'destructive',
      },
      // Nothing more is sent for this stall: the next alert comes only after the job speaks and stalls again.
      { title: 'Keep waiting', command: commandText({ kind: 'job', job: f.job }) },
    ],
  };
}
