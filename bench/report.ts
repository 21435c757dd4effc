// Every benchmark figure goes through here: printed beside the naive way's figure (and their ratio) and
// collected into bench/results.json so that later runs can be compared.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Figure {
  name: string;
  value: number;
  unit: string;
  /** The naive way's value, where there is one. */
  naive?: number;
  note?: string;
}

const figures: Figure[] = [];

function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(2);
}

export function record(f: Figure): void {
  figures.push(f);
  const naive = f.naive === undefined ? '' : `   naive: ${fmt(f.naive)} ${f.unit}   ratio: ${f.value === 0 ? '∞' : fmt(f.naive / f.value)}×`;
  console.log(`${f.name.padEnd(58)} ${fmt(f.value).padStart(12)} ${f.unit}${naive}${f.note ? `   (${f.note})` : ''}`);
}

export function writeResults(dir = __dirname.replace(/[\\/]dist[\\/]bench$/, '/bench')): string {
  const file = join(dir, 'results.json');
  writeFileSync(file, JSON.stringify({ at: new Date().toISOString(), node: process.version, figures }, null, 2) + '\n');
  return file;
}
