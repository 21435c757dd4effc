// Which chart image a Slack card shows, within Slack's limits. A finished job's chart is uploaded once (and
// has priority in the file budget: file-budget.ts). A running job's card is updated every PROGRESS_UPDATE_SECONDS,
// but its chart is uploaded again only when it changed and `everyMs` has passed since the last upload; between
// uploads the card keeps showing the last one, titled with its time. When the budget is spent the card says so
// (the last image stays, or the summary line stands in). A chart superseded by a newer upload is deleted
// (files.delete, from the same budget) once the message shows the new one; a delete the budget cannot pay for
// now waits for a later call. What each message shows is remembered per instance (a bounded map): a card
// updated from another instance gets its chart uploaded again, within that instance's budget.
import type { WebClient } from '@slack/web-api';
import type { SlackChartImage } from '../../cards/slack';
import { redactText } from '../../shared/core/redact';
import type { View } from '../../shared/core/views';
import { toError } from '../../shared/errors';
import { type Chart, chartOf } from '../chart-image';
import { uploadChart } from './chart-upload';
import type { FileBudget } from './file-budget';
import type { PacerClock } from './pacer';

/** Messages whose chart file is remembered (the oldest is forgotten first). */
const MAX_REMEMBERED = 2000;

export const OUT_OF_BUDGET = "Slack's file budget for this minute is spent; a later update brings a newer chart";

interface Shown {
  fileId: string;
  /** ms: when it was uploaded. */
  at: number;
  signature: string;
}

export interface PreparedChart {
  /** The image for the card (undefined: the view has no chart). */
  image?: SlackChartImage;
  /**
   * After the post: `messageKey` is the message that now shows the image (it is remembered, and the file it
   * replaced deleted), undefined when the post failed (a file uploaded for it is deleted).
   */
  done(messageKey: string | undefined): Promise<void>;
}

export interface ChartImages {
  /** The image for `view`'s chart in message `messageKey` (undefined: a new message), uploading if due. */
  prepare(view: View, messageKey?: string): Promise<PreparedChart>;
}

export interface ChartImagesOptions {
  client: WebClient;
  budget: FileBudget;
  clock: Pick<PacerClock, 'now'>;
  /** A running job's chart is uploaded again at most this often. */
  everyMs: number;
  log?: (line: string) => void;
}

const signature = (c: Chart) => {
  const last = c.points[c.points.length - 1]!;
  return `${c.metric}|${c.points.length}|${last.x}|${last.y}`;
};

export function createChartImages(opts: ChartImagesOptions): ChartImages {
  const shown = new Map<string, Shown>();
  const toDelete: string[] = [];
  const log = opts.log ?? (() => undefined);
  const nothing: PreparedChart = { done: async () => undefined };

  async function deleteSuperseded(): Promise<void> {
    while (toDelete.length > 0 && opts.budget.take('running', 1)) {
      const file = toDelete.shift()!;
      try {
        await opts.client.files.delete({ file });
      } catch (e) {
        log(`[slack] a superseded chart (${file}) was not deleted: ${redactText(toError(e).message)}`);
      }
    }
  }

  function remember(key: string, s: Shown): void {
    shown.delete(key);
    shown.set(key, s);
    if (shown.size > MAX_REMEMBERED) shown.delete(shown.keys().next().value!);
  }

  return {
    async prepare(view, messageKey) {
      const found = chartOf(view);
      if (!found) return nothing;
      const { chart, final, job } = found;
      const prev = messageKey ? shown.get(messageKey) : undefined;
      const sig = signature(chart);
      const now = opts.clock.now();
      const older = (p: Shown): SlackChartImage => ({
        source: { fileId: p.fileId },
        ...(p.signature === sig ? {} : { asOf: new Date(p.at).toISOString() }),
      });
      if (prev && (prev.signature === sig || (!final && now - prev.at < opts.everyMs))) {
        return { image: older(prev), done: deleteSuperseded };
      }
      if (!opts.budget.take(final ? 'final' : 'running', 2)) {
        return { image: { ...(prev ? older(prev) : {}), note: OUT_OF_BUDGET }, done: async () => undefined };
      }
      let fileId: string;
      try {
        fileId = await uploadChart(opts.client, chart, job);
      } catch (e) {
        log(`[slack] chart upload failed, the card shows its summary: ${redactText(toError(e).message)}`);
        return { ...(prev ? { image: older(prev) } : {}), done: async () => undefined };
      }
      return {
        image: { source: { fileId } },
        async done(key) {
          if (key === undefined) toDelete.push(fileId);
          else {
            remember(key, { fileId, at: now, signature: sig });
            if (prev) toDelete.push(prev.fileId);
          }
          await deleteSuperseded();
        },
      };
    },
  };
}
