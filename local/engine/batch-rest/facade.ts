// What every Batch handler works with: the core, the facade's store, which core workspace the account is,
// and the keys that join the two (pool = cluster; task = a core job in the experiment `batch`).
import type { IncomingHttpHeaders } from 'node:http';
import type { Core } from '../core/core';
import type { ClusterKey, JobKey, JobRec, WorkspaceKey } from '../core/model';
import type { Reply } from './http-io';
import type { BatchStore, StoredJob, StoredTask } from './store';

/** The core experiment that holds the jobs run for Batch tasks. */
export const BATCH_EXPERIMENT = 'batch';

export interface BatchFacade {
  readonly core: Core;
  readonly store: BatchStore;
  readonly account: string;
  /** The core workspace this account's pools (clusters) live in. */
  readonly ws: WorkspaceKey;
  baseUrl: string;
  /** Work in the background (resource file fetches, output uploads) by key, so that tests and stop can wait. */
  readonly pending: Map<string, Promise<void>>;
  /** Aborted when the facade stops: background fetches end instead of holding the stop up. */
  readonly stopping: AbortController;
}

export interface BatchRequest {
  method: string;
  url: URL;
  params: Record<string, string>;
  headers: IncomingHttpHeaders;
  body: unknown;
  apiVersion: string;
}

export type Handler = (f: BatchFacade, r: BatchRequest) => Reply | Promise<Reply>;

export function clusterKey(f: BatchFacade, poolId: string): ClusterKey {
  return { ...f.ws, cluster: poolId.toLowerCase() };
}

export function coreJobName(jobId: string, taskId: string): string {
  return `${jobId}~${taskId}`.toLowerCase();
}

export function coreJobKey(f: BatchFacade, t: StoredTask): JobKey {
  return { ...f.ws, exp: BATCH_EXPERIMENT, job: t.coreJob };
}

export function coreJobOf(f: BatchFacade, t: StoredTask): JobRec | undefined {
  return f.core.state.job(coreJobKey(f, t));
}

export function clusterIdText(f: BatchFacade, poolId: string): string {
  return (
    `/subscriptions/${f.ws.sub}/resourceGroups/${f.ws.rg}` +
    `/providers/Microsoft.BatchAI/workspaces/${f.ws.ws}/clusters/${poolId.toLowerCase()}`
  );
}

export function poolIdOf(j: StoredJob): string {
  return j.options.poolInfo.poolId ?? '';
}
