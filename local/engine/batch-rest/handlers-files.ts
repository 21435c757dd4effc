// Task files: the task directory is where the core wrote the task's stdout.txt and stderr.txt; its working
// directory is `wd/`. Reads honour `ocp-range: bytes=a-b` (or `bytes=a-`) and stream only those bytes (200, as
// the service answers), so a tail of a large stdout.txt costs what it returns. Paths may use / or \ and never
// leave the task directory.
import { rmSync, statSync, type Stats } from 'node:fs';
import { opendir } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { BatchHttpError, notFound } from './batch-http-error';
import { coreJobOf, type BatchFacade, type BatchRequest, type Handler } from './facade';
import { jobOf, taskOf } from './handlers-jobs';
import type { Reply } from './http-io';
import { pageWindow } from './odata';
import { listReply } from './replies';

function taskDir(f: BatchFacade, r: BatchRequest): { dir: string; base: string } {
  const j = jobOf(f, r.params.jobId);
  const t = taskOf(j, r.params.taskId);
  const dir = coreJobOf(f, t)?.paths?.stdOutErr;
  if (!dir) throw notFound('File', r.params.filePath ?? '');
  return { dir, base: `${f.baseUrl}/jobs/${j.id}/tasks/${t.id}/files` };
}

function fileIn(dir: string, filePath: string): { path: string; stat: Stats } {
  const path = resolve(dir, filePath.replace(/\\/g, '/'));
  if (path !== dir && !path.startsWith(dir + sep)) throw notFound('File', filePath);
  try {
    return { path, stat: statSync(path) };
  } catch {
    throw notFound('File', filePath);
  }
}

function headersOf(stat: Stats, url: string): Record<string, string> {
  return {
    'Content-Type': 'application/octet-stream',
    'Last-Modified': stat.mtime.toUTCString(),
    'ocp-creation-time': stat.birthtime.toUTCString(),
    'ocp-batch-file-isdirectory': String(stat.isDirectory()),
    'ocp-batch-file-url': url,
    'ocp-batch-file-mode': (stat.mode & 0o777).toString(8).padStart(6, '0'),
  };
}

function fileReply(f: BatchFacade, r: BatchRequest, head: boolean): Reply {
  const { dir, base } = taskDir(f, r);
  const { path, stat } = fileIn(dir, r.params.filePath);
  const url = `${base}/${r.params.filePath}`;
  const headers: Record<string, string | number> = headersOf(stat, url);
  if (stat.isDirectory() || head)
    return { status: 200, headers: { ...headers, 'Content-Length': stat.isDirectory() ? 0 : stat.size } };
  const range = r.headers['ocp-range'];
  if (typeof range !== 'string') return { status: 200, headers, file: { path, start: 0, end: stat.size - 1 } };
  const m = /^bytes=(\d+)-(\d*)$/.exec(range.trim());
  const start = m ? Number(m[1]) : NaN;
  const end = m?.[2] ? Math.min(Number(m[2]), stat.size - 1) : stat.size - 1;
  if (!m || start > end || start >= stat.size) {
    throw new BatchHttpError(
      416,
      'InvalidRange',
      `The range specified is invalid for the current size of the resource: ${range} (size ${stat.size}).`,
      [],
      { 'Content-Range': `bytes */${stat.size}` },
    );
  }
  // The service answers a ranged read 200 with the bytes asked for (its spec has no 206, and both SDKs raise on
  // one); Content-Range still tells the whole size.
  return {
    status: 200,
    headers: { ...headers, 'Content-Range': `bytes ${start}-${end}/${stat.size}` },
    file: { path, start, end },
  };
}

/**
 * Paths below `dir` in directory order (depth first when recursive), at most `limit`: read with an async, paged
 * readdir (opendir), so a task directory of 700,000 files is neither held nor read in one blocking call.
 */
async function walk(dir: string, recursive: boolean, limit: number): Promise<string[]> {
  const out: string[] = [];
  const visit = async (d: string): Promise<void> => {
    for await (const e of await opendir(d, { bufferSize: 256 })) {
      if (out.length >= limit) return;
      const p = join(d, e.name);
      out.push(p);
      if (recursive && e.isDirectory()) await visit(p);
    }
  };
  await visit(dir);
  return out;
}

const listFiles: Handler = async (f, r) => {
  const { dir, base } = taskDir(f, r);
  const recursive = r.url.searchParams.get('recursive') === 'true';
  // Without a $filter a page needs the entries up to its end and one more (whether a next page exists); a
  // $filter is applied to every entry, so then all are read (still a batch at a time).
  const { skip, size } = pageWindow(r.url);
  const limit = r.url.searchParams.get('$filter') ? Infinity : skip + size + 1;
  const entries = (await walk(dir, recursive, limit)).map((p) => {
    const name = relative(dir, p).split(sep).join('/');
    const stat = statSync(p);
    return {
      name,
      url: `${base}/${name}`,
      isDirectory: stat.isDirectory(),
      properties: stat.isDirectory()
        ? undefined
        : {
            creationTime: stat.birthtime.toISOString(),
            lastModified: stat.mtime.toISOString(),
            contentLength: String(stat.size),
            contentType: 'application/octet-stream',
            fileMode: (stat.mode & 0o777).toString(8).padStart(6, '0'),
          },
    };
  });
  return listReply(f, r, 'files', entries);
};

export const fileRoutes: Array<[string, string, Handler]> = [
  ['GET', '/jobs/{jobId}/tasks/{taskId}/files', listFiles],
  ['GET', '/jobs/{jobId}/tasks/{taskId}/files/{filePath*}', (f, r) => fileReply(f, r, false)],
  ['HEAD', '/jobs/{jobId}/tasks/{taskId}/files/{filePath*}', (f, r) => fileReply(f, r, true)],
  [
    'DELETE',
    '/jobs/{jobId}/tasks/{taskId}/files/{filePath*}',
    (f, r) => {
      const { dir } = taskDir(f, r);
      const { path, stat } = fileIn(dir, r.params.filePath);
      if (stat.isDirectory() && r.url.searchParams.get('recursive') !== 'true') {
        throw new BatchHttpError(
          409,
          'DirectoryNotEmpty',
          'The directory is not empty: delete it with recursive=true.',
        );
      }
      rmSync(path, { recursive: true, force: true });
      return { status: 200 };
    },
  ],
];
