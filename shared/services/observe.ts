// What the poller sees of one workspace, with one request per list page: clusters (1), experiments (1) and
// the jobs of each experiment (1 per page of up to 1000) — never a GET per job.
import { collect } from '../core/collect';
import type { WorkspaceRef } from '../batchai/port';
import type { ComputePort } from '../compute/port';
import type { Cluster, Job } from '../batchai/types';
import { toClusterFacts } from '../core/cluster-view';
import { clusterKey, jobKey, type ObservedCluster, type ObservedJob } from '../core/diff';
import { toJobSummary } from '../core/job-view';

export type ListingPort = Pick<ComputePort, 'listClusters' | 'listExperiments' | 'listJobs'>;

/** Runs `fn` over `items` with at most `limit` in flight; the first failure rejects. */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

export function observeJob(job: Job, ws: WorkspaceRef, experiment: string): ObservedJob {
  const p = job.properties ?? {};
  const summary = toJobSummary(job, ws.workspace);
  const name = job.name ?? summary.name;
  return {
    row: {
      kind: 'job', key: jobKey(experiment, name),
      resourceId: job.id ?? `${ws.resourceGroup}/${ws.workspace}/${experiment}/${name}`,
      experiment, job: name, state: summary.state,
      at: p.executionStateTransitionTime ?? p.creationTime ?? '', cluster: summary.cluster, nodeCount: summary.nodeCount,
    },
    createdAt: p.creationTime ?? '',
    summary,
    outputDirectoryIds: (p.outputDirectories ?? []).map((d) => d.id),
  };
}

export function observeCluster(cluster: Cluster, ws: WorkspaceRef): ObservedCluster {
  const view = toClusterFacts(cluster, ws.workspace);
  const p = cluster.properties ?? {};
  return {
    row: {
      kind: 'cluster', key: clusterKey(view.name), resourceId: cluster.id ?? `${ws.resourceGroup}/${ws.workspace}/${view.name}`,
      cluster: view.name, vmSize: view.vmSize, allocationState: view.allocationState, nodeCount: view.currentNodeCount,
      at: p.allocationStateTransitionTime ?? p.creationTime ?? '',
    },
    view,
  };
}

export async function observeWorkspace(
  batchAi: ListingPort, ws: WorkspaceRef, concurrency: number,
): Promise<{ jobs: ObservedJob[]; clusters: ObservedCluster[] }> {
  const [clusters, experiments] = await Promise.all([collect(batchAi.listClusters(ws)), collect(batchAi.listExperiments(ws))]);
  const names = experiments.map((e) => e.name).filter((n): n is string => !!n);
  const perExperiment = await mapLimit(names, concurrency, async (experiment) =>
    (await collect(batchAi.listJobs({ ...ws, experiment }, { maxResults: 1000 }))).map((j) => observeJob(j, ws, experiment)));
  return { jobs: perExperiment.flat(), clusters: clusters.map((c) => observeCluster(c, ws)) };
}
