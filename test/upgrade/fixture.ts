// Tables, queues and the engine's data dir as the product of commit fccbd8d (2026-12-06, before the compute model)
// left them, captured once by driving that version on each backend until every table of shared/storage had rows
// (test/fixtures/upgrade-fccbd8d/): how to load them into a fresh Azurite and a fresh engine data dir.
import { readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TableClient, type TableEntity } from '@azure/data-tables';
import { QueueClient } from '@azure/storage-queue';
import type { ComputeBackend } from '../../shared/compute/model';

export const FIXTURE_DIR = join(__dirname, '..', 'fixtures', 'upgrade-fccbd8d');

type EdmType = 'String' | 'Int32' | 'Int64' | 'Double' | 'Boolean' | 'DateTime' | 'Guid' | 'Binary';
interface TypedValue {
  type: EdmType;
  value: string;
}
export interface FixtureEntity {
  partitionKey: string;
  rowKey: string;
  properties: Record<string, TypedValue>;
}
export interface Fixture {
  capturedFrom: string;
  backend: ComputeBackend;
  subscriptionId: string;
  /** The settings the capture ran with, by their names then (endpoints and storage as placeholders). */
  env: Record<string, string>;
  /** What rows embed of the capture-time processes (conversations' serviceUrl and reference). */
  capturedUrls: { channelServiceUrl: string };
  tables: Record<string, FixtureEntity[]>;
  queues: Record<string, string[]>;
  engine: {
    /** The data dir's absolute path at capture: the engine's records and mount links point below it. */
    capturedDataDir: string;
    jobs: Array<{ experiment: string; job: string; state: string; cluster: string }>;
  };
}

export const readFixture = (backend: ComputeBackend): Fixture =>
  JSON.parse(readFileSync(join(FIXTURE_DIR, `tables-${backend}.json`), 'utf8')) as Fixture;

/**
 * A fixture property → what TableClient writes with that EDM type
 * (Int32/Boolean/String as JSON, the rest annotated).
 */
function toWritable(p: TypedValue): unknown {
  switch (p.type) {
    case 'String':
      return p.value;
    case 'Int32':
      return Number(p.value);
    case 'Boolean':
      return p.value === 'true';
    default:
      return { type: p.type, value: p.value };
  }
}

/** Writes the fixture's tables (created even when empty) and queue messages into empty storage. */
export async function loadFixture(conn: string, f: Fixture, channelServiceUrl: string): Promise<void> {
  for (const [name, rows] of Object.entries(f.tables)) {
    const table = TableClient.fromConnectionString(conn, name, { allowInsecureConnection: true });
    await table.createTable();
    for (const r of rows) {
      const entity: TableEntity = { partitionKey: r.partitionKey, rowKey: r.rowKey };
      for (const [k, p] of Object.entries(r.properties)) entity[k] = toWritable(p);
      // A stored conversation points at the channel that was running at capture: point it at this one.
      if (name === 'conversations') {
        entity.serviceUrl = channelServiceUrl;
        entity.reference = String(entity.reference).split(f.capturedUrls.channelServiceUrl).join(channelServiceUrl);
      }
      await table.createEntity(entity);
    }
  }
  for (const [name, texts] of Object.entries(f.queues)) {
    const queue = new QueueClient(conn, name);
    await queue.createIfNotExists();
    for (const text of texts) await queue.sendMessage(text);
  }
}

/**
 * Makes a copy of the captured engine data dir usable at `dir`: its records name the old path, and its mount links
 * are kept as `<link>.symlink` files holding the target below the data dir (git keeps no dangling links well).
 */
export function relocateEngineDir(dir: string, capturedDataDir: string): void {
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.endsWith('.symlink')) {
        symlinkSync(dir + readFileSync(p, 'utf8'), p.slice(0, -'.symlink'.length), 'dir');
        rmSync(p);
      } else if (/\/(state|batch)\/[^/]+\.jsonl?$/.test(p)) {
        writeFileSync(p, readFileSync(p, 'utf8').split(capturedDataDir).join(dir));
      }
    }
  };
  walk(dir);
}
