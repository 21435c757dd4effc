// Zip archives for the deploy packages, in pure JS (fflate): no `zip` binary is needed on the machine.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { unzipSync, zipSync, type Zippable } from 'fflate';

export interface ZipEntry {
  path: string;
  data: Uint8Array;
}

// A fixed time for every entry: the same files give the same archive bytes.
const FIXED_MTIME = new Date('2026-01-01T00:00:00Z');

export function writeZip(out: string, entries: ZipEntry[]): void {
  const tree: Zippable = {};
  for (const e of entries) {
    if (e.path in tree) throw new Error(`zip: ${e.path} added twice`);
    tree[e.path] = [e.data, { mtime: FIXED_MTIME }];
  }
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, zipSync(tree, { level: 9 }));
}

/** The archive's entry names, in order (nothing is decompressed). */
export function zipEntryNames(file: string): string[] {
  const names: string[] = [];
  unzipSync(readFileSync(file), {
    filter: (f) => {
      names.push(f.name);
      return false;
    },
  });
  return names;
}

/** One entry's content. */
export function readZipEntry(file: string, name: string): Uint8Array {
  const found = unzipSync(readFileSync(file), { filter: (f) => f.name === name })[name];
  if (!found) throw new Error(`zip ${file}: no entry ${name}`);
  return found;
}
