// A missing job or cluster answers with what exists instead ("Job foo not found in experiment bar. Jobs there:
// a, b, c"), so the person can retype without another command.
import type { ClusterRef, ExperimentRef, JobRef } from '../shared/compute/model';
import type { ComputePort } from '../shared/compute/port';
import type { JobName } from '../shared/core/commands';
import { InputError, isNotFound } from '../shared/errors';
import type { HandlerContext } from './handler';

const LISTED = 20;

async function names(items: AsyncIterable<{ name: string } | string>): Promise<{ shown: string[]; more: number }> {
  const all: string[] = [];
  for await (const it of items) all.push(typeof it === 'string' ? it : it.name);
  all.sort();
  return { shown: all.slice(0, LISTED), more: Math.max(0, all.length - LISTED) };
}

function listing(label: string, n: { shown: string[]; more: number }): string {
  if (n.shown.length === 0) return `There are no ${label.toLowerCase()} there yet.`;
  return `${label} there: ${n.shown.join(', ')}${n.more ? ` and ${n.more} more` : ''}.`;
}

export async function experimentNotFound(compute: ComputePort, ref: ExperimentRef): Promise<InputError> {
  const experiments = await names(compute.listExperiments(ref));
  return new InputError(
    'ExperimentNotFound',
    `Experiment ${ref.experiment} not found in ${compute.labels.workspace.toLowerCase()} ${ref.workspace}. ` +
      `${listing('Experiments', experiments)}`,
  );
}

export async function jobNotFound(compute: ComputePort, ref: JobRef): Promise<InputError> {
  try {
    const jobs = await names(compute.listJobs(ref));
    return new InputError(
      'JobNotFound',
      `Job ${ref.job} not found in experiment ${ref.experiment}. ${listing('Jobs', jobs)}`,
    );
  } catch (e) {
    if (isNotFound(e)) return experimentNotFound(compute, ref);
    throw e;
  }
}

export async function clusterNotFound(compute: ComputePort, ref: ClusterRef): Promise<InputError> {
  const clusters = await names(compute.listClusters(ref));
  const { cluster, workspace } = compute.labels;
  const where = `${workspace.toLowerCase()} ${ref.workspace}`;
  return new InputError(
    'ClusterNotFound',
    `${cluster} ${ref.cluster} not found in ${where}. ${listing(`${cluster}s`, clusters)}`,
  );
}

export async function jobRef(ctx: HandlerContext, name: JobName): Promise<JobRef> {
  const scope = await ctx.scope();
  return { ...scope.ref, experiment: name.experiment ?? scope.experiment, job: name.job };
}

export async function clusterRef(ctx: HandlerContext, cluster: string): Promise<ClusterRef> {
  return { ...(await ctx.scope()).ref, cluster };
}

async function orNotFound<T>(fn: () => Promise<T>, notFound: () => Promise<InputError>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (isNotFound(e)) throw await notFound();
    throw e;
  }
}

/** Runs `fn` on the named job; a 404 becomes a "not found" listing the jobs that exist. */
export async function withJob<T>(ctx: HandlerContext, name: JobName, fn: (ref: JobRef) => Promise<T>): Promise<T> {
  const ref = await jobRef(ctx, name);
  return orNotFound(
    () => fn(ref),
    () => jobNotFound(ctx.deps.compute, ref),
  );
}

/** Runs `fn` on `ref`; a 404 becomes a "not found" listing the clusters that exist. */
export function withClusterRef<T>(
  compute: ComputePort,
  ref: ClusterRef,
  fn: (ref: ClusterRef) => Promise<T>,
): Promise<T> {
  return orNotFound(
    () => fn(ref),
    () => clusterNotFound(compute, ref),
  );
}

/** `withClusterRef` on the named cluster of the conversation's workspace. */
export async function withCluster<T>(
  ctx: HandlerContext,
  cluster: string,
  fn: (ref: ClusterRef) => Promise<T>,
): Promise<T> {
  return withClusterRef(ctx.deps.compute, await clusterRef(ctx, cluster), fn);
}
