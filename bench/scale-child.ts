// One poll tick of the scale bench in a process of its own, so that its peak RSS is the tick's process's: builds
// the backend's real adapter on the recorded pages (recorded-pages.ts), the stores on the parent's Azurite, and
// the product's poller over the workspaces; runs one tick; prints one JSON line of figures.
import { readFileSync } from 'node:fs';
import type { ComputeBackend } from '../shared/compute/model';
import { createPoller } from '../shared/services/poller';
import { createBackendStores } from '../shared/storage/index';
import { createWriteCounter } from '../shared/storage/write-counter';
import type { Recording } from './recorded-pages';
import { replayTransport } from './recorded-pages';
import { scaleCompute } from './scale-compute';

export interface ScaleChildInput {
  backend: ComputeBackend;
  recordingFile: string;
  connectionString: string;
  resourceGroup: string;
  template: string;
  workspaces: string[];
}

export interface ScaleChildOutput {
  ms: number;
  peakRssMiB: number;
  /** RSS before the tick: node, the modules, the stores and the recorded pages held for playback. */
  startRssMiB: number;
  requests: number;
  pages: number;
  /** Azure ML's run-history discovery reads among the requests: once per workspace (per URL) in a process. */
  discovery: number;
  tableWrites: number;
  events: number;
  failed: string[];
}

async function main(): Promise<void> {
  const input = JSON.parse(process.argv[2] ?? '') as ScaleChildInput;
  const recording = JSON.parse(readFileSync(input.recordingFile, 'utf8')) as Recording;
  const wire = replayTransport(() => recording, input.template);
  const workspaces = input.workspaces.map((workspace) => ({ resourceGroup: input.resourceGroup, workspace }));
  const compute = scaleCompute({
    backend: input.backend,
    endpoint: input.backend === 'azurebatch' ? (a) => `https://${a}.replay.invalid` : 'https://replay.invalid',
    workspaces,
    httpClient: wire.httpClient,
    connectionString: input.connectionString,
    // Signs requests nobody checks (the recorded pages answer them): any base64 key.
    batchKey: Buffer.from('replay').toString('base64'),
  });
  const writes = createWriteCounter();
  const stores = await createBackendStores(input.connectionString, { tablePolicies: [writes.policy] });
  writes.reset();
  const poller = createPoller({ compute, workspaces, stores, log: () => {} });
  const startRssMiB = process.memoryUsage().rss / 2 ** 20;
  const t0 = performance.now();
  const report = await poller.tick();
  const ms = performance.now() - t0;
  const out: ScaleChildOutput = {
    ms,
    // maxRSS: the process's peak, in KiB.
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    startRssMiB,
    requests: wire.requests(),
    pages: wire.pages(),
    discovery: wire.discovery(),
    tableWrites: writes.requests(),
    events: report.workspaces.reduce((n, w) => n + w.events, 0),
    failed: report.workspaces.filter((w) => !w.ok).map((w) => `${w.workspace}: ${w.error}`),
  };
  console.log(JSON.stringify(out));
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : e);
  process.exit(1);
});
