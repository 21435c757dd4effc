// A job card's chart, for Slack: Slack shows an image only from a URL it can fetch itself or from a file uploaded
// to it, and the product's links are private. So the PNG (cards/chart-png.ts) is uploaded with Slack's file
// upload API (files.getUploadURLExternal, a POST of the bytes to the URL it answers, files.completeUploadExternal,
// shared with no channel) and the card's image block names the file. How often, and within which budget, is
// chart-images.ts's to decide.
import type { WebClient } from '@slack/web-api';
import { chartSummary } from '../../cards/progress-layout';
import { redactText } from '../../shared/core/redact';
import { ProtocolError } from '../../shared/errors';
import { type Chart, chartPng } from '../chart-image';

/** Uploads the chart and answers its Slack file id. `post` sends the bytes (global fetch unless a test says). */
export async function uploadChart(
  client: WebClient,
  chart: Chart,
  jobName: string,
  post: typeof fetch = fetch,
): Promise<string> {
  const png = chartPng(chart);
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
