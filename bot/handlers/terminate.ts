// `terminate <job>`: asks to confirm first (a ConfirmView whose button sends `terminate <job> --yes`); once
// confirmed, one POST terminate answered at once, and the card updates in place when the job has ended.
import { commandText } from '../../shared/core/command-text';
import { atLeast } from '../../shared/core/roles';
import { accessOf, refusal, specOf } from '../access';
import type { Handler } from '../handler';
import { isFinished, jobView } from '../job-card';
import { followJob, JOB_HEADLINES } from '../job-watch';
import { withJob } from '../not-found';

const headline = JOB_HEADLINES.terminate;

export const terminate: Handler<'terminate'> = (cmd, ctx) =>
  withJob(ctx, cmd.job, async (ref) => {
    const { compute } = ctx.deps;
    const job = await compute.getJob(ref);
    const name = { experiment: ref.experiment, job: ref.job };
    if (isFinished(job)) {
      return {
        view: jobView(job, ref.workspace, {
          now: ctx.deps.now(),
          labels: ctx.deps.compute.labels,
          headline: `Already ${job.state}: nothing to terminate`,
        }),
      };
    }
    // An operator stops their own jobs; someone else's (or one submitted outside chat) takes an admin.
    const submitter = await ctx.deps.stores.submissions.get(ref.workspace, ref.experiment, ref.job);
    if (submitter?.userId !== ctx.turn.userId) {
      const access = await accessOf(ctx);
      if (!atLeast(access.role, 'admin')) {
        const whose = submitter ? `${submitter.userName ?? submitter.userId}'s job` : 'a job not submitted from chat';
        const view = refusal(specOf(cmd), access, ctx.turn.userId, 'admin');
        return { view: { ...view, message: `${ref.experiment}/${ref.job} is ${whose}: ${view.message}` } };
      }
    }
    if (!cmd.confirmed) {
      return {
        view: {
          kind: 'confirm',
          title: `Terminate ${ref.experiment}/${ref.job}?`,
          message:
            `The job is ${job.state}. Terminating stops it; ` + 'what it wrote so far stays in its output directories.',
          confirm: {
            title: 'Terminate',
            command: commandText({ kind: 'terminate', job: name, confirmed: true }),
            style: 'destructive',
          },
          cancel: { title: 'Cancel', command: commandText({ kind: 'job', job: name }) },
        },
      };
    }
    await compute.terminateJob(ref);
    const after = await compute.getJob(ref);
    const view = jobView(after, ref.workspace, {
      now: ctx.deps.now(),
      labels: ctx.deps.compute.labels,
      headline: headline(after),
    });
    return isFinished(after) ? { view } : { view, followUp: followJob(ref, after, 'terminate') };
  });
