import { tailFileNames } from '../../shared/core/log-files';

const listed = [
  'stderr.txt',
  'stdout-worker-10.txt',
  'stdout-job_prep.txt',
  'stdout.txt',
  'stdout-worker-2.txt',
  'stderr-worker-2.txt',
  'stdout-ps-0.txt',
  'model.bin',
];

test("a finished job shows stdout.txt, then each process's stdout by role and index; job preparation left out", () => {
  expect(tailFileNames(listed, false)).toEqual([
    'stdout.txt',
    'stdout-ps-0.txt',
    'stdout-worker-2.txt',
    'stdout-worker-10.txt',
  ]);
});

test('a failed job adds the stderr files; stdout.txt is named even before it is listed', () => {
  expect(tailFileNames(listed, true)).toEqual([
    'stdout.txt',
    'stdout-ps-0.txt',
    'stdout-worker-2.txt',
    'stdout-worker-10.txt',
    'stderr.txt',
    'stderr-worker-2.txt',
  ]);
  expect(tailFileNames([], false)).toEqual(['stdout.txt']);
});

test('at most 8 processes per stream, so a card holds more than log tails', () => {
  const many = Array.from({ length: 20 }, (_, i) => `stdout-worker-${i + 1}.txt`);
  expect(tailFileNames(many, false)).toHaveLength(8);
});
