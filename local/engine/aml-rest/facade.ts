// What every Azure ML handler works with: the core, the facade's store and file signer, the operations it
// answers 202 for, and the keys that join Azure ML's names to the core's (workspace = core workspace, compute =
// cluster, job = a core job in the core experiment named by its experimentName).
import type { IncomingHttpHeaders } from 'node:http';
import type { Core } from '../core/core';
import { listExperiments } from '../core/lookups';
import type { ClusterKey, JobKey, JobRec, WorkspaceKey } from '../core/model';
import { ArmHttpError } from '../rest/arm-error';
import type { Reply } from '../rest/http-io';
import type { AmlFiles } from './files';
import type { AmlOperations } from './operations';
import type { AmlStore, StoredAmlJob } from './store';

export const PROVIDER = 'Microsoft.MachineLearningServices';
/** The api-versions answered: the product's (2025-12-01) and the one @azure/arm-machinelearning 2.1.1 sends. */
export const AML_API_VERSIONS = ['2025-12-01', '2022-10-01'] as const;

export interface AmlFacade {
  readonly core: Core;
  readonly store: AmlStore;
  readonly files: AmlFiles;
  readonly ops: AmlOperations;
  /** Jobs per page of a job list (the service pages too; `nextLink` carries `$skipToken`). */
  readonly jobPageSize: number;
  baseUrl: string;
}

export interface AmlRequest {
  method: string;
  /** Path parameters, lower-cased and checked (../rest/router.ts). */
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: unknown;
  path: string;
  apiVersion: string;
}

export type AmlHandler = (f: AmlFacade, r: AmlRequest) => Reply | Promise<Reply>;

export type { Reply };

export interface AmlRoute {
  method: string;
  template: string;
  handler: AmlHandler;
}

export const WS =
  '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.MachineLearningServices' +
  '/workspaces/{workspaceName}';

export function wsKey(r: AmlRequest): WorkspaceKey {
  return { sub: r.params.subscriptionId!, rg: r.params.resourceGroupName!, ws: r.params.workspaceName! };
}

export function computeKey(r: AmlRequest): ClusterKey {
  return { ...wsKey(r), cluster: r.params.computeName! };
}

export const storeKey = (k: WorkspaceKey, name: string): string => `${k.sub}/${k.rg}/${k.ws}/${name}`.toLowerCase();

/** The ARM id of a workspace, in the case the service answers (names as created; the core's are lower-cased). */
export function workspaceId(k: WorkspaceKey): string {
  return `/subscriptions/${k.sub}/resourceGroups/${k.rg}/providers/${PROVIDER}/workspaces/${k.ws}`;
}

/** The cluster's Batch AI id: what core jobs name, and what an AmlCompute's resourceId shows on the live service. */
export function batchAiClusterId(c: ClusterKey): string {
  return (
    `/subscriptions/${c.sub}/resourceGroups/${c.rg}/providers/Microsoft.BatchAI/workspaces/${c.ws}` +
    `/clusters/${c.cluster}`
  );
}

export interface FoundJob {
  rec: JobRec;
  stored?: StoredAmlJob;
}

/** A job by its workspace-unique name: the store knows its experiment; jobs made in the core are looked up in each. */
export function findJob(f: AmlFacade, k: WorkspaceKey, name: string): FoundJob | undefined {
  const stored = f.store.job(storeKey(k, name));
  if (stored) {
    const rec = f.core.state.job({ ...k, exp: stored.exp, job: name.toLowerCase() });
    return rec ? { rec, stored } : undefined;
  }
  for (const e of listExperiments(f.core, k)) {
    const rec = f.core.state.job({ ...k, exp: e.exp, job: name.toLowerCase() });
    if (rec) return { rec };
  }
  return undefined;
}

export function getJobOr404(f: AmlFacade, k: WorkspaceKey, name: string): FoundJob {
  const j = findJob(f, k, name);
  if (!j) throw new ArmHttpError(404, 'UserError', `Could not find job '${name}' in workspace '${k.ws}'.`);
  return j;
}

export function coreJobKey(k: WorkspaceKey, exp: string, name: string): JobKey {
  return { ...k, exp: exp.toLowerCase(), job: name.toLowerCase() };
}
