// Drains an async iterable (a paged list) into an array: for callers that need the whole list at once.
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
