// A poll tick commits what succeeded: an experiment whose listing fails leaves its rows for the next tick while
// the others' events go out now; the workspace's failure is reported once, however many ticks it lasts, and
// its recovery once. And Table writes follow the changes: a tick where nothing changed writes nothing and reads
// no job row; a tick where a few jobs ended writes their rows and one batch, and of a moved experiment reads only
// the rows whose hash moved. Counted on a real Azurite, on the engine's Batch AI API (the poller's logic is the
// same for every backend).
import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import type { ComputePort } from '../../shared/compute/port';
import { ComputeError } from '../../shared/errors';
import { createPoller } from '../../shared/services/poller';
import { useStarted } from '../support/use-started';
import { peekEvents, setupWorkspace, startStack, SUB, WS, type Stack } from './harness';

describe('a poll tick under failures', () => {
  const started = useStarted(
    'backend stack',
    () => startStack('rg/ws'),
    (s) => s.stop(),
  );
  let stack: Stack;
  beforeAll(async () => {
    stack = started.current;
    await setupWorkspace(stack.client);
    await stack.services.poller.tick(); // baseline
  }, 60_000);

  const seed = (experiment: string, n: number) =>
    stack.engine.seedFinishedJobs({ ...WS, experiment, subscriptionId: SUB }, n, { cluster: 'gpu' });

  test('one experiment failing: the others alert now, it alerts once it lists again; reported once', async () => {
    await seed('ok-exp', 2);
    await seed('bad-exp', 2);
    let broken = true;
    const compute: ComputePort = {
      ...stack.services.compute,
      listJobs: (ref) => {
        if (broken && ref.experiment === 'bad-exp')
          throw new ComputeError('Injected500', 'listing failed', 500, { backend: 'batchai' });
        return stack.services.compute.listJobs(ref);
      },
    };
    const log: string[] = [];
    const poller = createPoller({ compute, workspaces: [WS], stores: stack.services.backend, log: (l) => log.push(l) });
    const before = (await peekEvents(stack)).length;

    const first = (await poller.tick()).workspaces[0]!;
    expect(first).toMatchObject({ ok: false, messages: 1 });
    expect(first.error).toMatch(/bad-exp: listing failed/);
    const sent = (await peekEvents(stack)).slice(before).flatMap((b) => b.events);
    expect(new Set(sent.map((e) => (e.kind === 'job' ? e.experiment : e.kind)))).toEqual(new Set(['ok-exp']));

    // The failure lasts: no new message, no new report.
    expect((await poller.tick()).workspaces[0]).toMatchObject({ ok: false, messages: 0 });
    expect(log.filter((l) => /is failing/.test(l))).toHaveLength(1);

    broken = false;
    const healed = (await poller.tick()).workspaces[0]!;
    expect(healed).toMatchObject({ ok: true, messages: 1 });
    const later = (await peekEvents(stack)).slice(before + 1).flatMap((b) => b.events);
    expect(new Set(later.map((e) => (e.kind === 'job' ? e.experiment : e.kind)))).toEqual(new Set(['bad-exp']));
    expect(later.filter((e) => e.kind === 'job' && e.to === 'succeeded')).toHaveLength(2);
    expect(log.filter((l) => /recovered/.test(l))).toHaveLength(1);
    expect(await stack.services.backend.pollStatus.get(WS)).toBeUndefined();
  }, 30_000);

  test('Table requests follow the changes: none written and no job row read when nothing changed', async () => {
    // Every Table request of the tick, by method and table.
    const requests: string[] = [];
    const counter: PipelinePolicy = {
      name: 'countTableRequests',
      sendRequest: (req, next) => {
        requests.push(`${req.method} ${new URL(req.url).pathname.split('/').pop()}`);
        return next(req);
      },
    };
    const s = await stack.build({ storage: { tablePolicies: [counter] }, log: () => {} });
    await s.poller.tick(); // settles what the earlier test left
    requests.length = 0;
    await s.poller.tick();
    const writes = () => requests.filter((r) => !r.startsWith('GET'));
    // Reads: the poll status, the workspace's index (clusters, digests, meta); the batch sweep ran on the first tick.
    expect(writes()).toEqual([]);
    expect(requests.filter((r) => r.startsWith('GET snapshots'))).toHaveLength(1);

    await seed('burst-exp', 5);
    requests.length = 0;
    const r = (await s.poller.tick()).workspaces[0]!;
    expect(r).toMatchObject({ ok: true, events: 10, messages: 1, transactions: 1 });
    // One transaction for the batch of 10 events, one for the 5 rows and the experiment's digest.
    expect(writes().filter((w) => /\$batch/.test(w))).toHaveLength(2);
    expect(writes()).toHaveLength(2);

    // Of an experiment of 40 whose digest moved, the tick reads its row hashes and only the rows it must: none for
    // 3 new jobs, one for the job deleted (its row makes the "deleted" event).
    await seed('wide-exp', 40);
    await s.poller.tick();
    await seed('wide-exp', 3);
    await stack.client.deleteJob({ ...WS, experiment: 'wide-exp', job: 'seed-07' });
    requests.length = 0;
    const moved = await s.poller.tick();
    expect(moved.workspaces[0]).toMatchObject({ ok: true, events: 7 });
    // One query (the index), two reads: the moved experiment's digest row with its row hashes, then seed-07's row.
    expect(requests.filter((q) => q === 'GET snapshots()')).toHaveLength(1);
    expect(requests.filter((q) => /^GET snapshots\(PartitionKey/.test(q))).toEqual([
      expect.stringMatching(/RowKey='digest%3Awide-exp'\)$/),
      expect.stringMatching(/RowKey='job%3Awide-exp%3Aseed-07'\)$/),
    ]);
    const deleted = (await peekEvents(stack)).at(-1)!.events.filter((e) => e.kind === 'job' && e.to === 'deleted');
    expect(deleted).toEqual([expect.objectContaining({ job: 'seed-07', from: 'succeeded' })]);
  }, 30_000);
});
