// A job card's chart, for Slack: Slack shows an image only from a URL it can fetch itself or from a file uploaded
// to it, and the product's links are private. So the PNG (cards/chart-png.ts) is uploaded with Slack's file
// upload API (files.getUploadURLExternal, a POST of the bytes to the URL it answers, files.completeUploadExternal,
// shared with no channel) and the card's image block names the file. Only a finished job's chart is uploaded:
// a running card is updated every minute, and Slack's files methods allow about 20 calls a minute.
import type { WebClient } from '@slack/web-api';
import { chartSummary, thin } from '../../cards/progress-layout';
import { lineChartPng } from '../../cards/chart-png';
import { isFinalState } from '../../shared/compute/model';
import { redactText } from '../../shared/core/redact';
import type { View } from '../../shared/core/views';
import { ProtocolError } from '../../shared/errors';

/** Points drawn into the PNG (an image has room for more than Teams' 50). */
const PNG_POINTS = 400;

/** The view's chart, if it has one worth an upload (a finished job's, two points or more). */
export function chartToUpload(view: View): { metric: string; points: Array<{ x: number; y: number }> } | undefined {
  if (view.kind !== 'job' || !isFinalState(view.job.state)) return undefined;
  const c = view.progress?.chart;
  return c && c.points.length >= 2 ? c : undefined;
}

/** Uploads the chart and answers its Slack file id. `post` sends the bytes (global fetch unless a test says). */
export async function uploadChart(
  client: WebClient,
  chart: { metric: string; points: Array<{ x: number; y: number }> },
  jobName: string,
  post: typeof fetch = fetch,
): Promise<string> {
  const png = lineChartPng(thin(chart.points, PNG_POINTS));
  const metric = redactText(chart.metric);
  const filename = `${jobName.replace(/[^\w.-]+/g, '-')}-${metric.replace(/[^\w.-]+/g, '-')}.png`;
  const url = await client.files.getUploadURLExternal({ filename, length: png.length });
  if (!url.upload_url || !url.file_id) throw new ProtocolError('files.getUploadURLExternal answered no upload URL');
  const res = await post(url.upload_url, { method: 'POST', body: new Uint8Array(png) });
  if (!res.ok) throw new ProtocolError(`the chart upload answered HTTP ${res.status}`);
  const title = `${jobName}: ${chartSummary(metric, chart.points)}`;
  await client.files.completeUploadExternal({ files: [{ id: url.file_id, title }] });
  return url.file_id;
}
