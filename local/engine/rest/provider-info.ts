// Provider-level answers: the operation list and regional usages (clusters and vCPUs in use here).
import type { Operation, Usage } from '../../../shared/batchai/types';
import type { Core } from '../core/core';

const RESOURCES: Array<[string, string]> = [
  ['workspaces', 'Batch AI Workspaces'],
  ['workspaces/clusters', 'Batch AI Clusters'],
  ['workspaces/experiments', 'Batch AI Experiments'],
  ['workspaces/experiments/jobs', 'Batch AI Jobs'],
  ['workspaces/fileservers', 'Batch AI File Servers'],
];

export const PROVIDER_OPERATIONS: Operation[] = RESOURCES.flatMap(([type, resource]) =>
  (['read', 'write', 'delete'] as const).map((verb) => ({
    name: `Microsoft.BatchAI/${type}/${verb}`,
    display: {
      provider: 'Microsoft Batch AI',
      resource,
      operation: `${verb === 'read' ? 'List or get' : verb === 'write' ? 'Create or update' : 'Delete'} ${resource}`,
      description:
        `${verb === 'read' ? 'Lists or gets' : verb === 'write' ? 'Creates or updates' : 'Deletes'}` + ` ${resource}`,
    },
    origin: 'user,system',
  })),
);

/** vCPUs of a VM size, from its digits (STANDARD_NC6 → 6); 1 when the name carries none. */
function vcpus(vmSize: string | undefined): number {
  const m = /(\d+)/.exec(vmSize ?? '');
  return m ? Number(m[1]) : 1;
}

export function usages(core: Core, sub: string): Usage[] {
  let clusters = 0;
  let dedicated = 0;
  let low = 0;
  for (const c of core.state.clusters.values()) {
    if (c.sub !== sub) continue;
    clusters++;
    const n = c.currentNodeCount * vcpus(c.props.vmSize);
    if (c.props.vmPriority === 'lowpriority') low += n;
    else dedicated += n;
  }
  const usage = (value: string, localized: string, currentValue: number, limit: number): Usage => ({
    unit: 'Count',
    currentValue,
    limit,
    name: { value, localizedValue: localized },
  });
  return [
    usage('Clusters', 'Clusters', clusters, 20),
    usage('Total Cluster Dedicated Regional vCPUs', 'Total Cluster Dedicated Regional vCPUs', dedicated, 600),
    usage('Total Cluster LowPriority Regional vCPUs', 'Total Cluster Low Priority Regional vCPUs', low, 150),
  ];
}
