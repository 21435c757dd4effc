// Drains an async iterable (a paged list) into an array: for callers that need the whole list at once; runs work
// over a list with a bound on what is in flight; and hands out a page's items without holding the page.
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** Runs `fn` over `items` with at most `limit` in flight; the first failure rejects. */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/**
 * The items in order, each dropped from `items` as it is handed out: a list's consumer awaits between items (and
 * other work runs then), and a page of 1,000 parsed items held until its last is used outlives the young
 * generation; each item now lives as long as its consumer keeps it.
 */
export function* releasing<T>(items: Array<T | undefined>): Generator<T, void, undefined> {
  for (let i = 0; i < items.length; i++) {
    const item = items[i] as T;
    items[i] = undefined;
    yield item;
  }
}
