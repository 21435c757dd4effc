// Task outputFiles → blobs, when the task ends (the condition says on success, failure or both). Patterns are
// relative to the task's working directory (`../std*.txt` reaches the task directory's stdout/stderr), with
// `*`, `?` and `**`; a pattern with a wildcard uploads below `path` keeping the path after the wildcard's
// folder, a plain file uploads as `path` itself. Uploads go to the real Blob service (Azurite locally) through
// the container URL's SAS, as the service's node agent does.
import { readdirSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { ContainerClient } from '@azure/storage-blob';
import type { OutputFile } from '../../../shared/azurebatch/types';
import { redactText } from '../../../shared/core/redact';

export interface UploadResult {
  uploaded: number;
  /** First failure, as the service reports a FileUploadError. */
  error?: string;
}

function walk(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

function globRegex(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '*' && pattern[i + 1] === '*') {
      re += '.*';
      i++;
      if (pattern[i + 1] === '/') i++;
    } else if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else re += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** The files a pattern names, each with the blob name it uploads as. */
export function matchOutputFiles(workingDir: string, o: OutputFile): { file: string; blob: string }[] {
  const pattern = o.filePattern.replace(/\\/g, '/');
  const path = o.destination.container.path?.replace(/\/+$/, '');
  const wild = pattern.search(/[*?]/);
  if (wild < 0) {
    const file = resolve(workingDir, pattern);
    try {
      if (!statSync(file).isFile()) return [];
    } catch {
      return [];
    }
    return [{ file, blob: path || pattern.split('/').pop()! }];
  }
  const baseText = pattern.slice(0, pattern.lastIndexOf('/', wild) + 1);
  const base = resolve(workingDir, baseText || '.');
  const re = globRegex(pattern.slice(baseText.length));
  return walk(base)
    .map((file) => ({ file, rel: relative(base, file).split(sep).join('/') }))
    .filter((x) => re.test(x.rel))
    .map((x) => ({ file: x.file, blob: path ? `${path}/${x.rel}` : x.rel }));
}

export async function uploadOutputFiles(
  workingDir: string,
  files: readonly OutputFile[],
  succeeded: boolean,
): Promise<UploadResult> {
  let uploaded = 0;
  for (const o of files) {
    const when = o.uploadOptions?.uploadCondition ?? 'tasksuccess';
    if ((when === 'tasksuccess' && !succeeded) || (when === 'taskfailure' && succeeded)) continue;
    try {
      const container = new ContainerClient(o.destination.container.containerUrl);
      for (const m of matchOutputFiles(workingDir, o)) {
        await container.getBlockBlobClient(m.blob).uploadFile(m.file);
        uploaded++;
      }
    } catch (e) {
      const reason = redactText(e instanceof Error ? e.message.split('\n')[0] : String(e));
      return { uploaded, error: `Uploading ${o.filePattern} failed: ${reason}` };
    }
  }
  return { uploaded };
}
