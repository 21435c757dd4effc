// In-memory indexes over the records, written through to the journal. Jobs are indexed per experiment (listing
// is the hot path: 10,000 jobs of one experiment) and per cluster (the scheduler's view).
import type { Journal } from './journal';
import {
  clusterId,
  experimentId,
  isFinished,
  jobId,
  workspaceId,
  type ClusterKey,
  type ClusterRec,
  type ExperimentKey,
  type ExperimentRec,
  type FileServerRec,
  type JobKey,
  type JobRec,
  type WorkspaceKey,
  type WorkspaceRec,
} from './model';

export class State {
  readonly workspaces = new Map<string, WorkspaceRec>();
  readonly experiments = new Map<string, ExperimentRec>();
  readonly clusters = new Map<string, ClusterRec>();
  readonly fileServers = new Map<string, FileServerRec>();
  /** experimentId → (job name → job), in submission order. */
  readonly jobsByExperiment = new Map<string, Map<string, JobRec>>();
  /** clusterId → (jobId → job) of jobs not finished, the scheduler's working set. */
  readonly activeJobsByCluster = new Map<string, Map<string, JobRec>>();
  private nextSeq = 1;

  constructor(private readonly journal: Journal) {
    for (const [k, v] of journal.load()) {
      const kind = k.slice(0, k.indexOf(':'));
      if (kind === 'ws') this.workspaces.set(workspaceId(v as WorkspaceRec), v as WorkspaceRec);
      else if (kind === 'exp') this.experiments.set(experimentId(v as ExperimentRec), v as ExperimentRec);
      else if (kind === 'cluster') this.clusters.set(clusterId(v as ClusterRec), v as ClusterRec);
      else if (kind === 'fs') this.fileServers.set(fileServerId(v as FileServerRec), v as FileServerRec);
      else if (kind === 'job') this.index(v as JobRec);
    }
    for (const m of this.jobsByExperiment.values())
      for (const j of m.values()) this.nextSeq = Math.max(this.nextSeq, j.seq + 1);
  }

  takeSeq(): number {
    return this.nextSeq++;
  }

  private index(j: JobRec): void {
    const eid = experimentId(j);
    let m = this.jobsByExperiment.get(eid);
    if (!m) this.jobsByExperiment.set(eid, (m = new Map()));
    m.set(j.job, j);
    this.trackActive(j);
  }

  private trackActive(j: JobRec): void {
    const cid = clusterId(j.cluster);
    let m = this.activeJobsByCluster.get(cid);
    if (isFinished(j)) {
      m?.delete(jobId(j));
      return;
    }
    if (!m) this.activeJobsByCluster.set(cid, (m = new Map()));
    m.set(jobId(j), j);
  }

  workspace(k: WorkspaceKey): WorkspaceRec | undefined {
    return this.workspaces.get(workspaceId(k));
  }
  experiment(k: ExperimentKey): ExperimentRec | undefined {
    return this.experiments.get(experimentId(k));
  }
  cluster(k: ClusterKey): ClusterRec | undefined {
    return this.clusters.get(clusterId(k));
  }
  job(k: JobKey): JobRec | undefined {
    return this.jobsByExperiment.get(experimentId(k))?.get(k.job);
  }
  /** Jobs of the experiment, in submission order. */
  jobsOf(k: ExperimentKey): JobRec[] {
    return [...(this.jobsByExperiment.get(experimentId(k))?.values() ?? [])];
  }
  /** Jobs of the cluster that are not finished, in no particular order. */
  activeJobs(k: ClusterKey): JobRec[] {
    return [...(this.activeJobsByCluster.get(clusterId(k))?.values() ?? [])];
  }

  saveWorkspace(r: WorkspaceRec): void {
    this.workspaces.set(workspaceId(r), r);
    this.journal.put(`ws:${workspaceId(r)}`, r);
  }
  saveExperiment(r: ExperimentRec): void {
    this.experiments.set(experimentId(r), r);
    this.journal.put(`exp:${experimentId(r)}`, r);
  }
  saveCluster(r: ClusterRec): void {
    this.clusters.set(clusterId(r), r);
    this.journal.put(`cluster:${clusterId(r)}`, r);
  }
  saveFileServer(r: FileServerRec): void {
    this.fileServers.set(fileServerId(r), r);
    this.journal.put(`fs:${fileServerId(r)}`, r);
  }
  saveJob(j: JobRec): void {
    this.index(j);
    this.journal.put(`job:${jobId(j)}`, j);
  }
  saveJobs(jobs: JobRec[]): void {
    for (const j of jobs) this.index(j);
    this.journal.putMany(jobs.map((j) => [`job:${jobId(j)}`, j]));
  }

  deleteWorkspace(k: WorkspaceKey): void {
    this.workspaces.delete(workspaceId(k));
    this.journal.delete([`ws:${workspaceId(k)}`]);
  }
  deleteExperiment(k: ExperimentKey): void {
    this.deleteJobs(this.jobsOf(k));
    this.experiments.delete(experimentId(k));
    this.jobsByExperiment.delete(experimentId(k));
    this.journal.delete([`exp:${experimentId(k)}`]);
  }
  deleteCluster(k: ClusterKey): void {
    this.clusters.delete(clusterId(k));
    this.activeJobsByCluster.delete(clusterId(k));
    this.journal.delete([`cluster:${clusterId(k)}`]);
  }
  deleteFileServer(r: FileServerRec): void {
    this.fileServers.delete(fileServerId(r));
    this.journal.delete([`fs:${fileServerId(r)}`]);
  }
  deleteJobs(jobs: JobRec[]): void {
    for (const j of jobs) {
      this.jobsByExperiment.get(experimentId(j))?.delete(j.job);
      this.activeJobsByCluster.get(clusterId(j.cluster))?.delete(jobId(j));
    }
    this.journal.delete(jobs.map((j) => `job:${jobId(j)}`));
  }
}

export function fileServerId(r: WorkspaceKey & { name: string }): string {
  return `${workspaceId(r)}/fileservers/${r.name}`;
}
