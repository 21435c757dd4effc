// The typed client for the Azure Batch data plane, api-version 2025-06-01.21.0: pools, node counts, jobs,
// tasks, task files, plus the swagger operations the product does not use yet (kept so every example of the
// spec is reachable). Transport and auth: pipeline.ts; lists: paging.ts; files: task-files.ts.
// Every method throws ComputeError (shared/errors.ts) for an error answer; a 412 is `ConditionNotMet`.
import type { HttpMethods } from '@azure/core-rest-pipeline';
import { isNotFound } from '../errors';
import { describeRequest } from '../http/json-body';
import { listAll, type ListOptions } from './paging';
import { parseEntity } from './parse';
import { createBatchHttp, type BatchHttpOptions } from './pipeline';
import { taskFileOps } from './task-files';
import type {
  AutoScaleRun,
  BatchJob,
  BatchJobCreateOptions,
  BatchNode,
  BatchObject,
  BatchPool,
  BatchTask,
  BatchTaskCreateOptions,
  EnableAutoScaleOptions,
  PoolNodeCounts,
  PoolResizeOptions,
  SupportedImage,
  TaskCountsResult,
} from './types';

export type BatchClientOptions = BatchHttpOptions;

/** Optimistic concurrency and cancellation for writes. */
export interface WriteOptions {
  /** The entity's ETag as read: the service answers 412 ConditionNotMet if it changed since. */
  ifMatch?: string;
  abortSignal?: AbortSignal;
}

export interface GetOptions {
  select?: readonly string[];
  expand?: string;
}

const e = encodeURIComponent;

export function createBatchClient(opts: BatchClientOptions) {
  const http = createBatchHttp(opts);

  async function get<T>(path: string, what: string, o: GetOptions = {}): Promise<T> {
    const query = { $select: o.select?.length ? o.select.join(',') : undefined, $expand: o.expand };
    const r = await http.send('GET', path, { query });
    return parseEntity<T>(r.body, what, describeRequest('GET', http.endpoint + path));
  }

  async function act(
    method: HttpMethods,
    path: string,
    body?: unknown,
    o: WriteOptions & { query?: Record<string, string | boolean | undefined> } = {},
  ): Promise<void> {
    await http.send(method, path, {
      body,
      query: o.query,
      headers: { 'If-Match': o.ifMatch },
      abortSignal: o.abortSignal,
    });
  }

  async function post<T>(path: string, body: unknown, what: string): Promise<T> {
    const r = await http.send('POST', path, { body });
    return parseEntity<T>(r.body, what, describeRequest('POST', http.endpoint + path));
  }

  const pool = (id: string) => `/pools/${e(id)}`;
  const node = (poolId: string, nodeId: string) => `${pool(poolId)}/nodes/${e(nodeId)}`;
  const job = (id: string) => `/jobs/${e(id)}`;
  const task = (jobId: string, taskId: string) => `${job(jobId)}/tasks/${e(taskId)}`;
  const certificate = (algorithm: string, thumbprint: string) =>
    `/certificates(thumbprintAlgorithm=${e(algorithm)},thumbprint=${e(thumbprint)})`;

  return {
    endpoint: http.endpoint,

    listPools: (o?: ListOptions) => listAll<BatchPool>(http, '/pools', 'BatchPool', o),
    getPool: (id: string, o?: GetOptions) => get<BatchPool>(pool(id), 'BatchPool', o),
    async poolExists(id: string): Promise<boolean> {
      try {
        await http.send('HEAD', pool(id));
        return true;
      } catch (err) {
        if (isNotFound(err)) return false;
        throw err;
      }
    },
    createPool: (body: BatchObject & { id: string }) => act('POST', '/pools', body),
    deletePool: (id: string, o?: WriteOptions) => act('DELETE', pool(id), undefined, o),
    /** Fails with 409 (`AutoScaleEnabled`) while auto-scale is on, and while a resize is in progress. */
    resizePool: (id: string, body: PoolResizeOptions, o?: WriteOptions) => act('POST', `${pool(id)}/resize`, body, o),
    stopPoolResize: (id: string, o?: WriteOptions) => act('POST', `${pool(id)}/stopresize`, undefined, o),
    enablePoolAutoScale: (id: string, body: EnableAutoScaleOptions, o?: WriteOptions) =>
      act('POST', `${pool(id)}/enableautoscale`, body, o),
    disablePoolAutoScale: (id: string) => act('POST', `${pool(id)}/disableautoscale`),
    /** Runs a formula against the pool without applying it (the pool must have auto-scale enabled). */
    evaluatePoolAutoScale: (id: string, autoScaleFormula: string) =>
      post<AutoScaleRun>(`${pool(id)}/evaluateautoscale`, { autoScaleFormula }, 'AutoScaleRun'),
    removeNodes: (
      id: string,
      body: { nodeList: string[]; resizeTimeout?: string; nodeDeallocationOption?: string },
      o?: WriteOptions,
    ) => act('POST', `${pool(id)}/removenodes`, body, o),
    /** Node counts by state for every pool of the account, in one list. */
    listPoolNodeCounts: (o?: ListOptions) => listAll<PoolNodeCounts>(http, '/nodecounts', 'BatchPoolNodeCounts', o),
    listSupportedImages: (o?: ListOptions) =>
      listAll<SupportedImage>(http, '/supportedimages', 'BatchSupportedImage', o),

    listNodes: (poolId: string, o?: ListOptions) => listAll<BatchNode>(http, `${pool(poolId)}/nodes`, 'BatchNode', o),
    getNode: (poolId: string, nodeId: string, o?: GetOptions) => get<BatchNode>(node(poolId, nodeId), 'BatchNode', o),
    getNodeRemoteLoginSettings: (poolId: string, nodeId: string) =>
      get<BatchObject>(`${node(poolId, nodeId)}/remoteloginsettings`, 'BatchNodeRemoteLoginSettings'),
    listNodeExtensions: (poolId: string, nodeId: string, o?: ListOptions) =>
      listAll<BatchObject>(http, `${node(poolId, nodeId)}/extensions`, 'BatchNodeVMExtension', o),
    replaceNodeUser: (poolId: string, nodeId: string, userName: string, body: BatchObject) =>
      act('PUT', `${node(poolId, nodeId)}/users/${e(userName)}`, body),
    uploadNodeLogs: (poolId: string, nodeId: string, body: BatchObject) =>
      post<BatchObject>(`${node(poolId, nodeId)}/uploadbatchservicelogs`, body, 'UploadBatchServiceLogsResult'),

    listJobs: (o?: ListOptions) => listAll<BatchJob>(http, '/jobs', 'BatchJob', o),
    createJob: (body: BatchJobCreateOptions) => act('POST', '/jobs', body),
    getJob: (id: string, o?: GetOptions) => get<BatchJob>(job(id), 'BatchJob', o),
    updateJob: (id: string, body: BatchObject, o?: WriteOptions) => act('PATCH', job(id), body, o),
    terminateJob: (id: string, o: WriteOptions & { reason?: string; force?: boolean } = {}) =>
      act('POST', `${job(id)}/terminate`, o.reason === undefined ? undefined : { terminateReason: o.reason }, {
        ...o,
        query: { force: o.force },
      }),
    deleteJob: (id: string, o: WriteOptions & { force?: boolean } = {}) =>
      act('DELETE', job(id), undefined, { ...o, query: { force: o.force } }),
    getJobTaskCounts: (id: string) => get<TaskCountsResult>(`${job(id)}/taskcounts`, 'BatchTaskCountsResult'),
    listJobPreparationAndReleaseTaskStatus: (id: string, o?: ListOptions) =>
      listAll<BatchObject>(
        http,
        `${job(id)}/jobpreparationandreleasetaskstatus`,
        'BatchJobPreparationAndReleaseTaskStatus',
        o,
      ),

    createTask: (jobId: string, body: BatchTaskCreateOptions) => act('POST', `${job(jobId)}/tasks`, body),
    listTasks: (jobId: string, o?: ListOptions) => listAll<BatchTask>(http, `${job(jobId)}/tasks`, 'BatchTask', o),
    getTask: (jobId: string, taskId: string, o?: GetOptions) => get<BatchTask>(task(jobId, taskId), 'BatchTask', o),
    replaceTask: (jobId: string, taskId: string, body: BatchObject, o?: WriteOptions) =>
      act('PUT', task(jobId, taskId), body, o),
    terminateTask: (jobId: string, taskId: string, o?: WriteOptions) =>
      act('POST', `${task(jobId, taskId)}/terminate`, undefined, o),
    deleteTask: (jobId: string, taskId: string, o?: WriteOptions) => act('DELETE', task(jobId, taskId), undefined, o),
    ...taskFileOps(http),

    listApplications: (o?: ListOptions) => listAll<BatchObject>(http, '/applications', 'BatchApplication', o),
    createCertificate: (body: BatchObject) => act('POST', '/certificates', body),
    deleteCertificate: (algorithm: string, thumbprint: string) => act('DELETE', certificate(algorithm, thumbprint)),
    listJobSchedules: (o?: ListOptions) => listAll<BatchObject>(http, '/jobschedules', 'BatchJobSchedule', o),
    createJobSchedule: (body: BatchObject) => act('POST', '/jobschedules', body),
    terminateJobSchedule: (id: string, o?: WriteOptions) =>
      act('POST', `/jobschedules/${e(id)}/terminate`, undefined, o),
  };
}

export type BatchClient = ReturnType<typeof createBatchClient>;
