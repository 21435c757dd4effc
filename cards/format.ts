// Plain-text formatting shared by the layouts: durations, sizes, times, state labels and tones.
import type { JobState } from '../shared/core/commands';
import type { Tone } from './card-model';

export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return `${m}m ${r}s`;
  return `${r}s`;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}

/** `2017-09-27T23:36:52.611Z` → `2017-09-27 23:36:52 UTC`: readable, and the same for every reader. */
export function formatTime(iso: string): string {
  const t = Date.parse(iso);
  return Number.isFinite(t) ? `${new Date(t).toISOString().slice(0, 19).replace('T', ' ')} UTC` : iso;
}

const LABEL: Record<JobState, string> = {
  queued: 'Queued',
  running: 'Running',
  terminating: 'Terminating',
  succeeded: 'Succeeded',
  failed: 'Failed',
  terminated: 'Terminated',
};
const TONE: Record<JobState, Tone> = {
  queued: 'default',
  running: 'accent',
  terminating: 'warning',
  succeeded: 'good',
  failed: 'attention',
  terminated: 'warning',
};

export const stateLabel = (s: JobState): string => LABEL[s] ?? s;
export const stateTone = (s: JobState): Tone => TONE[s] ?? 'default';
