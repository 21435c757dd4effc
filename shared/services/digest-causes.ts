// A digest card lists many alerts in one; a failed job's item still says why it failed in one line.
import { DIGEST_MAX_ITEMS } from '../core/alert-view';
import type { BackendEvent } from '../core/events';
import type { CauseView, View } from '../core/views';

/**
 * The named causes of a digest's failed jobs, from the same alert content a single alert reads (the job's masked
 * tails, read once per event however many conversations get it): at most DIGEST_MAX_ITEMS jobs, the ones shown.
 */
export async function digestCauses(
  group: BackendEvent[],
  viewOf: (e: BackendEvent) => Promise<View>,
): Promise<Map<string, CauseView>> {
  const failed = group.slice(0, DIGEST_MAX_ITEMS).filter((e) => e.kind === 'job' && e.to === 'failed');
  const views = await Promise.all(failed.map(viewOf));
  const causes = new Map<string, CauseView>();
  views.forEach((v, i) => {
    if (v.kind === 'job' && v.cause) causes.set(failed[i]!.id, v.cause);
  });
  return causes;
}
