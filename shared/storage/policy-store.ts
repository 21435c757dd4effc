// The `policies` table: one row per cluster (PK the encoded workspace, RK `cluster:{name}` lower-cased, as ARM
// names are case-insensitive) holding its keep-up and the idle flow's progress (core/idle-policy.ts
// ClusterPolicy). The idle tick writes with the ETag it read, so a keep-up pressed meanwhile (which changes the
// ETag) or a concurrent tick makes its write fail instead of scaling a cluster someone just asked to keep.
import { odata, type TableClient } from '@azure/data-tables';
import type { WorkspaceRef } from '../compute/model';
import type { ClusterPolicy } from '../core/idle-policy';
import { decodeKey, encodeKey, workspaceKey } from './keys';
import { getIfExists, statusOf, type Versioned } from './table';

export interface PolicyStore {
  /** Every cluster row of a workspace (one query), keyed by lower-cased cluster name. */
  list(ws: WorkspaceRef): Promise<Map<string, Versioned<ClusterPolicy>>>;
  get(ws: WorkspaceRef, cluster: string): Promise<Versioned<ClusterPolicy> | undefined>;
  /** Last writer wins: the person who pressed it last set the time. */
  keepUp(ws: WorkspaceRef, cluster: string, until: string, by: string): Promise<void>;
  /**
   * Merges `patch` if the row still has `etag` (insert-if-absent when `etag` is undefined). False when someone
   * else wrote first.
   */
  update(ws: WorkspaceRef, cluster: string, patch: ClusterPolicy, etag: string | undefined): Promise<boolean>;
}

const PREFIX = 'cluster:';
const rowKey = (cluster: string) => PREFIX + encodeKey(cluster.toLowerCase());
const FIELDS: ReadonlyArray<keyof ClusterPolicy> = [
  'keepUpUntil',
  'keepUpBy',
  'warnedAt',
  'warnedFor',
  'scaledAt',
  'scaledFor',
  'scaledFrom',
  'scaleSettledFor',
];

function toPolicy(e: Record<string, unknown>): ClusterPolicy {
  const p: ClusterPolicy = {};
  for (const f of FIELDS) if (typeof e[f] === 'string' && e[f]) p[f] = e[f] as string;
  return p;
}

export function policyStore(table: TableClient): PolicyStore {
  return {
    async list(ws) {
      const out = new Map<string, Versioned<ClusterPolicy>>();
      const filter = odata`PartitionKey eq ${workspaceKey(ws)}`;
      for await (const e of table.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) {
        const rk = e.rowKey ?? '';
        if (rk.startsWith(PREFIX))
          out.set(decodeKey(rk.slice(PREFIX.length)), { value: toPolicy(e), etag: e.etag ?? '*' });
      }
      return out;
    },
    async get(ws, cluster) {
      const e = await getIfExists<Record<string, unknown>>(table, workspaceKey(ws), rowKey(cluster));
      return e && { value: toPolicy(e), etag: e.etag ?? '*' };
    },
    async keepUp(ws, cluster, until, by) {
      await table.upsertEntity(
        { partitionKey: workspaceKey(ws), rowKey: rowKey(cluster), keepUpUntil: until, keepUpBy: by },
        'Merge',
      );
    },
    async update(ws, cluster, patch, etag) {
      const entity = { partitionKey: workspaceKey(ws), rowKey: rowKey(cluster), ...patch };
      try {
        if (etag === undefined) await table.createEntity(entity);
        else await table.updateEntity(entity, 'Merge', { etag });
        return true;
      } catch (e) {
        if (statusOf(e) === 409 || statusOf(e) === 412 || statusOf(e) === 404) return false;
        throw e;
      }
    },
  };
}
