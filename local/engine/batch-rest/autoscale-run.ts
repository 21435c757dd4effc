// One evaluation of a pool's auto-scale formula, as the service reports it (`autoScaleRun`: when, and the
// final values of its variables). The engine scales by the formula's bounds and the pool's demand (the nodes
// its active jobs ask for); evaluateautoscale answers one, and the pool shows the last periodic one: the
// service evaluates when auto-scale is enabled and then every autoScaleEvaluationInterval, so the last run is
// at enable time plus a whole number of intervals, read off the core's clock.
import type { AutoScaleBounds } from '../../../shared/core/autoscale-formula';
import { parseDuration } from '../core/durations';
import type { ClusterRec } from '../core/model';
import type { BatchFacade } from './facade';

export interface AutoScaleRun {
  timestamp: string;
  results: string;
}

export function evaluate(f: BatchFacade, c: ClusterRec, b: AutoScaleBounds, at: number): AutoScaleRun {
  let demand = 0;
  for (const j of f.core.state.activeJobs(c)) demand += j.props.nodeCount;
  const target = Math.max(b.min, Math.min(b.max, demand));
  const name = c.props.vmPriority === 'lowpriority' ? '$TargetLowPriorityNodes' : '$TargetDedicatedNodes';
  return {
    timestamp: new Date(at).toISOString(),
    results:
      `${name}=${target};$NodeDeallocationOption=taskcompletion;` +
      `minNodes=${b.min};maxNodes=${b.max};demand=${demand}`,
  };
}

/** The time of the last periodic evaluation: enabled at `since`, every `interval` (ISO duration) after. */
export function lastEvaluation(since: number, interval: string | undefined, now: number): number {
  let every = 15 * 60_000;
  try {
    every = Math.max(5 * 60_000, parseDuration(interval ?? 'PT15M'));
  } catch {
    // An interval that does not parse was refused when it was set; the service's default stands in.
  }
  return since + Math.floor(Math.max(0, now - since) / every) * every;
}
