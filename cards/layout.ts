// View → CardModel for every View kind. One place decides what a card shows; renderers decide how.
import { commandText } from '../shared/core/command-text';
import { jobNameOf } from '../shared/core/job-view';
import type { View } from '../shared/core/views';
import { clip, MAX_CODE_LINES, MAX_LINE, MAX_TEXT, type Block, type CardModel } from './card-model';
import { formatDuration, stateLabel, stateTone } from './format';
import { causeLine, clusterFacts, jobTitle, layoutCluster, layoutJob, nodesText, scaleText } from './layout-resources';

const text = (t: string, extra: Partial<Extract<Block, { type: 'text' }>> = {}): Block => ({
  type: 'text',
  text: clip(t, MAX_TEXT),
  ...extra,
});
const actions = (a: Extract<Block, { type: 'actions' }>['actions']): Block[] =>
  a.length ? [{ type: 'actions', actions: a }] : [];

export function layoutView(view: View): CardModel {
  switch (view.kind) {
    case 'job':
      return layoutJob(view);
    case 'cluster':
      return layoutCluster(view);
    case 'job-list': {
      const items = view.jobs.map((j) => ({
        title: jobTitle(j),
        text: [
          stateLabel(j.state),
          j.cluster,
          `${j.nodeCount} node${j.nodeCount === 1 ? '' : 's'}`,
          j.durationSeconds === undefined ? '' : formatDuration(j.durationSeconds),
        ]
          .filter(Boolean)
          .join(' · '),
        tone: stateTone(j.state),
        command: commandText({ kind: 'job', job: jobNameOf(j) }),
        commandTitle: 'Open',
      }));
      return {
        title: view.title,
        summary: `${view.title}: ${view.jobs.length + view.more} jobs`,
        blocks: [{ type: 'items', items, hiddenBelow: view.more, empty: 'No jobs.' }],
      };
    }
    case 'cluster-list': {
      const items = view.clusters.map((c) => ({
        title: c.name,
        text: `${c.allocationState} · ${nodesText(c)} nodes · ${scaleText(c)} · ${c.vmSize}`,
        command: commandText({ kind: 'cluster', cluster: c.name }),
        commandTitle: 'Open',
      }));
      return {
        title: view.title,
        summary: `${view.title}: ${view.clusters.length} clusters`,
        blocks: [{ type: 'items', items, hiddenBelow: 0, empty: 'No clusters.' }],
      };
    }
    case 'help': {
      const items = view.entries.map((e) => ({
        title: e.usage,
        text: `${e.summary}${e.examples.length ? ` e.g. ${e.examples.join(' · ')}` : ''}`,
      }));
      return { title: view.title, summary: view.title, blocks: [{ type: 'items', items, hiddenBelow: 0 }] };
    }
    case 'error':
      return {
        title: view.title,
        summary: `${view.title}: ${clip(view.message, 200)}`,
        blocks: [
          text(view.message, { tone: 'attention' }),
          ...(view.hint ? [text(view.hint, { subtle: true })] : []),
          ...actions(view.actions),
        ],
      };
    case 'confirm':
      return {
        title: view.title,
        summary: view.title,
        blocks: [text(view.message), ...actions([view.confirm, view.cancel])],
      };
    case 'text': {
      const blocks: Block[] = [text(view.text)];
      if (view.facts?.length) blocks.push({ type: 'facts', facts: view.facts });
      if (view.code !== undefined) {
        const lines = view.code.split('\n');
        const shown = lines.slice(0, MAX_CODE_LINES).map((l) => clip(l, MAX_LINE));
        blocks.push({
          type: 'code',
          label: view.codeLabel ?? 'Details',
          lines: shown,
          hiddenAbove: 0,
          hiddenBelow: lines.length - shown.length,
        });
      }
      blocks.push(...actions(view.actions));
      return { title: view.title ?? '', summary: clip(view.title ?? view.text, 200), blocks };
    }
    case 'template-list': {
      const items = view.templates.map((t) => ({
        title: t.name,
        text: [t.description, t.parameters.length ? `Parameters: ${t.parameters.join(', ')}` : 'No parameters']
          .filter(Boolean)
          .join(' — '),
        command: commandText({ kind: 'template', template: t.name }),
        commandTitle: 'Show',
      }));
      return {
        title: 'Templates',
        summary: `${view.templates.length} templates`,
        blocks: [{ type: 'items', items, hiddenBelow: 0, empty: 'No templates saved.' }],
      };
    }
    case 'subscription-list': {
      const items = view.subscriptions.map((s) => ({
        title: s.id,
        text: s.description,
        command: commandText({ kind: 'unsubscribe', id: s.id }),
        commandTitle: 'Unsubscribe',
      }));
      return {
        title: 'Subscriptions',
        summary: `${view.subscriptions.length} subscriptions`,
        blocks: [
          { type: 'items', items, hiddenBelow: 0, empty: 'No subscriptions in this conversation. Try: subscribe' },
        ],
      };
    }
    case 'cluster-alert':
      return {
        title: view.title,
        summary: `${view.title}: ${clip(view.message, 200)}`,
        blocks: [
          text(view.message, { strong: true }),
          { type: 'facts', facts: clusterFacts(view.cluster) },
          ...actions(view.actions),
        ],
      };
    case 'digest': {
      const items = view.items.map((i) => ({
        title: i.title,
        text: i.cause ? `${i.text} · ${causeLine(i.cause)}` : i.text,
        ...(i.state ? { tone: stateTone(i.state) } : {}),
        ...(i.command ? { command: i.command, commandTitle: 'Open' } : {}),
      }));
      return { title: view.title, summary: view.title, blocks: [{ type: 'items', items, hiddenBelow: 0 }] };
    }
  }
}
