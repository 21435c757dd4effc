// The Azure ML backend's costs, on the engine's Azure ML facade over HTTPS through the adapter (the product's
// client): requests of a quiet poll tick for 10,000 finished jobs in 10 experiments (computes, then the
// workspace's job list at the facade's page size, shared by every experiment) beside the naive tick (a job GET per
// job); and requests and bytes for a 4 KiB tail of a 1 GiB std_log.txt (run details + HEAD when listed, one
// ranged GET for the tail) beside reading the whole file.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEngine } from '../local/engine/index';
import { createAzureMlAdapter } from '../shared/azureml/adapter';
import { createAmlClient } from '../shared/azureml/client';
import { readUrlTail } from '../shared/azureml/log-tail';
import { collect } from '../shared/core/collect';
import { staticTokenCredential } from '../shared/http/credential';
import { httpClientTrusting } from '../shared/http/trusted-ca';
import { createPipelineRequest } from '@azure/core-rest-pipeline';
import { countingTransport } from './measure';
import { record } from './report';

const JOBS = 10_000;
const EXPERIMENTS = 10;
const PAGE = 100;
const GIB = 1024 ** 3;
const SUB = 'bench';

export async function benchAzureMl(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-azure-ml-'));
  const engine = await startEngine({ dataDir, azureml: { jobPageSize: PAGE } });
  try {
    const aml = engine.azureml!;
    const trusting = httpClientTrusting(readFileSync(aml.caFile, 'utf8'))!;
    const wire = countingTransport(trusting);
    const client = createAmlClient({
      endpoint: aml.url,
      subscriptionId: SUB,
      credential: staticTokenCredential('bench'),
      httpClient: wire.httpClient,
    });
    const compute = createAzureMlAdapter({ client, fileHttpClient: wire.httpClient });
    const ws = { resourceGroup: 'bench', workspace: 'ml' };
    for (let e = 0; e < EXPERIMENTS; e++) {
      await engine.seedFinishedJobs({ subscriptionId: SUB, ...ws, experiment: `exp${e}` }, JOBS / EXPERIMENTS, {
        cluster: 'gpu',
      });
    }

    // The tick as the poller asks it of the backend: computes, experiments, then each experiment's jobs.
    wire.reset();
    let t0 = performance.now();
    await collect(compute.listClusters(ws));
    let jobs = 0;
    for (const e of await collect(compute.listExperiments(ws)))
      jobs += (await collect(compute.listJobs({ ...ws, experiment: e }))).length;
    const tickMs = performance.now() - t0;
    if (jobs !== JOBS) throw new Error(`the tick saw ${jobs} jobs, expected ${JOBS}`);
    const tickRequests = wire.count();
    const pages = Math.ceil(JOBS / PAGE);
    // The naive tick: the list, then a GET per job.
    const names = (await collect(client.listJobs(ws))).map((j) => j.name!);
    wire.reset();
    t0 = performance.now();
    for (const n of names) await client.getJob(ws, n);
    const naiveMs = performance.now() - t0;
    record({
      name: 'Azure ML quiet tick, 10,000 jobs in 10 experiments: requests',
      value: tickRequests,
      unit: 'requests',
      naive: wire.count() + pages,
      note: `page size ${PAGE}: ${pages} pages; goal ≤ pages + 10 = ${pages + 10}; naive: a job GET per job`,
    });
    record({ name: 'Azure ML quiet tick, 10,000 jobs: time', value: tickMs, unit: 'ms', naive: naiveMs });

    // A job whose std_log.txt is 1 GiB (sparse: no disk) with a last line after it.
    const ref = { ...ws, experiment: 'tail', job: 'big-log' };
    const cluster = `/subscriptions/${SUB}/resourceGroups/bench/providers/Microsoft.BatchAI/workspaces/ml/clusters/gpu`;
    await compute.scaleCluster({ ...ws, cluster: 'gpu' }, { mode: 'manual', targetNodeCount: 1 });
    await compute.submitJob(ref, {
      properties: {
        cluster: { id: cluster },
        nodeCount: 1,
        stdOutErrPathPrefix: '$AZ_BATCHAI_MOUNT_ROOT',
        customToolkitSettings: {
          commandLine: `truncate -s ${GIB} /proc/self/fd/1 && echo && echo 'epoch 99 loss 0.0033'`,
        },
      },
    });
    for (let i = 0; (await compute.getJob(ref)).state !== 'succeeded'; i++) {
      if (i > 600) throw new Error('the big-log job did not succeed');
      await new Promise((r) => setTimeout(r, 50));
    }
    wire.reset();
    const [log] = await collect(compute.listOutputFiles(ref, { outputDirectoryId: 'stdouterr' }));
    const listRequests = wire.count();
    wire.reset();
    const tail = await readUrlTail(log!.url!, {
      maxBytes: 4096,
      maxLines: 20,
      size: log!.size,
      httpClient: wire.httpClient,
    });
    if (tail.lines.at(-1) !== 'epoch 99 loss 0.0033')
      throw new Error(`the tail does not end with the last line: ${JSON.stringify(tail.lines.slice(-3))}`);
    const tailRequests = wire.count();
    // The naive way: download the whole file (streamed and counted, not kept).
    const whole = await trusting.sendRequest(
      createPipelineRequest({ url: log!.url!, method: 'GET', streamResponseStatusCodes: new Set([200]) }),
    );
    let naiveBytes = 0;
    for await (const chunk of whole.readableStreamBody!) naiveBytes += (chunk as Uint8Array).length;
    record({
      name: 'Azure ML tail of 1 GiB std_log.txt: requests',
      value: tailRequests,
      unit: 'requests',
      naive: 1,
      note: `one ranged GET (the listing — run details + a HEAD — took ${listRequests})`,
    });
    record({
      name: 'Azure ML tail of 1 GiB std_log.txt: bytes',
      value: tail.bytesRead,
      unit: 'bytes',
      naive: naiveBytes,
      note: 'goal ≤ 8192',
    });
  } finally {
    await engine.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
