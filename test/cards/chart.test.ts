// The metric chart on a finished job's card: Teams' Chart.Line (checked by the validator, which knows it), its
// text fallback, Slack's image block once the PNG is uploaded (its summary line before), and the PNG itself.
import { renderAdaptive, type AdaptiveElement } from '../../cards/adaptive';
import { lineChartPng } from '../../cards/chart-png';
import { MAX_CHART_POINTS } from '../../cards/card-model';
import { pngHeader } from '../../cards/png';
import { toActivity } from '../../cards/activity';
import { renderSlack } from '../../cards/slack';
import { validateAdaptiveCard } from '../../cards/validate';
import type { JobView } from '../../shared/core/views';

const points = Array.from({ length: 120 }, (_, i) => ({ x: i + 1, y: 2.5 * Math.exp(-i / 40) + 0.05 }));
const view: JobView = {
  kind: 'job',
  job: {
    workspace: 'ws',
    experiment: 'exp',
    name: 'tp-one',
    state: 'succeeded',
    cluster: 'gpu',
    nodeCount: 1,
    exitCode: 0,
    errors: [],
  },
  tails: [],
  outputs: [],
  actions: [],
  progress: {
    fraction: 1,
    step: 120,
    totalSteps: 120,
    metrics: [{ name: 'loss', value: 0.1204 }],
    chart: { metric: 'loss', points },
  },
};

const chartOf = (card: { body: AdaptiveElement[] }) => card.body.find((e) => e.type === 'Chart.Line');

describe('the chart on an Adaptive Card', () => {
  it('is a Chart.Line of at most 50 points, first and last kept, with a text fallback; the card validates', () => {
    const card = renderAdaptive(view, 'execute');
    expect(validateAdaptiveCard(card)).toEqual([]);
    const chart = chartOf(card) as AdaptiveElement & { data: Array<{ legend: string; values: unknown[] }> };
    expect(chart).toMatchObject({ title: 'loss over steps', xAxisTitle: 'step', yAxisTitle: 'loss' });
    expect(chart.data[0]!.legend).toBe('loss');
    expect(chart.data[0]!.values).toHaveLength(MAX_CHART_POINTS);
    expect(chart.data[0]!.values[0]).toEqual(points[0]);
    expect(chart.data[0]!.values.at(-1)).toEqual(points.at(-1));
    expect(chart.fallback).toMatchObject({
      type: 'TextBlock',
      text: expect.stringMatching(/^loss 2\.55 → 0\.\d+ over/),
    });
    // A finished job shows its last metrics and the chart, no bar.
    expect(JSON.stringify(card)).not.toMatch(/[▰▱]/);
  });

  it('the validator refuses a malformed chart (so a passing card means a checked chart)', () => {
    const bad = {
      type: 'AdaptiveCard',
      version: '1.5',
      body: [{ type: 'Chart.Line', data: [{ values: [{ x: 1 }] }] }],
    };
    expect(validateAdaptiveCard(bad).join('\n')).toMatch(/needs a legend[\s\S]*numeric y/);
  });
});

describe('the chart in Slack', () => {
  it('is the summary line until the sender has uploaded the PNG, then an image block naming the file', () => {
    const plain = JSON.stringify(renderSlack(view).blocks);
    expect(plain).toMatch(/loss 2\.55 → 0\.\d+ over steps 1–120/);
    expect(plain).not.toMatch(/"image"/);
    const withFile = renderSlack(view, { chart: { source: { fileId: 'F0LOCAL0001' } } }).blocks;
    expect(withFile).toContainEqual(
      expect.objectContaining({ type: 'image', slack_file: { id: 'F0LOCAL0001' }, alt_text: expect.any(String) }),
    );
  });

  it('names a linked image by URL (Bot Service), says when an older one is shown, and why one is missing', () => {
    const url = 'https://acct.blob.core.windows.net/chart-images/a.png?sig=x';
    const linked = toActivity(view, 'slack', { chart: { source: { url } } }).channelData!.blocks;
    expect(linked).toContainEqual(expect.objectContaining({ type: 'image', image_url: url }));
    const older = renderSlack(view, {
      chart: { source: { fileId: 'F1' }, asOf: '2026-12-07T10:05:00.000Z', note: 'budget spent' },
    }).blocks;
    expect(older).toContainEqual(
      expect.objectContaining({
        type: 'image',
        title: { type: 'plain_text', text: 'loss over steps, as of 10:05 UTC' },
      }),
    );
    expect(JSON.stringify(older)).toContain('budget spent');
    const none = JSON.stringify(renderSlack(view, { chart: { note: 'budget spent' } }).blocks);
    expect(none).toMatch(/loss 2\.55 → 0\.\d+ over steps 1–120 \(lowest [\d.]+\) \(budget spent\)/);
    expect(none).not.toContain('"image"');
  });
});

describe('lineChartPng', () => {
  it('is a 640×280 RGBA PNG whose line is drawn', () => {
    const png = lineChartPng(points);
    expect(pngHeader(png)).toEqual({ width: 640, height: 280, colorType: 6 });
    expect(lineChartPng(points.slice(0, 1)).equals(png)).toBe(false);
  });
});
