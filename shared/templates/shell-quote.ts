// A fixed string as one single-quoted shell word: for scripts the product writes itself (the Azure Batch
// translation's `bash -c '<script>'`). Template values never go through here: they reach a command line only
// as environment variables (shell-places.ts).

/** A string as one single-quoted shell word, whatever it contains. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
