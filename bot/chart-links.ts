// A job card's chart for Azure Bot Service's Slack channel. That channel posts our Block Kit with Slack's own app,
// whose token we never hold, so nothing can be uploaded to Slack; an image block can still name a URL, which
// Slack fetches from the internet. So the PNG goes to a blob of the app's storage account and the card names a
// read-only link to that one blob, signed to expire (CHART_LINK_MINUTES; by the app's identity, a user
// delegation SAS, as shared/storage/output-blobs.ts signs for Azure Batch outputs): internet-reachable in Azure,
// served by Azurite locally (the local chat page's Slack view shows it). One blob per job and metric, replaced
// as the chart grows: storage holds one image per charted job, and each update's link is new, so Slack fetches
// anew.
import { createHash } from 'node:crypto';
import type { SlackChartImage } from '../cards/slack';
import { redactText } from '../shared/core/redact';
import type { View } from '../shared/core/views';
import { toError } from '../shared/errors';
import type { WritableBlobs } from '../shared/storage/output-blobs';
import { chartOf, chartPng } from './chart-image';

/** How long a chart's link works: Slack fetches (and keeps) the image when the card is posted or updated. */
export const CHART_LINK_MINUTES = 24 * 60;

/** The container of chart images in the app's storage account. */
export const CHART_CONTAINER = 'chart-images';

export type ChartLinker = (view: View) => Promise<SlackChartImage | undefined>;

export function createChartLinks(blobs: Pick<WritableBlobs, 'put' | 'link'>, log: (line: string) => void): ChartLinker {
  return async (view) => {
    const found = chartOf(view);
    if (!found) return undefined;
    // A hash of whose chart it is: a blob name with no character a URL would need to escape, and no job name in a
    // link (the link is all Slack sees).
    const key = createHash('sha256').update(`${found.workspace}\n${found.job}\n${found.chart.metric}`).digest('hex');
    const name = `${key.slice(0, 32)}.png`;
    try {
      await blobs.put(name, chartPng(found.chart), 'image/png');
      return { source: { url: await blobs.link(name, CHART_LINK_MINUTES) } };
    } catch (e) {
      log(
        `[bot] chart image for ${found.job} not stored, the card shows its summary: ${redactText(toError(e).message)}`,
      );
      return undefined;
    }
  };
}
