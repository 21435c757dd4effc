// The `pollstatus` table: one row per workspace that is failing to poll, so a failure is reported once when
// it starts and once when it ends, not every tick, and the health endpoint can list what is failing.
import type { TableClient } from '@azure/data-tables';
import type { WorkspaceRef } from '../compute/model';
import { workspaceLabel } from '../core/arm-names';
import { decodeKey, workspaceKey } from './keys';
import { getIfExists, statusOf } from './table';

export interface WorkspaceFailure {
  workspace: string;
  since: string;
  error: string;
}

export interface PollStatusStore {
  get(ws: WorkspaceRef): Promise<WorkspaceFailure | undefined>;
  /** Insert-if-absent: returns false when the failure was already recorded (someone reported it before). */
  startFailing(ws: WorkspaceRef, error: string): Promise<boolean>;
  /** Returns false when there was no failure recorded. */
  recover(ws: WorkspaceRef): Promise<boolean>;
  failing(): Promise<WorkspaceFailure[]>;
}

const PK = 'failing';

export function pollStatusStore(table: TableClient): PollStatusStore {
  return {
    async get(ws) {
      const e = await getIfExists<{ since: string; error: string }>(table, PK, workspaceKey(ws));
      return e && { workspace: workspaceLabel(ws), since: e.since, error: e.error };
    },
    async startFailing(ws, error) {
      try {
        await table.createEntity({
          partitionKey: PK,
          rowKey: workspaceKey(ws),
          since: new Date().toISOString(),
          error: error.slice(0, 1000),
        });
        return true;
      } catch (e) {
        if (statusOf(e) === 409) return false;
        throw e;
      }
    },
    async recover(ws) {
      try {
        await table.deleteEntity(PK, workspaceKey(ws));
        return true;
      } catch (e) {
        if (statusOf(e) === 404) return false;
        throw e;
      }
    },
    async failing() {
      const out: WorkspaceFailure[] = [];
      for await (const e of table.listEntities<{ since: string; error: string }>()) {
        out.push({ workspace: decodeKey(e.rowKey ?? ''), since: e.since, error: e.error });
      }
      return out;
    },
  };
}
