// Every benchmark figure goes through here: printed beside the naive way's figure (and their ratio) and
// collected into bench/results.json so that later runs can be compared.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
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
  const naive =
    f.naive === undefined
      ? ''
      : `   naive: ${fmt(f.naive)} ${f.unit}   ratio: ${f.value === 0 ? '∞' : fmt(f.naive / f.value)}×`;
  console.log(`${f.name.padEnd(58)} ${fmt(f.value).padStart(12)} ${f.unit}${naive}${f.note ? `   (${f.note})` : ''}`);
}

const RESULTS_DIR = __dirname.replace(/[\\/]dist[\\/]bench$/, '/bench');

/**
 * This run's figures and, for what it did not measure, the last measured values in bench/results.json: a run of
 * some benchmarks (`npm run bench -- cold-start`) replaces only the figures it measured.
 */
export function allFigures(dir = RESULTS_DIR): Figure[] {
  const file = join(dir, 'results.json');
  const measured = new Set(figures.map((f) => f.name));
  const earlier: Figure[] = existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as { figures: Figure[] }).figures
    : [];
  return [...earlier.filter((f) => !measured.has(f.name)), ...figures];
}

/** Writes allFigures() into bench/results.json. */
export function writeResults(dir = RESULTS_DIR): string {
  const file = join(dir, 'results.json');
  const all = allFigures(dir);
  writeFileSync(
    file,
    JSON.stringify({ at: new Date().toISOString(), node: process.version, figures: all }, null, 2) + '\n',
  );
  return file;
}
