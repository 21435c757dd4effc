// The engine answers an async operation from memory for an hour, then forgets it: a long-running engine does not
// keep every resize and submit it ever accepted.
import { dropOldOperations, OPERATION_KEEP_MS } from '../../local/engine/rest/operation-retention';

test('operations older than the retention are dropped, younger ones kept, in start order', () => {
  const ops = new Map([
    ['a', { startTime: 0 }],
    ['b', { startTime: 1000 }],
    ['c', { startTime: OPERATION_KEEP_MS + 500 }],
  ]);
  dropOldOperations(ops, OPERATION_KEEP_MS + 600);
  expect([...ops.keys()]).toEqual(['b', 'c']);
  dropOldOperations(ops, 3 * OPERATION_KEEP_MS);
  expect([...ops.keys()]).toEqual([]);
});
