// Which experiments a poll tick lists first: those that can have news (a job not final, never seen, moved within
// RECENT_MS); the rest keep their order after them.
import { listingOrder, listsFirst, RECENT_MS } from '../../shared/core/listing-order';

const now = new Date('2026-12-07T12:00:00Z');
const ago = (ms: number) => new Date(now.getTime() - ms).toISOString();

describe('listsFirst', () => {
  test.each([
    ['never seen by a tick', undefined, true],
    ['a row written before activity was kept', {}, true],
    ['a job not final', { active: true }, true],
    ['a job not final, moved long ago', { active: true, movedAt: ago(10 * RECENT_MS) }, true],
    ['all final, never moved after its first listing', { active: false }, false],
    ['all final, moved just now', { active: false, movedAt: ago(0) }, true],
    ['all final, moved a moment less than RECENT_MS ago', { active: false, movedAt: ago(RECENT_MS - 1) }, true],
    ['all final, moved RECENT_MS ago', { active: false, movedAt: ago(RECENT_MS) }, false],
    ['all final, an unreadable time', { active: false, movedAt: 'yesterday' }, true],
  ])('%s → %s', (_what, activity, expected) => {
    expect(listsFirst(activity, now)).toBe(expected);
  });
});

test('listingOrder keeps the given order within each part', () => {
  const activity = new Map([
    ['a-done', { active: false }],
    ['b-running', { active: true }],
    ['c-done-lately', { active: false, movedAt: ago(60_000) }],
    ['d-done', { active: false, movedAt: ago(2 * RECENT_MS) }],
  ]);
  expect(listingOrder(['a-done', 'b-running', 'new', 'c-done-lately', 'd-done'], activity, now)).toEqual({
    first: ['b-running', 'new', 'c-done-lately'],
    rest: ['a-done', 'd-done'],
  });
});
