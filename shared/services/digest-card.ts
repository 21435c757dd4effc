// A digest card lists many alerts in one. What its items show that needs I/O is read for the items it shows
// (DIGEST_MAX_ITEMS), not for the whole burst: how each shown job ended, and why a failed one failed, in one line.
import { DIGEST_MAX_ITEMS, digestView } from '../core/alert-view';
import type { BackendEvent } from '../core/events';
import type { CauseView, DigestView, View } from '../core/views';

/** A message's reads, each once per event however many conversations get it. */
export interface EventReads {
  /** The event with how its job ended (end-details.ts). */
  detailed: (e: BackendEvent) => Promise<BackendEvent>;
  /** The event's own alert: its job's masked tails, output links and named cause. */
  viewOf: (e: BackendEvent) => Promise<View>;
}

export async function digestCard(group: BackendEvent[], reads: EventReads): Promise<DigestView> {
  const shown = group.slice(0, DIGEST_MAX_ITEMS);
  const failed = shown.filter((e) => e.kind === 'job' && e.to === 'failed');
  const [detailed, views] = await Promise.all([
    Promise.all(shown.map(reads.detailed)),
    Promise.all(failed.map(reads.viewOf)),
  ]);
  const causes = new Map<string, CauseView>();
  views.forEach((v, i) => {
    if (v.kind === 'job' && v.cause) causes.set(failed[i]!.id, v.cause);
  });
  return digestView([...detailed, ...group.slice(DIGEST_MAX_ITEMS)], causes);
}
