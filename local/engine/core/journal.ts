// Write-through persistence: every change appends one JSON line to a journal; at start the snapshot and the
// journal are replayed and compacted into a new snapshot written atomically (temp file + rename). Appending
// keeps a change O(size of the record), so seeding 10,000 jobs never rewrites the whole state per job.
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

type Entry = { k: string; v?: unknown };

export class Journal {
  private readonly snapshotFile: string;
  private readonly journalFile: string;

  constructor(dir: string) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    this.snapshotFile = join(dir, 'state.json');
    this.journalFile = join(dir, 'journal.jsonl');
  }

  /** Replays snapshot + journal, compacts them, and returns the latest value of every key. */
  load(): Map<string, unknown> {
    const state = new Map<string, unknown>();
    if (existsSync(this.snapshotFile)) {
      const snap = JSON.parse(readFileSync(this.snapshotFile, 'utf8')) as Record<string, unknown>;
      for (const [k, v] of Object.entries(snap)) state.set(k, v);
    }
    if (existsSync(this.journalFile)) {
      for (const line of readFileSync(this.journalFile, 'utf8').split('\n')) {
        if (!line) continue;
        let e: Entry;
        try {
          e = JSON.parse(line) as Entry;
        } catch {
          // A torn last line from a crash mid-append: everything before it is intact, so stop there.
          break;
        }
        if (e.v === undefined) state.delete(e.k);
        else state.set(e.k, e.v);
      }
    }
    this.compact(state);
    return state;
  }

  private compact(state: Map<string, unknown>): void {
    const tmp = `${this.snapshotFile}.tmp`;
    writeFileSync(tmp, JSON.stringify(Object.fromEntries(state)), { mode: 0o600 });
    renameSync(tmp, this.snapshotFile);
    writeFileSync(this.journalFile, '', { mode: 0o600 });
  }

  put(key: string, value: unknown): void {
    this.write([{ k: key, v: value }]);
  }

  putMany(entries: Array<[string, unknown]>): void {
    this.write(entries.map(([k, v]) => ({ k, v })));
  }

  delete(keys: string[]): void {
    this.write(keys.map((k) => ({ k })));
  }

  private write(entries: Entry[]): void {
    if (entries.length === 0) return;
    appendFileSync(this.journalFile, entries.map((e) => JSON.stringify(e)).join('\n') + '\n', { mode: 0o600 });
  }
}
