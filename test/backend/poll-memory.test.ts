// Pure (in-memory stores and compute): what a poll tick holds. Each workspace's shared listing (Azure Batch, Azure
// ML) is released once the poll has listed its last part, before its Table writes, and also when its
// poll fails: a tick over many workspaces holds the listings of those it is polling, not every one made in the
// adapter's TTL. A list page's items are let go as they are handed out. A row's hash is a string of its own, the
// value stored hashes have (the first 16 characters of the row text's SHA-256 in base64).
import { createHash } from 'node:crypto';
import { releasing } from '../../shared/core/collect';
import { rowHash } from '../../shared/core/diff';
import type { ComputeJob, JobRef, WorkspaceRef } from '../../shared/compute/model';
import type { ComputePort } from '../../shared/compute/port';
import { createPoller, type PollerDeps } from '../../shared/services/poller';

const WS: WorkspaceRef[] = [
  { resourceGroup: 'rg', workspace: 'ws1' },
  { resourceGroup: 'rg', workspace: 'broken' },
];

function job(name: string): ComputeJob {
  return {
    id: `/jobs/${name}`,
    name,
    experiment: 'exp',
    state: 'succeeded',
    cluster: 'gpu',
    nodeCount: 1,
    errors: [],
    outputDirectoryIds: [],
    createdAt: '2026-12-01T10:00:00Z',
    stateChangedAt: '2026-12-01T10:05:00Z',
  };
}

test('each workspace releases its listing before its writes, failing too; a tick reads no job', async () => {
  const calls: string[] = [];
  // A job read offered, to show the tick does not take it.
  const compute: PollerDeps['compute'] & Pick<ComputePort, 'getJob'> = {
    labels: { service: 'Test', workspace: 'Workspace', cluster: 'Cluster' },
    async *listClusters() {},
    async *listExperiments(ws) {
      if (ws.workspace === 'broken') throw new Error('listing refused');
      yield 'exp';
    },
    async *listJobs(ref) {
      yield job(`${ref.workspace}-a`);
    },
    async getJob(ref: JobRef) {
      calls.push(`getJob ${ref.job}`);
      return job(ref.job);
    },
    releaseListing: (ws) => void calls.push(`release ${ws.workspace}`),
  } satisfies Pick<ComputePort, 'labels' | 'listClusters' | 'listExperiments' | 'listJobs' | 'getJob'> & {
    releaseListing: ComputePort['releaseListing'];
  };
  const stores = {
    snapshots: {
      index: async (ws: WorkspaceRef) => {
        if (ws.workspace === 'broken') throw new Error('storage down');
        return { baselined: true, indexed: true, clusters: new Map(), digests: new Map(), activity: new Map() };
      },
      experiments: async () => [],
      experimentRows: async () => new Map(),
      rowHashes: async () => undefined,
      rows: async () => new Map(),
      write: async (ws: WorkspaceRef) => {
        calls.push(`write ${ws.workspace}`);
        return 1;
      },
    },
    pollStatus: { failing: async () => [], recover: async () => false, startFailing: async () => true },
    events: {
      enqueue: async (ws: WorkspaceRef) => {
        calls.push(`enqueue ${ws.workspace}`);
        return {};
      },
    },
    batches: { sweep: async () => 0 },
  } as unknown as PollerDeps['stores'];
  const poller = createPoller({ compute, workspaces: WS, stores, log: () => {}, workspaceConcurrency: 1 });

  const report = await poller.tick();

  expect(report.workspaces.map((w) => w.ok)).toEqual([true, false]);
  // A new experiment is listed first, and its events go out before the rest is listed (none here): the listing
  // is released after the last part, before the writes. How the ended job ended is the card's to read.
  expect(calls.filter((c) => c.endsWith('ws1'))).toEqual(['enqueue ws1', 'release ws1', 'write ws1']);
  expect(calls.filter((c) => c.startsWith('getJob'))).toEqual([]);
  expect(calls.filter((c) => c.endsWith('broken'))).toEqual(['release broken']);
});

test('a page hands out its items in order and holds none it handed out', () => {
  const page: Array<string | undefined> = ['a', 'b', 'c'];
  const seen: string[] = [];
  for (const item of releasing(page)) {
    seen.push(item);
    expect(page.filter((x) => x !== undefined)).toHaveLength(3 - seen.length);
  }
  expect(seen).toEqual(['a', 'b', 'c']);
});

test.each(['', '{"kind":"job","key":"job:exp:a"}', 'x'.repeat(1000)])('rowHash of %j is the stored form', (text) => {
  expect(rowHash(text)).toBe(createHash('sha256').update(text).digest('base64').slice(0, 16));
});
