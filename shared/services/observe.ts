// What the poller sees of one workspace, with one request per list page: clusters (1), experiments (1) and
// the jobs of each experiment (1 per page of up to 1000) — never a GET per job.
import { collect, mapLimit } from '../core/collect';
import type { WorkspaceRef } from '../compute/model';
import type { ComputeCluster, ComputeJob } from '../compute/model';
import type { ComputePort } from '../compute/port';
import { toClusterFacts } from '../core/cluster-view';
import { clusterKey, jobKey, type JobRow, type ObservedCluster, type ObservedJob } from '../core/diff';
import { toJobSummary } from '../core/job-view';
import type { ResourceLabels } from '../core/views';

export type ListingPort = Pick<
  ComputePort,
  'listClusters' | 'listExperiments' | 'listJobs' | 'labels' | 'releaseListing'
>;

/** `experiment`: the one the listing was for (a job filed under it, whatever its id says). */
export function jobRow(job: ComputeJob, ws: WorkspaceRef, experiment: string): JobRow {
  return {
    kind: 'job',
    key: jobKey(experiment, job.name),
    resourceId: job.id || `${ws.resourceGroup}/${ws.workspace}/${experiment}/${job.name}`,
    experiment,
    job: job.name,
    state: job.state,
    at: job.stateChangedAt ?? job.createdAt ?? '',
    cluster: job.cluster,
    nodeCount: job.nodeCount,
  };
}

/** The job's row and what an event of it shows. */
export function observeJob(
  job: ComputeJob,
  ws: WorkspaceRef,
  experiment: string,
  labels?: ResourceLabels,
): ObservedJob {
  const summary = { ...toJobSummary(job, ws.workspace, undefined, labels), experiment };
  return {
    row: jobRow(job, ws, experiment),
    createdAt: job.createdAt ?? '',
    summary,
    outputDirectoryIds: job.outputDirectoryIds,
  };
}

export function observeCluster(cluster: ComputeCluster, ws: WorkspaceRef, labels?: ResourceLabels): ObservedCluster {
  const view = toClusterFacts(cluster, ws.workspace, labels);
  return {
    row: {
      kind: 'cluster',
      key: clusterKey(cluster.name),
      resourceId: cluster.id || `${ws.resourceGroup}/${ws.workspace}/${cluster.name}`,
      cluster: cluster.name,
      vmSize: cluster.vmSize,
      allocationState: cluster.allocationState,
      nodeCount: cluster.currentNodeCount,
      at: cluster.allocationChangedAt ?? cluster.createdAt ?? '',
    },
    view,
  };
}

export async function observeWorkspace(
  compute: ListingPort,
  ws: WorkspaceRef,
  concurrency: number,
): Promise<{ jobs: ObservedJob[]; clusters: ObservedCluster[] }> {
  try {
    const [clusters, experiments] = await Promise.all([
      collect(compute.listClusters(ws)),
      collect(compute.listExperiments(ws)),
    ]);
    const perExperiment = await mapLimit(experiments, concurrency, async (experiment) =>
      (await collect(compute.listJobs({ ...ws, experiment }))).map((j) =>
        observeJob(j, ws, experiment, compute.labels),
      ),
    );
    return { jobs: perExperiment.flat(), clusters: clusters.map((c) => observeCluster(c, ws, compute.labels)) };
  } finally {
    compute.releaseListing?.(ws);
  }
}
