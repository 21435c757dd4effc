// Task files (stdout.txt, stderr.txt, the working directory) through the Batch file API. A tail costs at most
// two requests and the bytes asked for: HEAD tells the size, one GET with `ocp-range` reads the end.
import { InputError, ProtocolError } from '../errors';
import { listAll } from './paging';
import { normaliseNodeFile } from './parse';
import type { BatchHttp } from './pipeline';
import type { FileProperties, NodeFile } from './types';

export interface ByteRange {
  /** First byte, 0-based. */
  start: number;
  /** Last byte, inclusive. */
  end: number;
}

export interface FileContent {
  properties: FileProperties;
  bytes: Buffer;
}

export interface FileTail {
  /** Size of the whole file. */
  size: number;
  /** The last bytes (at most the number asked for). */
  bytes: Buffer;
  /** Requests this read took (1 or 2). */
  requests: number;
}

/** `a/b\c.txt` → its path below `/files/` with each segment encoded (Batch paths use either separator). */
export function filePathSegment(filePath: string): string {
  if (!filePath.trim())
    throw new InputError('InvalidOption', 'file path is empty: expected a path such as stdout.txt.');
  return filePath.split('/').map(encodeURIComponent).join('/');
}

function propertiesOf(headers: { get(name: string): string | undefined }, where: string): FileProperties {
  const length = headers.get('content-length');
  if (length === undefined || !/^\d+$/.test(length)) {
    throw new ProtocolError(
      `${where}: expected a Content-Length header with the file size, got ${JSON.stringify(length)}.`,
    );
  }
  return {
    contentLength: Number(length),
    lastModified: headers.get('last-modified'),
    creationTime: headers.get('ocp-creation-time'),
    isDirectory: headers.get('ocp-batch-file-isdirectory') === 'true',
    eTag: headers.get('etag'),
    url: headers.get('ocp-batch-file-url'),
    fileMode: headers.get('ocp-batch-file-mode'),
  };
}

function checkRange(r: ByteRange): string {
  if (!Number.isInteger(r.start) || !Number.isInteger(r.end) || r.start < 0 || r.end < r.start) {
    throw new InputError(
      'InvalidOption',
      `byte range ${r.start}-${r.end}: expected whole numbers with 0 <= start <= end.`,
    );
  }
  return `bytes=${r.start}-${r.end}`;
}

export function taskFileOps(http: BatchHttp) {
  const base = (jobId: string, taskId: string) =>
    `/jobs/${encodeURIComponent(jobId)}/tasks/${encodeURIComponent(taskId)}/files`;

  async function getProperties(jobId: string, taskId: string, filePath: string): Promise<FileProperties> {
    const path = `${base(jobId, taskId)}/${filePathSegment(filePath)}`;
    const r = await http.send('HEAD', path, { binary: true });
    return propertiesOf(r.headers, `HEAD ${path}`);
  }

  async function get(jobId: string, taskId: string, filePath: string, range?: ByteRange): Promise<FileContent> {
    const path = `${base(jobId, taskId)}/${filePathSegment(filePath)}`;
    const r = await http.send('GET', path, { binary: true, headers: { 'ocp-range': range && checkRange(range) } });
    const bytes = r.bytes ?? Buffer.alloc(0);
    // A ranged answer's Content-Length is the range's; the whole size is in Content-Range when sent.
    const total = /\/(\d+)$/.exec(r.headers.get('content-range') ?? '')?.[1];
    const properties = propertiesOf(
      { get: (n) => (n === 'content-length' ? String(bytes.length) : r.headers.get(n)) },
      `GET ${path}`,
    );
    return { properties: total ? { ...properties, contentLength: Number(total) } : properties, bytes };
  }

  return {
    listTaskFiles(
      jobId: string,
      taskId: string,
      o: { recursive?: boolean; filter?: string; maxResults?: number } = {},
    ): AsyncIterable<NodeFile> {
      const where = `GET ${base(jobId, taskId)}`;
      const items = listAll<NodeFile>(http, base(jobId, taskId), 'NodeFile', o, { recursive: o.recursive });
      return (async function* () {
        for await (const f of items) yield normaliseNodeFile(f, where);
      })();
    },
    getTaskFileProperties: getProperties,
    getTaskFile: get,
    async deleteTaskFile(
      jobId: string,
      taskId: string,
      filePath: string,
      o: { recursive?: boolean } = {},
    ): Promise<void> {
      await http.send('DELETE', `${base(jobId, taskId)}/${filePathSegment(filePath)}`, {
        query: { recursive: o.recursive },
      });
    },
    /** The last `maxBytes` of a file: HEAD for the size, then one ranged GET (none for an empty file). */
    async readTaskFileTail(jobId: string, taskId: string, filePath: string, maxBytes: number): Promise<FileTail> {
      if (!Number.isInteger(maxBytes) || maxBytes < 1) {
        throw new InputError('InvalidOption', `tail of ${maxBytes} bytes: expected a whole number of at least 1.`);
      }
      const { contentLength: size } = await getProperties(jobId, taskId, filePath);
      if (size === 0) return { size, bytes: Buffer.alloc(0), requests: 1 };
      const { bytes } = await get(jobId, taskId, filePath, { start: Math.max(0, size - maxBytes), end: size - 1 });
      return { size, bytes, requests: 2 };
    },
  };
}
