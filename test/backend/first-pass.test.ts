// Pure (in-memory stores and compute): which workspaces a tick's first pass reads. Only those whose last tick in this
// process left news (an experiment with a job not final, or moved lately): the others read their index once, in the
// second pass, beside their listings, so a tick over 50 quiet workspaces does not read 50 indexes before it lists.
import type { ComputeJob, WorkspaceRef } from '../../shared/compute/model';
import { RECENT_MS, type ExperimentActivity } from '../../shared/core/listing-order';
import { createPoller, type PollerDeps } from '../../shared/services/poller';
import type { SnapshotChange } from '../../shared/storage/snapshot-store';

const BUSY: WorkspaceRef = { resourceGroup: 'rg', workspace: 'busy' };
const CALM: WorkspaceRef = { resourceGroup: 'rg', workspace: 'calm' };

const job = (state: ComputeJob['state']): ComputeJob => ({
  id: '/jobs/j1',
  name: 'j1',
  experiment: 'exp',
  state,
  cluster: 'gpu',
  nodeCount: 1,
  errors: [],
  outputDirectoryIds: [],
  exitCode: 0,
});

test('the first pass reads the workspaces whose last tick left news, and only those', async () => {
  const calls: string[] = [];
  // busy's job runs until `ended`; each workspace's digest row of `exp` as the last tick wrote it.
  let ended = false;
  const rows = new Map<string, { digest: string; activity: ExperimentActivity }>();
  const compute: PollerDeps['compute'] = {
    labels: { service: 'Test', workspace: 'Workspace', cluster: 'Cluster' },
    async *listClusters() {},
    async *listExperiments() {
      yield 'exp';
    },
    async *listJobs(ref) {
      calls.push(`list ${ref.workspace}`);
      yield job(ref.workspace === 'busy' && !ended ? 'running' : 'succeeded');
    },
  };
  const stores = {
    snapshots: {
      index: async (ws: WorkspaceRef) => {
        calls.push(`index ${ws.workspace}`);
        const row = rows.get(ws.workspace);
        const digests = new Map(row ? [['exp', row.digest]] : []);
        const activity = new Map(row ? [['exp', row.activity]] : []);
        return { baselined: true, indexed: true, clusters: new Map(), digests, activity };
      },
      experiments: async () => [],
      experimentRows: async () => new Map(),
      rowHashes: async () => new Map(),
      rows: async () => new Map(),
      write: async (ws: WorkspaceRef, changes: SnapshotChange[]) => {
        for (const { digest } of changes) {
          if (digest?.value && digest.activity)
            rows.set(ws.workspace, { digest: digest.value, activity: digest.activity });
        }
        return 1;
      },
    },
    pollStatus: { failing: async () => [], recover: async () => false, startFailing: async () => true },
    events: { enqueue: async () => ({}) },
    batches: { sweep: async () => 0 },
  } as unknown as PollerDeps['stores'];
  let clock = new Date('2026-12-07T12:00:00Z');
  const poller = createPoller({
    compute,
    workspaces: [CALM, BUSY],
    stores,
    log: () => {},
    workspaceConcurrency: 1,
    now: () => clock,
  });
  const tick = async () => {
    calls.length = 0;
    await poller.tick();
    return [...calls];
  };

  // The first tick of a process knows no workspace with news: one pass, each index read beside its listing.
  expect(await tick()).toEqual(['index calm', 'list calm', 'index busy', 'list busy']);
  // busy's job runs: its workspace goes first, before calm's index is read; it is not listed again.
  expect(await tick()).toEqual(['index busy', 'list busy', 'index calm', 'list calm']);
  // It ends: busy moved, so it goes first while the move is recent.
  ended = true;
  expect(await tick()).toEqual(['index busy', 'list busy', 'index calm', 'list calm']);
  // Past RECENT_MS: read first once more (its last tick left news), found quiet, listed with the rest; then not first.
  clock = new Date(clock.getTime() + RECENT_MS);
  expect(await tick()).toEqual(['index busy', 'index calm', 'list calm', 'list busy']);
  expect(await tick()).toEqual(['index calm', 'list calm', 'index busy', 'list busy']);
});
