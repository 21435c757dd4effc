// A benchmark run that does not end in time fails the bench with its seed, rather than hanging it.
const RUN_LIMIT_MS = 120_000;

export async function withinLimit<T>(seed: number, run: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`chaos run of seed ${seed} took over ${RUN_LIMIT_MS} ms`)), RUN_LIMIT_MS);
  });
  try {
    return await Promise.race([run(), limit]);
  } finally {
    clearTimeout(timer);
  }
}
