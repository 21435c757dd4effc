// Queue order: schedulingPriority high > normal > low, then submission order (FIFO).
import type { JobRec } from './model';

const RANK = { high: 0, normal: 1, low: 2 } as const;

export function byPriority(a: JobRec, b: JobRec): number {
  return RANK[a.props.schedulingPriority ?? 'normal'] - RANK[b.props.schedulingPriority ?? 'normal'] || a.seq - b.seq;
}
