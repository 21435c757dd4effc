// What a followed card shows: each kind of long operation (a job, a cluster's allocation, an approval request)
// is a Watch: read the resource, say what the card would show of it (its key), whether it settled, and render
// it. The `followups` queue function (bot/follow-up-step.ts) looks once per message and updates the card when
// the key changed; nothing here loops or sleeps.
import type { View } from '../shared/core/views';

/** following: still changing; done: settled (last update); stopped: followed for too long (last update). */
export type Phase = 'following' | 'done' | 'stopped';

/** Said on a card whose follow-up ran out of time (each kind adds how to see the current state). */
export const STOPPED_NOTE = 'this card no longer updates';

export interface Watch<T> {
  fetch(): Promise<T>;
  /** What the card shows of `t`: an update is sent only when this changes. */
  key(t: T): string;
  done(t: T): boolean;
  render(t: T, phase: Phase): Promise<View> | View;
}

/** One look at the followed resource. */
export interface Observation {
  key: string;
  done: boolean;
  render(phase: Phase): Promise<View> | View;
}

export async function observe<T>(w: Watch<T>): Promise<Observation> {
  const t = await w.fetch();
  return { key: w.key(t), done: w.done(t), render: (phase) => w.render(t, phase) };
}
