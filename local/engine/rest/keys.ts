// Path parameters → the core's keys (already lower-cased by the router).
import type { ClusterKey, ExperimentKey, JobKey, WorkspaceKey } from '../core/model';
import type { RequestCtx } from './router';

export function wsKey(ctx: RequestCtx): WorkspaceKey {
  return { sub: ctx.params.subscriptionId!, rg: ctx.params.resourceGroupName!, ws: ctx.params.workspaceName! };
}
export function expKey(ctx: RequestCtx): ExperimentKey {
  return { ...wsKey(ctx), exp: ctx.params.experimentName! };
}
export function jobKey(ctx: RequestCtx): JobKey {
  return { ...expKey(ctx), job: ctx.params.jobName! };
}
export function clusterKey(ctx: RequestCtx): ClusterKey {
  return { ...wsKey(ctx), cluster: ctx.params.clusterName! };
}
