// The typed ARM REST client for Microsoft.BatchAI 2018-05-01: implements the BatchAi port (port.ts) for the
// real service or the local engine; only endpoint and credential differ. Transport: pipeline.ts; long-running
// operations: lro.ts; lists: paging.ts; lenient parsing: parse.ts; names and paths: paths.ts.
import type { TokenCredential } from '@azure/core-auth';
import type { HttpClient } from '@azure/core-rest-pipeline';
import { InputError } from '../errors';
import { listAll } from './paging';
import {
  clusterPath,
  experimentPath,
  fileServerPath,
  jobPath,
  resourceGroupPath,
  subscriptionProviderPath,
  usagesPath,
  workspacePath,
} from '../core/batchai-paths';
import { createArmHttp } from './pipeline';
import type { WorkspaceRef } from '../compute/model';
import type { BatchAi, LroOptions } from './port';
import { resourceOps } from './resource-ops';
import type { RetryOptions } from '../http/retry';
import type {
  Cluster,
  Experiment,
  File,
  FileServer,
  FileServerCreateParameters,
  Job,
  Operation,
  RemoteLoginInformation,
  Usage,
  Workspace,
  WorkspaceUpdateParameters,
} from './types';

export interface BatchAiClientOptions {
  /** https://management.azure.com, or the local engine's http://127.0.0.1:PORT. */
  endpoint: string;
  subscriptionId: string;
  credential: TokenCredential;
  /** Transport override (tests, proxies); default: core-rest-pipeline's Node client. */
  httpClient?: HttpClient;
  retry?: RetryOptions;
  /** Wait between long-running-operation polls when the service sends no Retry-After (default 2000). */
  pollIntervalMs?: number;
}

type FileServerRef = WorkspaceRef & { fileServer: string };

/** The port plus the swagger operations the product does not need yet (kept so every example is reachable). */
export interface BatchAiClient extends BatchAi {
  updateWorkspace(ref: WorkspaceRef, params: WorkspaceUpdateParameters): Promise<Workspace>;
  createFileServer(ref: FileServerRef, params: FileServerCreateParameters, opts?: LroOptions): Promise<FileServer>;
  deleteFileServer(ref: FileServerRef, opts?: LroOptions): Promise<void>;
  listOperations(): AsyncIterable<Operation>;
}

function bounded(name: string, value: number | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new InputError('InvalidOption', `${name}=${value}: expected a whole number from ${min} to ${max}.`);
  }
  return value;
}

export function createBatchAiClient(opts: BatchAiClientOptions): BatchAiClient {
  const sub = opts.subscriptionId;
  const http = createArmHttp(opts);
  const ops = resourceOps(http, {
    intervalMs: opts.pollIntervalMs ?? 2000,
    maxDelayMs: opts.retry?.maxDelayMs ?? 30_000,
  });

  return {
    subscriptionId: sub,

    listWorkspaces: () => listAll<Workspace>(http, 'GET', `${subscriptionProviderPath(sub)}/workspaces`, 'Workspace'),
    listWorkspacesByResourceGroup: (rg) =>
      listAll<Workspace>(http, 'GET', `${resourceGroupPath(sub, rg)}/workspaces`, 'Workspace'),
    getWorkspace: (ref) => ops.get<Workspace>(workspacePath(sub, ref), 'Workspace'),
    createWorkspace: (ref, params, o) => ops.write<Workspace>('PUT', workspacePath(sub, ref), params, 'Workspace', o),
    updateWorkspace: (ref, params) => ops.write<Workspace>('PATCH', workspacePath(sub, ref), params, 'Workspace'),
    deleteWorkspace: (ref, o) => ops.act('DELETE', workspacePath(sub, ref), o),

    listExperiments: (ref) => listAll<Experiment>(http, 'GET', `${workspacePath(sub, ref)}/experiments`, 'Experiment'),
    getExperiment: (ref) => ops.get<Experiment>(experimentPath(sub, ref), 'Experiment'),
    createExperiment: (ref, o) => ops.write<Experiment>('PUT', experimentPath(sub, ref), undefined, 'Experiment', o),
    deleteExperiment: (ref, o) => ops.act('DELETE', experimentPath(sub, ref), o),

    listClusters: (ref) => listAll<Cluster>(http, 'GET', `${workspacePath(sub, ref)}/clusters`, 'Cluster'),
    getCluster: (ref) => ops.get<Cluster>(clusterPath(sub, ref), 'Cluster'),
    createCluster: (ref, params, o) => ops.write<Cluster>('PUT', clusterPath(sub, ref), params, 'Cluster', o),
    updateClusterScale: (ref, scaleSettings) =>
      ops.write<Cluster>('PATCH', clusterPath(sub, ref), { properties: { scaleSettings } }, 'Cluster'),
    deleteCluster: (ref, o) => ops.act('DELETE', clusterPath(sub, ref), o),
    listClusterRemoteLoginInformation: (ref) =>
      listAll<RemoteLoginInformation>(
        http,
        'POST',
        `${clusterPath(sub, ref)}/listRemoteLoginInformation`,
        'RemoteLoginInformation',
      ),

    listJobs: (ref, o) => {
      const path = `${experimentPath(sub, ref)}/jobs`;
      return listAll<Job>(http, 'GET', path, 'Job', {
        maxresults: bounded('maxResults', o?.maxResults, 1, 1000) ?? 1000,
      });
    },
    getJob: (ref) => ops.get<Job>(jobPath(sub, ref), 'Job'),
    createJob: (ref, params, o) => ops.write<Job>('PUT', jobPath(sub, ref), params, 'Job', o),
    deleteJob: (ref, o) => ops.act('DELETE', jobPath(sub, ref), o),
    terminateJob: (ref, o) => ops.act('POST', `${jobPath(sub, ref)}/terminate`, o),
    listOutputFiles: (ref, o) => {
      if (!o?.outputDirectoryId?.trim()) {
        throw new InputError(
          'InvalidOption',
          "outputDirectoryId is empty: expected an output directory id such as 'stdouterr'.",
        );
      }
      return listAll<File>(http, 'POST', `${jobPath(sub, ref)}/listOutputFiles`, 'File', {
        outputdirectoryid: o.outputDirectoryId,
        directory: o.directory,
        linkexpiryinminutes: bounded('linkExpiryInMinutes', o.linkExpiryInMinutes, 5, 600),
        maxresults: bounded('maxResults', o.maxResults, 1, 1000),
      });
    },
    listJobRemoteLoginInformation: (ref) =>
      listAll<RemoteLoginInformation>(
        http,
        'POST',
        `${jobPath(sub, ref)}/listRemoteLoginInformation`,
        'RemoteLoginInformation',
      ),

    listFileServers: (ref) => listAll<FileServer>(http, 'GET', `${workspacePath(sub, ref)}/fileServers`, 'FileServer'),
    getFileServer: (ref) => ops.get<FileServer>(fileServerPath(sub, ref), 'FileServer'),
    createFileServer: (ref, params, o) =>
      ops.write<FileServer>('PUT', fileServerPath(sub, ref), params, 'FileServer', o),
    deleteFileServer: (ref, o) => ops.act('DELETE', fileServerPath(sub, ref), o),

    listUsages: (location) => listAll<Usage>(http, 'GET', usagesPath(sub, location), 'Usage'),
    listOperations: () => listAll<Operation>(http, 'GET', '/providers/Microsoft.BatchAI/operations', 'Operation'),
  };
}
