// Listing 10,000 finished jobs of one experiment through the client against the local engine: pages of
// maxresults=1000 (what the poller does) beside the naive way, one GET per job. The naive way is measured on
// a sample and extrapolated linearly, so a benchmark run stays short.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEngine } from '../local/engine/index';
import { createBatchAiClient } from '../shared/batchai/client';
import { staticTokenCredential } from '../shared/http/credential';
import { countingTransport } from './measure';
import { record } from './report';

const JOBS = 10_000;
const NAIVE_SAMPLE = 500;
const SUB = '00000000-0000-0000-0000-0000000bench';

export async function benchListJobs(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-list-jobs-'));
  const engine = await startEngine({ dataDir });
  try {
    const ref = { resourceGroup: 'bench', workspace: 'bench', experiment: 'many' };
    await engine.seedFinishedJobs({ ...ref, subscriptionId: SUB }, JOBS);
    const transport = countingTransport();
    const client = createBatchAiClient({
      endpoint: engine.url,
      subscriptionId: SUB,
      credential: staticTokenCredential('bench'),
      httpClient: transport.httpClient,
    });

    const t0 = performance.now();
    const names: string[] = [];
    for await (const job of client.listJobs(ref, { maxResults: 1000 })) names.push(job.name ?? '');
    const listMs = performance.now() - t0;
    const listRequests = transport.count();
    if (names.length !== JOBS) throw new Error(`listed ${names.length} jobs, expected ${JOBS}`);

    const sample = names.slice(0, NAIVE_SAMPLE);
    const t1 = performance.now();
    for (const job of sample) await client.getJob({ ...ref, job });
    const naiveMs = ((performance.now() - t1) / sample.length) * JOBS;

    const note =
      `naive = one GET per job, sequential, measured on ${NAIVE_SAMPLE} jobs ` + `and extrapolated linearly to ${JOBS}`;
    record({ name: `list ${JOBS} jobs (pages of 1000): time`, value: listMs, unit: 'ms', naive: naiveMs, note });
    record({
      name: `list ${JOBS} jobs (pages of 1000): requests`,
      value: listRequests,
      unit: 'requests',
      naive: JOBS,
      note,
    });
  } finally {
    await engine.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
