// Pure: the one alert a stalled job gets: how long its logs have been quiet, its nodes and what they cost in
// that time, with [Terminate] (the usual confirmation and roles) and [Keep waiting]. Once someone chose to keep
// waiting, the same card says who and when the next alert would come, and keeps only [Terminate].
import { shortTime } from './approval-policy';
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

/** Someone chose [Keep waiting]: who, when (ISO), and when one more alert comes if the job stays silent (ISO). */
export interface KeptWaiting {
  by: string;
  at: string;
  nextAlertAt: string;
}

const label = (j: JobName) => (j.experiment ? `${j.experiment}/${j.job}` : j.job);

export function stuckAlertView(f: StuckFacts, kept?: KeptWaiting): TextView {
  const minutes = Math.max(0, Math.round((f.now.getTime() - Date.parse(f.quietSince)) / 60_000));
  const nodes = `${f.nodeCount} node${f.nodeCount === 1 ? '' : 's'}`;
  const cost =
    f.pricePerNodeHour === undefined
      ? 'price unknown'
      : `about $${((f.pricePerNodeHour * f.nodeCount * minutes) / 60).toFixed(2)} in that time`;
  const terminate = {
    title: 'Terminate',
    command: commandText({ kind: 'terminate', job: f.job, confirmed: false }),
    style: 'destructive' as const,
  };
  const said =
    `Job ${label(f.job)} is running but has written nothing to stdout or stderr for ${minutes} min: ` +
    'it may be hung (a collective waiting for a lost rank, a deadlock, a stalled read).';
  return {
    kind: 'text',
    title: `No output for ${minutes} min: ${label(f.job)}`,
    text: kept
      ? `${said}\n${kept.by} chose to keep waiting at ${shortTime(kept.at)}. If it is still silent at ` +
        `${shortTime(kept.nextAlertAt)}, one more alert comes; output before then clears it.`
      : said,
    facts: [
      { title: 'Nodes', value: `${nodes} on ${f.cluster}${f.vmSize ? ` (${f.vmSize})` : ''}` },
      { title: 'Cost meanwhile', value: cost },
    ],
    actions: kept
      ? [terminate]
      : [terminate, { title: 'Keep waiting', command: commandText({ kind: 'keep-waiting', job: f.job }) }],
  };
}
