// The compute port on Batch AI: the ARM client, its Cluster and Job resources mapped into the port's model, and
// a tail as one ranged read of the signed Azure Files URL that listOutputFiles gave (shared/storage/file-tail.ts).
import type { ComputeCluster, ComputeJob, OutputFile, ScaleMode, ServiceError } from '../compute/model';
import type { ComputePort } from '../compute/port';
import { lastSegment, segmentAfter } from '../core/arm-names';
import { isNotFound } from '../errors';
import { readTail as readFileTail } from '../storage/file-tail';
import { API_VERSION, jobPath } from '../core/batchai-paths';
import type { BatchAi } from './port';
import type { BatchAIError, Cluster, File, Job, ScaleSettings } from './types';

export const BATCH_AI_LABELS = { service: 'Batch AI', workspace: 'Workspace', cluster: 'Cluster' } as const;

function errorsOf(errors: BatchAIError[] | undefined): ServiceError[] {
  return (errors ?? []).map((e) => ({ code: e.code ?? 'Error', message: e.message ?? '' }));
}

/** Lenient: every field the service may omit has a default here. */
export function clusterFromBatchAi(cluster: Cluster): ComputeCluster {
  const p = cluster.properties ?? {};
  const n = p.nodeStateCounts ?? {};
  const auto = p.scaleSettings?.autoScale;
  const c: ComputeCluster = {
    id: cluster.id ?? '',
    name: cluster.name ?? lastSegment(cluster.id) ?? '',
    vmSize: p.vmSize ?? '',
    allocationState: p.allocationState ?? 'steady',
    currentNodeCount: p.currentNodeCount ?? 0,
    nodes: {
      idle: n.idleNodeCount ?? 0,
      running: n.runningNodeCount ?? 0,
      preparing: n.preparingNodeCount ?? 0,
      leaving: n.leavingNodeCount ?? 0,
      unusable: n.unusableNodeCount ?? 0,
    },
    scale: auto
      ? {
          mode: 'auto',
          min: auto.minimumNodeCount,
          max: auto.maximumNodeCount,
          ...(auto.initialNodeCount === undefined ? {} : { initial: auto.initialNodeCount }),
        }
      : { mode: 'manual', targetNodeCount: p.scaleSettings?.manual?.targetNodeCount ?? p.currentNodeCount ?? 0 },
    errors: errorsOf(p.errors),
  };
  if (p.vmPriority) c.vmPriority = p.vmPriority;
  if (p.allocationStateTransitionTime) c.allocationChangedAt = p.allocationStateTransitionTime;
  if (p.creationTime) c.createdAt = p.creationTime;
  return c;
}

export function jobFromBatchAi(job: Job): ComputeJob {
  const p = job.properties ?? {};
  const info = p.executionInfo ?? {};
  const j: ComputeJob = {
    id: job.id ?? '',
    name: job.name ?? lastSegment(job.id) ?? '',
    experiment: segmentAfter(job.id, 'experiments') ?? '',
    state: p.executionState ?? 'queued',
    cluster: lastSegment(p.cluster?.id) ?? '',
    nodeCount: p.nodeCount ?? 1,
    errors: errorsOf(info.errors),
    outputDirectoryIds: (p.outputDirectories ?? []).map((d) => d.id),
  };
  if (p.executionStateTransitionTime) j.stateChangedAt = p.executionStateTransitionTime;
  if (p.toolType) j.toolType = p.toolType;
  if (p.schedulingPriority) j.priority = p.schedulingPriority;
  if (p.creationTime) j.createdAt = p.creationTime;
  if (info.startTime) j.startedAt = info.startTime;
  if (info.endTime) j.endedAt = info.endTime;
  if (info.exitCode !== undefined) j.exitCode = info.exitCode;
  return j;
}

function fileFromBatchAi(f: File): OutputFile {
  const out: OutputFile = { name: f.name ?? '', isDirectory: f.fileType === 'directory' };
  if (f.properties?.contentLength !== undefined) out.size = f.properties.contentLength;
  if (f.downloadUrl) out.url = f.downloadUrl;
  return out;
}

export function scaleSettingsOf(s: ScaleMode): ScaleSettings {
  return s.mode === 'manual'
    ? { manual: { targetNodeCount: s.targetNodeCount } }
    : {
        autoScale: {
          minimumNodeCount: s.min,
          maximumNodeCount: s.max,
          ...(s.initial === undefined ? {} : { initialNodeCount: s.initial }),
        },
      };
}

export function batchAiCompute(client: BatchAi, readTail = readFileTail): ComputePort {
  return {
    backend: 'batchai',
    labels: BATCH_AI_LABELS,
    subscriptionId: client.subscriptionId,
    async *listClusters(ws) {
      for await (const c of client.listClusters(ws)) yield clusterFromBatchAi(c);
    },
    getCluster: async (ref) => clusterFromBatchAi(await client.getCluster(ref)),
    scaleCluster: async (ref, s) => clusterFromBatchAi(await client.updateClusterScale(ref, scaleSettingsOf(s))),
    async *listExperiments(ws) {
      for await (const e of client.listExperiments(ws)) if (e.name) yield e.name;
    },
    getExperiment: async (ref) => {
      await client.getExperiment(ref);
    },
    async ensureExperiment(ref) {
      try {
        await client.getExperiment(ref);
      } catch (e) {
        if (!isNotFound(e)) throw e;
        await client.createExperiment(ref);
      }
    },
    async *listJobs(ref) {
      for await (const j of client.listJobs(ref, { maxResults: 1000 })) yield jobFromBatchAi(j);
    },
    getJob: async (ref) => jobFromBatchAi(await client.getJob(ref)),
    describeSubmit: (ref, job) => ({
      requests: [
        { method: 'PUT', path: `${jobPath(client.subscriptionId, ref)}?api-version=${API_VERSION}`, body: job },
      ],
    }),
    submitJob: async (ref, job) => jobFromBatchAi(await client.createJob(ref, job, { wait: false })),
    terminateJob: (ref) => client.terminateJob(ref, { wait: false }),
    async *listOutputFiles(ref, o) {
      for await (const f of client.listOutputFiles(ref, o)) yield fileFromBatchAi(f);
    },
    async readTail(_ref, file, opts) {
      const size = file.size ?? 0;
      if (!file.url || size === 0) return { lines: [], truncated: false };
      return readTail(file.url, size, opts);
    },
  };
}
