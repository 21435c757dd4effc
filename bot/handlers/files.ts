// `logs` and `outputs`: read a job's files through the compute port's listOutputFiles. A tail is one ranged read
// of the end of stdout.txt (the port's readTail), never a download of the whole file; links expire and the card
// says until when.
import type { JobRef, OutputFile } from '../../shared/compute/model';
import { toOutputFileView } from '../../shared/core/job-view';
import { InputError, isNotFound } from '../../shared/errors';
import type { LogTailView, OutputDirectoryView } from '../../shared/core/views';
import type { Handler, HandlerContext } from '../handler';
import { jobView } from '../job-card';
import { withJob } from '../not-found';

const STDOUTERR = 'stdouterr';
/** Output links listed per directory; a card is not a file browser. */
const MAX_FILES = 20;
/** Upper bound of one ranged read, whatever `--lines` asks for. */
const MAX_TAIL_BYTES = 256 * 1024;

async function listFiles(
  ctx: Pick<HandlerContext, 'deps'>,
  ref: JobRef,
  outputDirectoryId: string,
  max: number,
): Promise<{ files: OutputFile[]; more: boolean }> {
  const files: OutputFile[] = [];
  try {
    for await (const f of ctx.deps.compute.listOutputFiles(ref, {
      outputDirectoryId,
      linkExpiryInMinutes: ctx.deps.config.logs.linkExpiryMinutes,
      maxResults: max + 1,
    })) {
      if (files.length === max) return { files, more: true };
      files.push(f);
    }
  } catch (e) {
    // A job that has not started has no output directory yet: that is "nothing yet", not an error.
    if (!isNotFound(e)) throw e;
  }
  return { files, more: false };
}

type JobTail = { tail: LogTailView; found: boolean };

/**
 * The tails of stdouterr/<name> for each name (or each name `pick` chooses from the listing): one listing, then
 * one ranged read per file. `found` false: no such file yet.
 */
export async function readJobTails(
  ctx: Pick<HandlerContext, 'deps'>,
  ref: JobRef,
  pick: string[] | ((listed: string[]) => string[]),
  maxLines: number,
): Promise<JobTail[]> {
  const { tailBytes, tailLines } = ctx.deps.config.logs;
  const maxBytes = Math.min(MAX_TAIL_BYTES, Math.max(tailBytes, Math.ceil((tailBytes * maxLines) / tailLines)));
  const listed = await listFiles(ctx, ref, STDOUTERR, 100);
  const fileNames = Array.isArray(pick) ? pick : pick(listed.files.flatMap((f) => (f.name ? [f.name] : [])));
  return Promise.all(
    fileNames.map(async (fileName): Promise<JobTail> => {
      const file = listed.files.find((f) => f.name === fileName);
      const size = file?.size ?? 0;
      if (!file || size === 0) return { tail: { file: fileName, lines: [], truncated: false, size }, found: !!file };
      const t = await ctx.deps.compute.readTail(ref, file, { maxBytes, maxLines });
      return { tail: { file: fileName, lines: t.lines, truncated: t.truncated, size }, found: true };
    }),
  );
}

export const logs: Handler<'logs'> = async (cmd, ctx) => {
  const fileName = cmd.stderr ? 'stderr.txt' : 'stdout.txt';
  const view = await withJob(ctx, cmd.job, async (ref) => {
    // The job and its tail are independent: fetch both at once.
    const [job, [{ tail, found }]] = await Promise.all([
      ctx.deps.compute.getJob(ref),
      readJobTails(ctx, ref, [fileName], cmd.lines ?? ctx.deps.config.logs.tailLines),
    ]);
    return jobView(job, ref.workspace, {
      now: ctx.deps.now(),
      labels: ctx.deps.compute.labels,
      tails: [tail],
      headline: found ? undefined : `No ${fileName} yet`,
    });
  });
  return { view };
};

export const outputs: Handler<'outputs'> = async (cmd, ctx) => {
  const view = await withJob(ctx, cmd.job, async (ref) => {
    const job = await ctx.deps.compute.getJob(ref);
    const ids = [...job.outputDirectoryIds, STDOUTERR];
    if (cmd.directory && !ids.some((id) => id.toLowerCase() === cmd.directory?.toLowerCase())) {
      throw new InputError(
        'OutputDirectoryNotFound',
        `Job ${ref.job} has no output directory ${cmd.directory}. Its directories: ${ids.join(', ')}.`,
      );
    }
    const wanted = cmd.directory ? ids.filter((id) => id.toLowerCase() === cmd.directory?.toLowerCase()) : ids;
    const expiresAt = new Date(
      ctx.deps.now().getTime() + ctx.deps.config.logs.linkExpiryMinutes * 60_000,
    ).toISOString();
    const dirs: OutputDirectoryView[] = await Promise.all(
      wanted.map(async (id) => {
        const { files, more } = await listFiles(ctx, ref, id, MAX_FILES);
        return {
          id,
          expiresAt,
          more,
          files: files.map(toOutputFileView),
        };
      }),
    );
    return jobView(job, ref.workspace, { now: ctx.deps.now(), labels: ctx.deps.compute.labels, outputs: dirs });
  });
  return { view };
};
