// The `snapshots` table: one partition per workspace (encoded "rg/workspace"), one row per job
// (`job:{experiment}:{job}`) and cluster (`cluster:{name}`), plus a `meta` row saying the workspace had its
// first (baseline) tick. Writes go in transactions of at most 100 actions, all within the one partition.
import { odata, type TableClient, type TransactionAction } from '@azure/data-tables';
import type { WorkspaceRef } from '../compute/model';
import type { JobState } from '../core/commands';
import type { SnapshotRow } from '../core/diff';
import { ProtocolError } from '../errors';
import { decodeKey, encodeKey, workspaceKey } from './keys';
import { transactionGroups } from './table';

const META = 'meta';

export interface SnapshotStore {
  /** `baselined` false: the workspace was never polled (no meta row yet). */
  load(ws: WorkspaceRef): Promise<{ rows: Map<string, SnapshotRow>; baselined: boolean }>;
  /** Returns the number of transactions submitted (0 when there was nothing to write). */
  write(
    ws: WorkspaceRef,
    change: { upserts: SnapshotRow[]; deletes: SnapshotRow[]; markBaselined?: boolean },
  ): Promise<number>;
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

export function snapshotStore(table: TableClient): SnapshotStore {
  return {
    async load(ws) {
      const rows = new Map<string, SnapshotRow>();
      let baselined = false;
      for await (const e of table.listEntities<Entity>({
        queryOptions: { filter: odata`PartitionKey eq ${workspaceKey(ws)}` },
      })) {
        if (e.rowKey === META) baselined = true;
        else {
          const row = toRow(e);
          rows.set(row.key, row);
        }
      }
      return { rows, baselined };
    },
    async write(ws, change) {
      const partitionKey = workspaceKey(ws);
      const actions: TransactionAction[] = [
        ...change.upserts.map((r): TransactionAction => {
          const { key, ...fields } = r;
          return ['upsert', { partitionKey, rowKey: encodeKey(key), ...fields }, 'Replace'];
        }),
        ...change.deletes.map((r): TransactionAction => ['delete', { partitionKey, rowKey: encodeKey(r.key) }]),
        ...(change.markBaselined
          ? [
              [
                'upsert',
                { partitionKey, rowKey: META, baselinedAt: new Date().toISOString() },
                'Replace',
              ] as TransactionAction,
            ]
          : []),
      ];
      const groups = transactionGroups(actions);
      for (const t of groups) await table.submitTransaction(t);
      return groups.length;
    },
  };
}
