// The price table in use: the shipped one, or the shipped one with PRICES_FILE over it (read once per process:
// prices change by agreement, not by the minute).
import { readFileSync } from 'node:fs';
import { InputError } from './errors';
import { mergePrices, SHIPPED_PRICES, type PriceTable } from './core/prices';

const loaded = new Map<string, PriceTable>();

export function priceTable(file: string | undefined): PriceTable {
  if (!file) return SHIPPED_PRICES;
  let table = loaded.get(file);
  if (!table) {
    try {
      table = mergePrices(SHIPPED_PRICES, JSON.parse(readFileSync(file, 'utf8')), `PRICES_FILE ${file}`);
    } catch (e) {
      throw new InputError('ConfigInvalid', `PRICES_FILE ${file} could not be used: ${(e as Error).message}`);
    }
    loaded.set(file, table);
  }
  return table;
}
