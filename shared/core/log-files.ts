// Which files of a finished job's stdouterr a card shows the tail of: stdout.txt, then the stdout of each
// other process of a distributed job (`stdout-<role>-<index>.txt`, as Batch AI named a worker's or parameter
// server's log), and on failure the matching stderr files too. Job preparation's logs are left to `logs`.

/** Beyond this many processes the card would only hold log tails; `outputs` lists every file. */
const MAX_PROCESSES = 8;
const PROCESS_LOG = /^(stdout|stderr)-(.+)-(\d+)\.txt$/;

function processLogs(listed: readonly string[], stream: 'stdout' | 'stderr'): string[] {
  return listed
    .map((name) => ({ name, m: PROCESS_LOG.exec(name) }))
    .filter(
      (x): x is { name: string; m: RegExpExecArray } => x.m !== null && x.m[1] === stream && x.m[2] !== 'job_prep',
    )
    .sort((a, b) => a.m[2].localeCompare(b.m[2]) || Number(a.m[3]) - Number(b.m[3]))
    .slice(0, MAX_PROCESSES - 1)
    .map((x) => x.name);
}

export function tailFileNames(listed: readonly string[], failed: boolean): string[] {
  const names = ['stdout.txt', ...processLogs(listed, 'stdout')];
  return failed ? [...names, 'stderr.txt', ...processLogs(listed, 'stderr')] : names;
}
