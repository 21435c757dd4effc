// The seeded fault plan on its own: the same seed draws the same faults whatever the ids in the keys; the rate is
// kept; a kill lands at its step of its phase's run, or at that run's end, and a killed host stays dead.
// (Integration lane only because local/harness/ is where servers start: this file starts none.)
import { FaultPlan, HostDied } from '../../local/harness/chaos/fault-plan';

const enter = (plan: FaultPlan, n: number, id: (i: number) => string) =>
  Array.from({ length: n }, (_, i) => plan.enter('table.GET', id(i)).fault ?? '-');
const calls = (plan: FaultPlan, n: number, id: (i: number) => string) =>
  plan.phase('poll', async () => enter(plan, n, id));

test('the same seed draws the same faults; ids, hashes and numbers in the key do not matter', async () => {
  const key = (i: number, hash: string) => `/markers(RowKey='${i}-${hash}')`;
  const a = await calls(new FaultPlan({ seed: 42, rate: 0.2 }), 2000, (i) => key(i, '0123456789abcdef0'));
  const b = await calls(new FaultPlan({ seed: 42, rate: 0.2 }), 2000, (i) => key(i * 7, 'fedcba9876543210f'));
  const c = await calls(new FaultPlan({ seed: 43, rate: 0.2 }), 2000, () => key(1, 'x'));
  expect(b).toEqual(a);
  expect(c).not.toEqual(a);
  const share = a.filter((f) => f !== '-').length / a.length;
  expect(share).toBeGreaterThan(0.17);
  expect(share).toBeLessThan(0.23);
  expect(new Set(a)).toEqual(new Set(['-', '429', '500', '503', 'reset', 'timeout', 'truncated']));
});

test('outside a phase nothing fails: starting the host is not under test', () => {
  expect(enter(new FaultPlan({ seed: 1, rate: 1 }), 10, String).every((f) => f === '-')).toBe(true);
});

test('a kill lands at its step of the chosen run of its phase; the host stays dead', async () => {
  const plan = new FaultPlan({ seed: 5, kill: { phase: 'notify', ordinal: 1, step: 2 } });
  // A kill before the call throws from enter(); one after it is for the caller to land once the call is done.
  const send = (i: number) => {
    if (plan.enter('chat.send', `c${i}`).dieAfter) plan.die('chat.send');
  };
  const work = () => plan.phase('notify', async () => [0, 1, 2, 3].forEach(send));
  await work(); // ordinal 0: untouched
  const killed = await work().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(killed).toBeInstanceOf(HostDied);
  expect(plan.diedAt).toBe('notify/chat.send');
  expect(() => plan.enter('table.GET', 'x')).toThrow(HostDied);
  await expect(plan.phase('poll', async () => 1)).rejects.toThrow(/died at notify\/chat.send/);
});

test('a kill past the run’s last call lands at its end', async () => {
  const plan = new FaultPlan({ seed: 5, kill: { phase: 'poll', ordinal: 0, step: 50 } });
  await expect(plan.phase('poll', async () => plan.enter('compute.listJobs', 'x'))).rejects.toThrow(HostDied);
  expect(plan.diedAt).toBe('poll/end');
});
