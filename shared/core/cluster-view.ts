// Wire Cluster → the neutral cluster view. Lenient with absent fields; actions are concrete commands because
// a button sends text as if typed (there is no "ask for a number" in a command).
import type { Cluster } from '../batchai/types';
import { commandText } from './command-text';
import { lastSegment } from './arm-names';
import { toErrorItems } from './job-view';
import type { ActionView, ClusterFacts, ClusterView } from './views';

export function toClusterFacts(cluster: Cluster, workspace: string): ClusterFacts {
  const p = cluster.properties ?? {};
  const n = p.nodeStateCounts ?? {};
  const auto = p.scaleSettings?.autoScale;
  const facts: ClusterFacts = {
    workspace,
    name: cluster.name ?? lastSegment(cluster.id) ?? '',
    vmSize: p.vmSize ?? '',
    allocationState: p.allocationState ?? 'steady',
    currentNodeCount: p.currentNodeCount ?? 0,
    nodes: {
      idle: n.idleNodeCount ?? 0, running: n.runningNodeCount ?? 0, preparing: n.preparingNodeCount ?? 0,
      leaving: n.leavingNodeCount ?? 0, unusable: n.unusableNodeCount ?? 0,
    },
    scale: auto
      ? { mode: 'auto', min: auto.minimumNodeCount, max: auto.maximumNodeCount, ...(auto.initialNodeCount === undefined ? {} : { initial: auto.initialNodeCount }) }
      : { mode: 'manual', targetNodeCount: p.scaleSettings?.manual?.targetNodeCount ?? p.currentNodeCount ?? 0 },
    errors: toErrorItems(p.errors),
  };
  if (p.vmPriority) facts.vmPriority = p.vmPriority;
  return facts;
}

/** Resize one node up, auto-scale from zero to the current size, scale to zero while it holds nodes. */
export function clusterActions(c: ClusterFacts): ActionView[] {
  const target = c.scale.mode === 'manual' ? c.scale.targetNodeCount : c.scale.max;
  const actions: ActionView[] = [
    { title: `Resize to ${target + 1}`, command: commandText({ kind: 'resize', cluster: c.name, nodes: Math.min(target + 1, 1000) }) },
    { title: `Auto-scale 0-${Math.max(target, 1)}`, command: commandText({ kind: 'autoscale', cluster: c.name, min: 0, max: Math.max(target, 1) }) },
  ];
  if (target > 0 || c.currentNodeCount > 0) {
    actions.push({ title: 'Scale to zero', command: commandText({ kind: 'scale-to-zero', cluster: c.name }), style: 'destructive' });
  }
  return actions;
}

export function toClusterView(cluster: Cluster, workspace: string): ClusterView {
  const facts = toClusterFacts(cluster, workspace);
  return { kind: 'cluster', ...facts, actions: clusterActions(facts) };
}
