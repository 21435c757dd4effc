// How much the log tail costs: readTail's one ranged request for the last 4 KiB of a 1 GiB stdout.txt,
// beside the naive way (download the whole file and keep its end), both through the real SDK against the
// local Files endpoint. The file is sparse (truncate + a few real lines at the end), so it takes no disk.
import { mkdir, mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ShareFileClient } from '@azure/storage-file-share';
import { startFileService } from '../local/files';
import { readTail } from '../shared/storage/file-tail';
import { record } from './report';

const SIZE = 1024 ** 3;
const TAIL_BYTES = 4096;
const REL = 'benchaccount/logs/job1/stdouterr/stdout.txt';

async function makeLog(root: string): Promise<string> {
  const path = join(root, REL);
  await mkdir(join(path, '..'), { recursive: true });
  const lines = Array.from(
    { length: 300 },
    (_, i) => `epoch 99 step ${i} loss ${(1 / (i + 1)).toFixed(6)} lr 0.001\n`,
  ).join('');
  const file = await open(path, 'w');
  try {
    await file.truncate(SIZE);
    await file.write(Buffer.from(lines), 0, Buffer.byteLength(lines), SIZE - Buffer.byteLength(lines));
  } finally {
    await file.close();
  }
  return `epoch 99 step 299 loss ${(1 / 300).toFixed(6)} lr 0.001`;
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const result = await fn();
  return [result, performance.now() - t0];
}

export async function benchLogTail(): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'bench-log-tail-'));
  let requests = 0;
  const service = await startFileService({ root, signingKey: 'bench-key', log: () => requests++ });
  try {
    const lastLine = await makeLog(root);
    const url = service.signUrl(REL, new Date(Date.now() + 3600_000));

    const [tail, tailMs] = await timed(() => readTail(url, SIZE, { maxBytes: TAIL_BYTES, maxLines: 50 }));
    const tailRequests = requests;
    if (tail.lines[tail.lines.length - 1] !== lastLine)
      throw new Error(`readTail returned the wrong tail: ${JSON.stringify(tail.lines.slice(-1))}`);

    requests = 0;
    const [naiveBytes, naiveMs] = await timed(async () => {
      const body = (await new ShareFileClient(url).download()).readableStreamBody;
      let n = 0;
      for await (const chunk of body!) n += chunk.length;
      return n;
    });
    const naiveRequests = requests;

    record({
      name: 'log tail of 1 GiB stdout.txt: bytes transferred',
      value: tail.bytesRead,
      unit: 'bytes',
      naive: naiveBytes,
      note: 'goal ≤ 8192',
    });
    record({
      name: 'log tail of 1 GiB stdout.txt: requests',
      value: tailRequests,
      unit: 'requests',
      naive: naiveRequests,
      note: 'goal 1',
    });
    record({ name: 'log tail of 1 GiB stdout.txt: time', value: tailMs, unit: 'ms', naive: naiveMs });
  } finally {
    await service.stop();
    await rm(root, { recursive: true, force: true });
  }
}
