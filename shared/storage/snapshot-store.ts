// The `snapshots` table: one partition per workspace (encoded "rg/workspace"), one row per job
// (`job:{experiment}:{job}`) and cluster (`cluster:{name}`), one `digest:{experiment}` row per experiment (a hash
// of its job rows: a tick whose listing hashes the same reads none of them), plus a `meta` row saying the
// workspace had its first (baseline) tick and has a digest for every experiment with rows (`indexed`: a partition
// written before digests lacks it, and its experiments are found once from the row keys).
// A digest row also holds the hash of each of its experiment's rows (core/diff.ts rowHash, in columns body0…, up to
// MAX_HASHES_TEXT): of an experiment whose digest moved, a tick reads that one row and then only the rows whose hash
// moved, not every row; the index query leaves those columns out. Digest and hashes are one entity: they agree.
// It also says whether the experiment had a job not final and when its digest last moved (core/listing-order.ts:
// the index carries both, so a tick knows which experiments to list first before it lists any).
// Writes go in transactions of at most 100 actions, all within the one partition, in the order given: an
// experiment's digest goes after its rows, so a digest never claims rows a failed transaction did not write.
import { odata, type TableClient, type TransactionAction } from '@azure/data-tables';
import type { WorkspaceRef } from '../compute/model';
import type { JobState } from '../core/commands';
import { mapLimit } from '../core/collect';
import { jobKey, type ClusterRow, type SnapshotRow } from '../core/diff';
import { isRecord } from '../core/json-shape';
import type { ExperimentActivity } from '../core/listing-order';
import { ProtocolError } from '../errors';
import { decodeKey, encodeKey, workspaceKey } from './keys';
import { joinedColumns, splitColumns } from './split-column';
import { getIfExists, transactionGroups } from './table';

const META = 'meta';

const DIGEST = 'digest:';
/** More rows than this of one experiment are read with one range query rather than a read each. */
const POINT_READS = 50;
/** Characters of row hashes a digest row holds at most (a row holds 1 MiB): about 20,000 jobs of 20-character names. */
const MAX_HASHES_TEXT = 480_000;
/** What the index reads of its rows: a cluster row's fields, a digest, the meta row's flag; not the row hashes. */
const INDEX_COLUMNS = [
  ...['RowKey', 'kind', 'resourceId', 'cluster', 'vmSize', 'allocationState', 'nodeCount', 'at'],
  ...['digest', 'active', 'movedAt', 'indexed'],
];

/** What a tick reads of a workspace before its listings: small, whatever the number of jobs. */
export interface SnapshotIndex {
  /** False: the workspace was never polled (no meta row yet). */
  baselined: boolean;
  /** False: written before digests, so experiments with rows may lack one (SnapshotStore.experiments finds them). */
  indexed: boolean;
  clusters: Map<string, ClusterRow>;
  /** Experiment → the digest of its stored job rows (core/diff.ts rowsDigest). */
  digests: Map<string, string>;
  /** Experiment → what its digest row says of its activity (core/listing-order.ts). */
  activity: Map<string, ExperimentActivity>;
}

/**
 * Rows to write; `digest`: the experiment's digest to set after them ('' matches no listing: the rows are not
 * all up to date; null deletes the digest row, which must exist), with the hash of each of its rows by key when
 * known (a digest row without them makes the next tick that sees it move read every row of the experiment).
 */
export interface SnapshotChange {
  upserts: SnapshotRow[];
  deletes: SnapshotRow[];
  digest?: { experiment: string; value: string | null; hashes?: Map<string, string>; activity?: ExperimentActivity };
}

export interface SnapshotStore {
  /** Every row of the workspace. `baselined` false: the workspace was never polled (no meta row yet). */
  load(ws: WorkspaceRef): Promise<{ rows: Map<string, SnapshotRow>; baselined: boolean }>;
  index(ws: WorkspaceRef): Promise<SnapshotIndex>;
  /**
   * The job rows of these experiments, by experiment: one range query for one experiment, one query of all the
   * workspace's job rows for more (a query costs the service a scan of its range; Azurite scans its table).
   */
  experimentRows(ws: WorkspaceRef, experiments: string[]): Promise<Map<string, Map<string, SnapshotRow>>>;
  /**
   * The hash of each job row of the experiment, by key, as its digest row holds them (a read of that row);
   * undefined when it holds none (written before hashes, or too many rows).
   */
  rowHashes(ws: WorkspaceRef, experiment: string): Promise<Map<string, string> | undefined>;
  /** These job rows of one experiment (a read each, or one range query for many); a missing one is left out. */
  rows(ws: WorkspaceRef, experiment: string, keys: string[]): Promise<Map<string, SnapshotRow>>;
  /** The experiments that have job rows (row keys only). */
  experiments(ws: WorkspaceRef): Promise<string[]>;
  /**
   * Writes the changes in order (a digest after its rows), then, with `markIndexed`, the meta row (baselined and
   * indexed). Stops at the first failing transaction (what went before stays). Returns the transactions submitted.
   */
  write(ws: WorkspaceRef, changes: SnapshotChange[], opts?: { markIndexed?: boolean }): Promise<number>;
}

type Entity = Record<string, unknown> & { rowKey?: string };

function toRow(e: Entity): SnapshotRow {
  const key = decodeKey(e.rowKey ?? '');
  const str = (k: string) => {
    if (typeof e[k] !== 'string') throw new ProtocolError(`snapshot row ${key}: ${k} missing`);
    return e[k] as string;
  };
  const num = (k: string) => {
    if (typeof e[k] !== 'number') throw new ProtocolError(`snapshot row ${key}: ${k} missing`);
    return e[k] as number;
  };
  if (e.kind === 'job') {
    return {
      kind: 'job',
      key,
      resourceId: str('resourceId'),
      experiment: str('experiment'),
      job: str('job'),
      state: str('state') as JobState,
      at: str('at'),
      cluster: str('cluster'),
      nodeCount: num('nodeCount'),
    };
  }
  if (e.kind === 'cluster') {
    return {
      kind: 'cluster',
      key,
      resourceId: str('resourceId'),
      cluster: str('cluster'),
      vmSize: str('vmSize'),
      allocationState: str('allocationState') as 'steady' | 'resizing',
      nodeCount: num('nodeCount'),
      at: str('at'),
    };
  }
  throw new ProtocolError(`snapshot row ${key}: expected kind job or cluster, got ${String(e.kind)}`);
}

/** Row keys from `prefix` (inclusive) up to the next prefix: `job:exp:` → the jobs of exp only. */
function prefixFilter(partitionKey: string, prefix: string): string {
  const from = encodeKey(prefix);
  const to = from.slice(0, -1) + String.fromCharCode(from.charCodeAt(from.length - 1) + 1);
  return odata`PartitionKey eq ${partitionKey} and RowKey ge ${from} and RowKey lt ${to}`;
}

/** `job:{experiment}:{job}` → experiment (a job name holds no colon; an experiment's name might). */
const experimentOf = (key: string) => key.slice(4, key.lastIndexOf(':'));

/** A digest row's row-hash columns: {job: hash} as JSON, none when unknown or too long for a row. */
function hashColumns(hashes: Map<string, string> | undefined): Record<string, string> {
  if (!hashes) return {};
  const byJob: Record<string, string> = {};
  for (const [key, h] of hashes) byJob[key.slice(key.lastIndexOf(':') + 1)] = h;
  const text = JSON.stringify(byJob);
  return text.length > MAX_HASHES_TEXT ? {} : splitColumns(text);
}

export function snapshotStore(table: TableClient): SnapshotStore {
  async function rowsWhere(filter: string): Promise<Map<string, SnapshotRow>> {
    const rows = new Map<string, SnapshotRow>();
    for await (const e of table.listEntities<Entity>({ queryOptions: { filter } })) {
      const row = toRow(e);
      rows.set(row.key, row);
    }
    return rows;
  }

  return {
    async load(ws) {
      const rows = new Map<string, SnapshotRow>();
      let baselined = false;
      for await (const e of table.listEntities<Entity>({
        queryOptions: { filter: odata`PartitionKey eq ${workspaceKey(ws)}` },
      })) {
        if (e.rowKey === META) baselined = true;
        else if (!e.rowKey?.startsWith(DIGEST)) {
          const row = toRow(e);
          rows.set(row.key, row);
        }
      }
      return { rows, baselined };
    },
    async index(ws) {
      const pk = workspaceKey(ws);
      // Every row key below `job:` (clusters, digests) and the meta row: one query.
      const filter = odata`PartitionKey eq ${pk} and (RowKey lt ${'job:'} or RowKey eq ${META})`;
      const out: SnapshotIndex = {
        baselined: false,
        indexed: false,
        clusters: new Map(),
        digests: new Map(),
        activity: new Map(),
      };
      for await (const e of table.listEntities<Entity>({ queryOptions: { filter, select: INDEX_COLUMNS } })) {
        const key = e.rowKey ?? '';
        if (key === META) {
          out.baselined = true;
          out.indexed = e.indexed === true;
        } else if (key.startsWith(DIGEST)) {
          if (typeof e.digest !== 'string') throw new ProtocolError(`snapshot row ${key}: digest missing`);
          const experiment = decodeKey(key.slice(DIGEST.length));
          out.digests.set(experiment, e.digest);
          out.activity.set(experiment, {
            ...(typeof e.active === 'boolean' ? { active: e.active } : {}),
            ...(typeof e.movedAt === 'string' ? { movedAt: e.movedAt } : {}),
          });
        } else {
          const row = toRow(e);
          if (row.kind === 'cluster') out.clusters.set(row.key, row);
        }
      }
      return out;
    },
    async experimentRows(ws, experiments) {
      const out = new Map(experiments.map((e) => [e, new Map<string, SnapshotRow>()]));
      if (experiments.length === 0) return out;
      const prefix = experiments.length === 1 ? `job:${experiments[0]}:` : 'job:';
      for (const [key, row] of await rowsWhere(prefixFilter(workspaceKey(ws), prefix))) {
        out.get(experimentOf(key))?.set(key, row);
      }
      return out;
    },
    async rowHashes(ws, experiment) {
      const e = await getIfExists<Entity>(table, workspaceKey(ws), encodeKey(DIGEST + experiment));
      const text = e ? joinedColumns(e) : '';
      if (!text) return undefined;
      const parsed: unknown = JSON.parse(text);
      if (!isRecord(parsed)) throw new ProtocolError(`snapshot row ${DIGEST}${experiment}: row hashes unreadable`);
      return new Map(Object.entries(parsed).map(([job, h]) => [jobKey(experiment, job), String(h)]));
    },
    async rows(ws, experiment, keys) {
      const pk = workspaceKey(ws);
      if (keys.length > POINT_READS) {
        const all = await rowsWhere(prefixFilter(pk, `job:${experiment}:`));
        return new Map(keys.flatMap((k) => (all.has(k) ? [[k, all.get(k)!] as const] : [])));
      }
      const found = await mapLimit(keys, 8, (key) => getIfExists<Entity>(table, pk, encodeKey(key)));
      return new Map(found.flatMap((e, i) => (e ? [[keys[i]!, toRow(e)] as const] : [])));
    },
    async experiments(ws) {
      const names = new Set<string>();
      for await (const e of table.listEntities<Entity>({
        queryOptions: { filter: prefixFilter(workspaceKey(ws), 'job:'), select: ['RowKey'] },
      })) {
        names.add(experimentOf(decodeKey(e.rowKey ?? '')));
      }
      return [...names];
    },
    async write(ws, changes, opts = {}) {
      const partitionKey = workspaceKey(ws);
      const actions: TransactionAction[] = [];
      for (const change of changes) {
        for (const r of change.upserts) {
          const { key, ...fields } = r;
          actions.push(['upsert', { partitionKey, rowKey: encodeKey(key), ...fields }, 'Replace']);
        }
        for (const r of change.deletes) actions.push(['delete', { partitionKey, rowKey: encodeKey(r.key) }]);
        const d = change.digest;
        if (!d) continue;
        const rowKey = encodeKey(DIGEST + d.experiment);
        actions.push(
          d.value === null
            ? ['delete', { partitionKey, rowKey }]
            : ['upsert', { partitionKey, rowKey, digest: d.value, ...d.activity, ...hashColumns(d.hashes) }, 'Replace'],
        );
      }
      if (opts.markIndexed) {
        actions.push(['upsert', { partitionKey, rowKey: META, baselinedAt: new Date().toISOString(), indexed: true }]);
      }
      const groups = transactionGroups(actions);
      for (const t of groups) await table.submitTransaction(t);
      return groups.length;
    },
  };
}
