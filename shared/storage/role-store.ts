// The `roles` table: one row per grant. PK is the scope — `*` for a global grant, else the encoded workspace
// name — and RK the encoded user id, so a grant is replaced by granting again and `roles` is one query.
import type { TableClient } from '@azure/data-tables';
import { isRole, type Role, type RoleGrant } from '../core/roles';
import { decodeKey, encodeKey } from './keys';
import { statusOf } from './table';

export interface RoleStore {
  list(): Promise<RoleGrant[]>;
  /** Last writer wins: granting again replaces the role. */
  grant(g: RoleGrant): Promise<void>;
  /** False when there was no such grant. */
  revoke(userId: string, workspace?: string): Promise<boolean>;
}

const GLOBAL = '*';
const scopeKey = (workspace?: string) => (workspace === undefined ? GLOBAL : encodeKey(workspace.toLowerCase()));

interface Row {
  partitionKey?: string;
  rowKey?: string;
  role?: string;
  grantedBy?: string;
  grantedAt?: string;
}

export function roleStore(table: TableClient): RoleStore {
  return {
    async list() {
      const out: RoleGrant[] = [];
      for await (const e of table.listEntities<Row>()) {
        if (!e.role || !isRole(e.role)) continue; // a row from a newer schema: not this code's to interpret
        const g: RoleGrant = { userId: decodeKey(e.rowKey ?? ''), role: e.role as Role };
        if (e.partitionKey !== GLOBAL) g.workspace = decodeKey(e.partitionKey ?? '');
        if (e.grantedBy) g.grantedBy = e.grantedBy;
        if (e.grantedAt) g.grantedAt = e.grantedAt;
        out.push(g);
      }
      return out;
    },
    async grant(g) {
      await table.upsertEntity(
        {
          partitionKey: scopeKey(g.workspace),
          rowKey: encodeKey(g.userId),
          role: g.role,
          grantedBy: g.grantedBy ?? '',
          grantedAt: g.grantedAt ?? '',
        },
        'Replace',
      );
    },
    async revoke(userId, workspace) {
      try {
        await table.deleteEntity(scopeKey(workspace), encodeKey(userId));
        return true;
      } catch (e) {
        if (statusOf(e) === 404) return false;
        throw e;
      }
    },
  };
}
