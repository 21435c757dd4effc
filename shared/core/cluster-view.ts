// The port's cluster → the neutral cluster view. Actions are concrete commands because a button sends text as
// if typed (there is no "ask for a number" in a command).
import type { ComputeCluster } from '../compute/model';
import { commandText } from './command-text';
import { type ActionView, type ClusterFacts, type ClusterView, labelled, type ResourceLabels } from './views';

export function toClusterFacts(c: ComputeCluster, workspace: string, labels?: ResourceLabels): ClusterFacts {
  const facts: ClusterFacts = {
    workspace,
    ...labelled(labels),
    name: c.name,
    vmSize: c.vmSize,
    allocationState: c.allocationState,
    currentNodeCount: c.currentNodeCount,
    nodes: c.nodes,
    scale: c.scale,
    errors: c.errors,
  };
  if (c.vmPriority) facts.vmPriority = c.vmPriority;
  return facts;
}

/** Resize one node up, auto-scale from zero to the current size, scale to zero while it holds nodes. */
export function clusterActions(c: ClusterFacts): ActionView[] {
  const target = c.scale.mode === 'manual' ? c.scale.targetNodeCount : c.scale.max;
  const actions: ActionView[] = [
    {
      title: `Resize to ${target + 1}`,
      command: commandText({ kind: 'resize', cluster: c.name, nodes: Math.min(target + 1, 1000) }),
    },
    {
      title: `Auto-scale 0-${Math.max(target, 1)}`,
      command: commandText({ kind: 'autoscale', cluster: c.name, min: 0, max: Math.max(target, 1) }),
    },
  ];
  if (target > 0 || c.currentNodeCount > 0) {
    actions.push({
      title: 'Scale to zero',
      command: commandText({ kind: 'scale-to-zero', cluster: c.name }),
      style: 'destructive',
    });
  }
  return actions;
}

export function toClusterView(cluster: ComputeCluster, workspace: string, labels?: ResourceLabels): ClusterView {
  const facts = toClusterFacts(cluster, workspace, labels);
  return { kind: 'cluster', ...facts, actions: clusterActions(facts) };
}
