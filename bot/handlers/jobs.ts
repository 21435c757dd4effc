// Read commands for jobs: `jobs [experiment] [--state s] [--mine]` (one list call per experiment involved) and
// `job <name>` (one GET, plus the submitter from Table Storage).
import type { ComputeJob, ExperimentRef } from '../../shared/compute/model';
import { toJobSummary } from '../../shared/core/job-view';
import type { JobSummaryView } from '../../shared/core/views';
import type { Handler, HandlerContext } from '../handler';
import { jobView } from '../job-card';
import { experimentNotFound, withJob } from '../not-found';
import { isNotFound } from '../../shared/errors';

/** Lists stay readable in a chat card; the rest is counted in `more`. */
const MAX_LISTED = 25;

/** `named`: the person named the experiment, so a missing one is "not found"; the default one may not exist yet. */
async function listExperimentJobs(ctx: HandlerContext, ref: ExperimentRef, named: boolean): Promise<ComputeJob[]> {
  const jobs: ComputeJob[] = [];
  try {
    for await (const j of ctx.deps.compute.listJobs(ref)) jobs.push(j);
  } catch (e) {
    if (!isNotFound(e)) throw e;
    if (named) throw await experimentNotFound(ctx.deps.compute, ref);
  }
  return jobs;
}

async function mineByExperiment(
  ctx: HandlerContext,
  workspace: string,
  experiment?: string,
): Promise<Map<string, Set<string>>> {
  const mine = await ctx.deps.stores.submissions.listByUser(workspace, ctx.turn.userId);
  const byExp = new Map<string, Set<string>>();
  for (const s of mine) {
    if (experiment && s.experiment !== experiment) continue;
    byExp.set(s.experiment, (byExp.get(s.experiment) ?? new Set()).add(s.job));
  }
  return byExp;
}

export const jobs: Handler<'jobs'> = async (cmd, ctx) => {
  const scope = await ctx.scope();
  const ws = scope.ref;
  const now = ctx.deps.now();
  let found: JobSummaryView[] = [];
  if (cmd.mine) {
    const byExp = await mineByExperiment(ctx, ws.workspace, cmd.experiment);
    const lists = await Promise.all(
      [...byExp.keys()].map(async (experiment) =>
        (await listExperimentJobs(ctx, { ...ws, experiment }, false)).filter((j) => byExp.get(experiment)?.has(j.name)),
      ),
    );
    found = lists.flat().map((j) => toJobSummary(j, ws.workspace, now, ctx.deps.compute.labels));
  } else {
    const experiment = cmd.experiment ?? scope.experiment;
    found = (await listExperimentJobs(ctx, { ...ws, experiment }, cmd.experiment !== undefined)).map((j) =>
      toJobSummary(j, ws.workspace, now, ctx.deps.compute.labels),
    );
  }
  if (cmd.state) found = found.filter((j) => j.state === cmd.state);
  found.sort((a, b) => (b.createdAt ?? '').localeCompare(a.createdAt ?? ''));
  const where = cmd.mine
    ? `submitted by you${cmd.experiment ? ` in ${cmd.experiment}` : ''}`
    : `in ${cmd.experiment ?? scope.experiment}`;
  const title = `${cmd.state ? `${cmd.state[0].toUpperCase()}${cmd.state.slice(1)} jobs` : 'Jobs'} ${where}`;
  return {
    view: { kind: 'job-list', title, jobs: found.slice(0, MAX_LISTED), more: Math.max(0, found.length - MAX_LISTED) },
  };
};

export const job: Handler<'job'> = async (cmd, ctx) => {
  const view = await withJob(ctx, cmd.job, async (ref) => {
    const [j, sub] = await Promise.all([
      ctx.deps.compute.getJob(ref),
      ctx.deps.stores.submissions.get(ref.workspace, ref.experiment, ref.job),
    ]);
    return jobView(j, ref.workspace, {
      now: ctx.deps.now(),
      labels: ctx.deps.compute.labels,
      submittedBy: sub?.userName ?? sub?.userId,
    });
  });
  return { view };
};
