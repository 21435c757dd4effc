// Layouts of the resource views: a job (facts, errors, tails, output links) and a cluster (facts, errors).
import { isFinalState } from '../shared/compute/model';
import { redactText } from '../shared/core/redact';
import {
  type CauseView,
  type ClusterFacts,
  type ClusterView,
  type ErrorItem,
  type JobSummaryView,
  type JobView,
  labelsOf,
  type LogTailView,
  type OutputDirectoryView,
} from '../shared/core/views';
import { clip, MAX_LINE, MAX_TEXT, type Block, type CardModel } from './card-model';
import { formatBytes, formatDuration, formatTime, stateLabel, stateTone } from './format';
import { progressBlocks } from './progress-layout';

export const jobTitle = (j: JobSummaryView) => (j.experiment ? `${j.experiment}/${j.name}` : j.name);

/** The job's state, once, with what goes with it: `Succeeded · exit code 0 · 4m 16s`. */
export function stateLine(j: JobSummaryView): string {
  return [
    stateLabel(j.state),
    j.exitCode === undefined ? undefined : `exit code ${j.exitCode}`,
    j.durationSeconds === undefined ? undefined : formatDuration(j.durationSeconds),
  ]
    .filter(Boolean)
    .join(' · ');
}

/** `2017-09-27 23:36:54 → 23:41:10 UTC`: the end only repeats the date when it differs. */
function span(start: string, end: string | undefined): string {
  if (!end) return `since ${formatTime(start)}`;
  const [a, b] = [formatTime(start), formatTime(end)];
  return `${a.replace(/ UTC$/, '')} → ${b.slice(0, 10) === a.slice(0, 10) ? b.slice(11) : b}`;
}

/** Compact facts (the state is on its own line, the name in the title). */
export function jobFacts(j: JobSummaryView): Array<{ title: string; value: string }> {
  const facts = [
    {
      title: labelsOf(j).cluster,
      value: `${j.cluster || '—'} · ${j.nodeCount} node${j.nodeCount === 1 ? '' : 's'}`,
    },
  ];
  const add = (title: string, value: string | undefined) => value !== undefined && facts.push({ title, value });
  add('Service name', j.serviceName);
  add('Tool', j.toolType);
  add('Priority', j.priority === 'normal' ? undefined : j.priority);
  add('Ran', j.startedAt && span(j.startedAt, j.endedAt));
  add('Created', j.startedAt ? undefined : j.createdAt && formatTime(j.createdAt));
  add('Submitted by', j.submittedBy);
  return facts;
}

export function errorBlocks(errors: ErrorItem[]): Block[] {
  return errors.map((e) => ({
    type: 'text',
    tone: 'attention',
    text: clip(e.message ? `${e.code}: ${e.message}` : e.code, MAX_TEXT),
  }));
}

/** A quote in a one-line cause (a digest's item) is cut to this many characters. */
const CAUSE_QUOTE_CHARS = 160;

/** `Cause: GPU out of memory (torch.OutOfMemoryError: CUDA out of memory…)`: a digest item's line; masked. */
export function causeLine(c: CauseView): string {
  const quote = c.quote ? ` (${clip(redactText(c.quote), CAUSE_QUOTE_CHARS)})` : '';
  return `Cause: ${c.title}${quote}`;
}

/** The named cause and the line that says so; the quote comes from a log, so it is masked like a tail. */
function causeBlocks(c: CauseView): Block[] {
  const blocks: Block[] = [
    { type: 'text', text: clip(`Cause: ${c.title}`, MAX_TEXT), tone: 'attention', strong: true },
  ];
  if (c.quote) {
    const line = clip(redactText(c.quote), MAX_LINE);
    blocks.push({ type: 'code', label: 'The line that says so', lines: [line], hiddenAbove: 0 });
  }
  return blocks;
}

function tailBlock(t: LogTailView): Block {
  const note = t.truncated ? `The end of ${t.file} (${formatBytes(t.size)} in all): Logs shows more.` : undefined;
  // A job prints what it likes, tokens included: a tail is masked like every other text a card shows.
  const lines = t.lines.length > 0 ? t.lines.map((l) => clip(redactText(l), MAX_LINE)) : ['(empty)'];
  return { type: 'code', label: t.file, lines, hiddenAbove: 0, ...(note ? { note } : {}) };
}

function outputBlock(d: OutputDirectoryView): Block {
  const links = d.files.map((f) => ({
    title: f.isDirectory ? `${f.name}/` : f.name,
    ...(f.isDirectory ? {} : { url: f.url }),
    ...(f.size === undefined ? {} : { detail: formatBytes(f.size) }),
  }));
  const more = d.more ? ` Showing ${d.files.length} of more: the directory holds more files than are listed.` : '';
  const note = `Links expire ${formatTime(d.expiresAt)}.${more}`;
  return {
    type: 'links',
    label: d.id === 'stdouterr' ? 'Logs and output files' : `Output ${d.id}`,
    links,
    hiddenBelow: 0,
    note,
  };
}

export function layoutJob(v: JobView): CardModel {
  const j = v.job;
  const blocks: Block[] = [];
  if (v.headline) blocks.push({ type: 'text', text: clip(v.headline, MAX_TEXT), strong: true });
  blocks.push({ type: 'text', text: stateLine(j), tone: stateTone(j.state), strong: true });
  if (v.cause) blocks.push(...causeBlocks(v.cause));
  if (v.progress) blocks.push(...progressBlocks(v.progress, isFinalState(j.state)));
  blocks.push({ type: 'facts', facts: jobFacts(j) }, ...errorBlocks(j.errors));
  blocks.push(...v.tails.map(tailBlock), ...v.outputs.map(outputBlock));
  if (v.actions.length) blocks.push({ type: 'actions', actions: v.actions });
  const exit = j.exitCode === undefined ? '' : ` (exit code ${j.exitCode})`;
  const cause = v.cause ? `: ${v.cause.title}` : '';
  return {
    title: `Job ${jobTitle(j)}`,
    summary: `Job ${jobTitle(j)}: ${stateLabel(j.state).toLowerCase()}${exit}${cause}`,
    blocks,
  };
}

export function scaleText(c: ClusterFacts): string {
  const s = c.scale;
  if (s.mode === 'manual') return `manual, ${s.targetNodeCount} node${s.targetNodeCount === 1 ? '' : 's'}`;
  return `auto, ${s.min}-${s.max} nodes${s.initial === undefined ? '' : ` (initially ${s.initial})`}`;
}

export function nodesText(c: ClusterFacts): string {
  const n = c.nodes;
  const parts = Object.entries(n)
    .filter(([, count]) => count > 0)
    .map(([state, count]) => `${count} ${state}`);
  return `${c.currentNodeCount}${parts.length ? ` (${parts.join(', ')})` : ''}`;
}

export function clusterFacts(c: ClusterFacts): Array<{ title: string; value: string }> {
  const facts = [
    { title: 'Allocation', value: c.allocationState },
    { title: 'Nodes', value: nodesText(c) },
    { title: 'Scale', value: scaleText(c) },
    { title: 'VM size', value: c.vmSize || '—' },
  ];
  if (c.vmPriority) facts.push({ title: 'Priority', value: c.vmPriority });
  facts.push({ title: labelsOf(c).workspace, value: c.workspace });
  return facts;
}

export function layoutCluster(v: ClusterView): CardModel {
  const blocks: Block[] = [];
  if (v.headline) blocks.push({ type: 'text', text: clip(v.headline, MAX_TEXT), strong: true });
  blocks.push({ type: 'facts', facts: clusterFacts(v) }, ...errorBlocks(v.errors));
  if (v.actions.length) blocks.push({ type: 'actions', actions: v.actions });
  const { cluster } = labelsOf(v);
  return {
    title: `${cluster} ${v.name}`,
    summary: `${cluster} ${v.name}: ${v.allocationState}, ${v.currentNodeCount} nodes`,
    blocks,
  };
}
