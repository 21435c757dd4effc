// The I/O part of a job alert: the tails of stdout.txt and each process's stdout (and the stderr files on
// failure: log-files.ts), each ONE ranged read
// sized from listOutputFiles' contentLength, and the expiring links of every output directory. Failures here
// degrade the alert (no tail) rather than block it: the state change is the news.
import type { JobRef, OutputFile } from '../compute/model';
import type { ComputePort } from '../compute/port';
import type { JobEvent } from '../core/events';
import { tailFileNames } from '../core/log-files';
import { toError } from '../errors';
import { toOutputFileView } from '../core/job-view';
import type { LogTailView, OutputDirectoryView } from '../core/views';

export interface AlertContentDeps {
  compute: Pick<ComputePort, 'listOutputFiles' | 'readTail'>;
  logs: { tailBytes: number; tailLines: number; linkExpiryMinutes: number };
  now: () => Date;
  log: (line: string) => void;
}

/** Files listed per output directory on a card. */
const MAX_FILES = 20;

async function listDir(
  deps: AlertContentDeps,
  ref: JobRef,
  id: string,
  expiresAt: string,
): Promise<{ dir: OutputDirectoryView; files: OutputFile[] }> {
  const files: OutputFile[] = [];
  let more = false;
  for await (const f of deps.compute.listOutputFiles(ref, {
    outputDirectoryId: id,
    linkExpiryInMinutes: deps.logs.linkExpiryMinutes,
    maxResults: MAX_FILES,
  })) {
    if (files.length === MAX_FILES) {
      more = true;
      break;
    }
    files.push(f);
  }
  const dir: OutputDirectoryView = {
    id,
    expiresAt,
    more,
    files: files.filter((f) => f.name).map(toOutputFileView),
  };
  return { dir, files };
}

async function tailOf(
  deps: AlertContentDeps,
  ref: JobRef,
  files: OutputFile[],
  name: string,
): Promise<LogTailView | undefined> {
  const f = files.find((x) => x.name === name && !x.isDirectory);
  if (!f) return undefined;
  const size = f.size ?? 0;
  const t = await deps.compute.readTail(ref, f, { maxBytes: deps.logs.tailBytes, maxLines: deps.logs.tailLines });
  return { file: name, lines: t.lines, truncated: t.truncated, size };
}

export async function jobAlertContent(
  deps: AlertContentDeps,
  e: JobEvent,
): Promise<{ tails: LogTailView[]; outputs: OutputDirectoryView[] }> {
  if (e.to !== 'succeeded' && e.to !== 'failed') return { tails: [], outputs: [] };
  const ref: JobRef = { ...e.workspace, experiment: e.experiment, job: e.job };
  const expiresAt = new Date(deps.now().getTime() + deps.logs.linkExpiryMinutes * 60_000).toISOString();
  const ids = ['stdouterr', ...e.outputDirectoryIds.filter((id) => id !== 'stdouterr')];
  const listed = await Promise.allSettled(ids.map((id) => listDir(deps, ref, id, expiresAt)));
  const outputs: OutputDirectoryView[] = [];
  listed.forEach((r, i) => {
    if (r.status === 'fulfilled') outputs.push(r.value.dir);
    else
      deps.log(
        `notify: cannot list output directory ${ids[i]} of ${e.experiment}/${e.job}: ${toError(r.reason).message}`,
      );
  });
  const std = listed[0].status === 'fulfilled' ? listed[0].value.files : [];
  const names = tailFileNames(
    std.flatMap((f) => (f.name ? [f.name] : [])),
    e.to === 'failed',
  );
  const tails: LogTailView[] = [];
  for (const name of names) {
    try {
      const t = await tailOf(deps, ref, std, name);
      if (t) tails.push(t);
    } catch (err) {
      deps.log(`notify: cannot read the tail of ${name} of ${e.experiment}/${e.job}: ${toError(err).message}`);
    }
  }
  return { tails, outputs };
}
