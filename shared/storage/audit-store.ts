// The `audit` table: one row per mutating command or approval step. The row is inserted before the operation
// is sent (result `started`) and completed after by a merge that writes only the completion columns, so the
// first record — who, what, where, when — is never overwritten. RK = inverted time + a random suffix: a
// query returns the newest first. One partition: chat-ops writes a few rows a minute, far below its limits.
import { randomBytes } from 'node:crypto';
import type { TableClient } from '@azure/data-tables';

export type AuditResult = 'started' | 'ok' | 'failed' | 'refused' | 'pending-approval';

export interface AuditEntry {
  id: string;
  at: string;
  userId: string;
  userName?: string;
  /** The command as text (commandText of the parsed command). */
  command: string;
  kind: string;
  /** The cluster, job or person it acts on. */
  target: string;
  /** The cluster, when the target is one (for `audit --cluster`). */
  cluster?: string;
  workspace: string;
  conversationId: string;
  result: AuditResult;
  completedAt?: string;
  approvalId?: string;
  errorCode?: string;
}

/** The first record; a step recorded whole (a refusal, an expiry) gives its result and ids at once. */
export type AuditStart = Omit<AuditEntry, 'id' | 'result' | 'completedAt'> & { result?: AuditResult };

export interface AuditStore {
  /** Inserts the first record; returns its id. */
  start(e: AuditStart): Promise<string>;
  /** Adds the outcome to the row (completion columns only). */
  complete(
    id: string,
    outcome: { result: AuditResult; at: string; approvalId?: string; errorCode?: string },
  ): Promise<void>;
  /** Newest first, at most `scan` rows read. */
  latest(scan: number): Promise<AuditEntry[]>;
}

const PK = 'audit';
const MAX_TIME = 9_999_999_999_999;

export function auditStore(table: TableClient): AuditStore {
  return {
    async start(e) {
      const id = `${String(MAX_TIME - Date.parse(e.at)).padStart(13, '0')}-${randomBytes(3).toString('hex')}`;
      const { result = 'started', ...rest } = e;
      await table.createEntity({ partitionKey: PK, rowKey: id, ...rest, result });
      return id;
    },
    async complete(id, o) {
      await table.updateEntity(
        {
          partitionKey: PK,
          rowKey: id,
          result: o.result,
          completedAt: o.at,
          ...(o.approvalId ? { approvalId: o.approvalId } : {}),
          ...(o.errorCode ? { errorCode: o.errorCode } : {}),
        },
        'Merge',
      );
    },
    async latest(scan) {
      const out: AuditEntry[] = [];
      const pages = table
        .listEntities<Omit<AuditEntry, 'id'>>({ queryOptions: { filter: `PartitionKey eq '${PK}'` } })
        .byPage({ maxPageSize: Math.min(scan, 1000) });
      for await (const page of pages) {
        for (const e of page) {
          if (out.length >= scan) return out;
          const {
            partitionKey: _p,
            rowKey,
            etag: _e,
            timestamp: _t,
            ...fields
          } = e as typeof e & { partitionKey?: string; rowKey?: string; etag?: string; timestamp?: string };
          out.push({ ...(fields as Omit<AuditEntry, 'id'>), id: rowKey ?? '' });
        }
      }
      return out;
    },
  };
}
