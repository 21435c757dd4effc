// The progress part of a running job's card: one line with a bar, the step/epoch, the rate and the ETA, and the
// latest metrics as facts. Text only, so every channel shows it the same (Teams, web chat, Slack).
import { REDACTED, redactText } from '../shared/core/redact';
import type { ProgressView } from '../shared/core/views';
import { type Block, MAX_CHART_POINTS } from './card-model';
import { formatDuration } from './format';

const BAR_CELLS = 10;

/** `▰▰▰▰▱▱▱▱▱▱ 46%` */
export function progressBar(fraction: number): string {
  const f = Math.max(0, Math.min(1, fraction));
  const full = Math.round(f * BAR_CELLS);
  return `${'▰'.repeat(full)}${'▱'.repeat(BAR_CELLS - full)} ${Math.floor(f * 100)}%`;
}

/** 4 significant digits, no exponent for ordinary magnitudes: 0.7021, 36.8, 4e-5. */
export function formatMetric(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  return String(Number(v.toPrecision(4)));
}

function rate(perSecond: number): string {
  return perSecond >= 1 ? `${formatMetric(perSecond)} it/s` : `${formatMetric(1 / perSecond)} s/it`;
}

export function progressLine(p: ProgressView): string {
  const of = (n: number, total: number | undefined) => (total ? `${formatMetric(n)}/${total}` : formatMetric(n));
  return [
    p.fraction === undefined ? undefined : progressBar(p.fraction),
    p.epoch === undefined ? undefined : `epoch ${of(p.epoch, p.totalEpochs)}`,
    p.step === undefined ? undefined : `step ${of(p.step, p.totalSteps)}`,
    p.ratePerSecond ? rate(p.ratePerSecond) : undefined,
    p.etaSeconds === undefined ? undefined : `ETA ${formatDuration(p.etaSeconds)}`,
  ]
    .filter(Boolean)
    .join(' · ');
}

/** Shown metrics: the card is not a dashboard. */
const MAX_SHOWN = 6;

/** Evenly thinned to `max`, first and last kept. */
export function thin<T>(points: readonly T[], max: number): T[] {
  if (points.length <= max) return [...points];
  const step = (points.length - 1) / (max - 1);
  return Array.from({ length: max }, (_, i) => points[Math.round(i * step)]!);
}

/** `loss 2.31 → 0.1204 over steps 1–120 (lowest 0.1012)`: the chart in words, for hosts without charts. */
export function chartSummary(metric: string, points: ReadonlyArray<{ x: number; y: number }>): string {
  const first = points[0]!;
  const last = points[points.length - 1]!;
  const low = Math.min(...points.map((p) => p.y));
  return (
    `${metric} ${formatMetric(first.y)} → ${formatMetric(last.y)} over steps ${formatMetric(first.x)}–` +
    `${formatMetric(last.x)} (lowest ${formatMetric(low)})`
  );
}

function chartBlock(c: NonNullable<ProgressView['chart']>): Block | undefined {
  if (c.points.length < 2) return undefined;
  const metric = redactText(c.metric);
  return {
    type: 'chart',
    title: `${metric} over steps`,
    metric,
    xTitle: 'step',
    points: thin(c.points, MAX_CHART_POINTS),
    summary: chartSummary(metric, c.points),
  };
}

/** `ended`: the job is over: its last metrics and the chart, no bar or ETA. */
export function progressBlocks(p: ProgressView, ended = false): Block[] {
  const blocks: Block[] = [];
  const line = ended ? '' : progressLine(p);
  if (line) blocks.push({ type: 'text', text: line, tone: 'accent' });
  if (p.metrics.length) {
    // A "metric" the log printed as `token=1234` is a credential, not a metric: masked like every card's text.
    const facts = p.metrics
      .filter((m) => !redactText(`${m.name}=${m.value}`).includes(REDACTED))
      .slice(0, MAX_SHOWN)
      .map((m) => ({ title: redactText(m.name), value: formatMetric(m.value) }));
    blocks.push({ type: 'facts', facts });
  }
  const chart = p.chart && chartBlock(p.chart);
  if (chart) blocks.push(chart);
  return blocks;
}
