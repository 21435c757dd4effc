// A job card's chart as a picture, for channels that show a chart only as an image (Slack): which chart a view
// has, and its PNG (cards/chart-png.ts). Where the PNG goes is the transport's: an upload to Slack (the Slack
// app: slack/chart-images.ts) or a blob behind a short-lived read link (Bot Service's Slack channel: chart-links.ts).
import { lineChartPng } from '../cards/chart-png';
import { thin } from '../cards/progress-layout';
import { isFinalState } from '../shared/compute/model';
import type { View } from '../shared/core/views';

export type Chart = { metric: string; points: Array<{ x: number; y: number }> };

/** Points drawn into the PNG (an image has room for more than Teams' 50). */
const PNG_POINTS = 400;

/** The job view's chart, if it has one worth drawing (two points or more), and whether the job has ended. */
export function chartOf(view: View): { chart: Chart; final: boolean; job: string; workspace: string } | undefined {
  if (view.kind !== 'job') return undefined;
  const c = view.progress?.chart;
  if (!c || c.points.length < 2) return undefined;
  const job = `${view.job.experiment}/${view.job.name}`;
  return { chart: c, final: isFinalState(view.job.state), job, workspace: view.job.workspace };
}

export const chartPng = (chart: Chart): Buffer => lineChartPng(thin(chart.points, PNG_POINTS));
