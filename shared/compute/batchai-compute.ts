// The compute port on Batch AI: the ARM client as it is, and a tail as one ranged read of the signed Azure
// Files URL that listOutputFiles gave (shared/storage/file-tail.ts).
import type { BatchAi } from '../batchai/port';
import { readTail as readFileTail } from '../storage/file-tail';
import type { ComputePort } from './port';

export function batchAiCompute(client: BatchAi, readTail = readFileTail): ComputePort {
  return {
    backend: 'batchai',
    subscriptionId: client.subscriptionId,
    listClusters: (ref) => client.listClusters(ref),
    getCluster: (ref) => client.getCluster(ref),
    updateClusterScale: (ref, s) => client.updateClusterScale(ref, s),
    listExperiments: (ref) => client.listExperiments(ref),
    getExperiment: (ref) => client.getExperiment(ref),
    createExperiment: (ref, o) => client.createExperiment(ref, o),
    listJobs: (ref, o) => client.listJobs(ref, o),
    getJob: (ref) => client.getJob(ref),
    createJob: (ref, p, o) => client.createJob(ref, p, o),
    terminateJob: (ref, o) => client.terminateJob(ref, o),
    listOutputFiles: (ref, o) => client.listOutputFiles(ref, o),
    async readTail(_ref, file, opts) {
      const size = file.properties?.contentLength ?? 0;
      if (!file.downloadUrl || size === 0) return { lines: [], truncated: false };
      return readTail(file.downloadUrl, size, opts);
    },
  };
}
