// The `approvals` table: one row per request (PK 'approval', RK its short id, typed in `approve <id>`).
// The whole Approval is one JSON column; `state` and `expiresAt` are columns too, for the expiry query.
// Every transition is an ETag-guarded replace: the loser of a race gets `undefined` and reads again.
import { randomBytes } from 'node:crypto';
import { odata, type TableClient } from '@azure/data-tables';
import type { Approval } from '../core/approval-policy';
import { ProtocolError } from '../errors';
import { getIfExists, statusOf, type Versioned } from './table';

export interface ApprovalStore {
  /** Inserts a new request under a fresh id. */
  create(a: Omit<Approval, 'id'>): Promise<Versioned<Approval>>;
  get(id: string): Promise<Versioned<Approval> | undefined>;
  /** Writes `a` only if the row still has `etag`: the new ETag, or undefined when someone else wrote first. */
  replace(a: Approval, etag: string): Promise<string | undefined>;
  /** Pending requests whose expiry is at or before `now`. */
  due(now: Date): Promise<Array<Versioned<Approval>>>;
  /** Requests approved and not yet finished (executed or failed): running now, or cut off by a dead host. */
  approved(): Promise<Array<Versioned<Approval>>>;
}

const PK = 'approval';

interface Row {
  rowKey?: string;
  etag?: string;
  state: string;
  expiresAt: string;
  body: string;
}

function toVersioned(e: Row): Versioned<Approval> {
  const a = JSON.parse(e.body) as Partial<Approval>;
  if (
    typeof a !== 'object' ||
    a === null ||
    a.id !== e.rowKey ||
    typeof a.state !== 'string' ||
    !a.request ||
    !a.requestedBy
  ) {
    throw new ProtocolError(
      `approval ${e.rowKey}: expected a stored Approval with id, state, request and requestedBy.`,
    );
  }
  return { value: a as Approval, etag: e.etag ?? '*' };
}

const columns = (a: Approval) => ({
  partitionKey: PK,
  rowKey: a.id,
  state: a.state,
  expiresAt: a.expiresAt,
  body: JSON.stringify(a),
});

export function approvalStore(table: TableClient): ApprovalStore {
  return {
    async create(fields) {
      for (let attempt = 0; attempt < 5; attempt++) {
        const a: Approval = { id: 'a' + randomBytes(3).toString('hex'), ...fields };
        try {
          const r = await table.createEntity(columns(a));
          return { value: a, etag: r.etag ?? '*' };
        } catch (e) {
          if (statusOf(e) !== 409) throw e; // id collision: draw another
        }
      }
      throw new ProtocolError('could not allocate a free approval id after 5 tries');
    },
    async get(id) {
      const e = await getIfExists<Row>(table, PK, id);
      return e && toVersioned(e);
    },
    async replace(a, etag) {
      try {
        const r = await table.updateEntity(columns(a), 'Replace', { etag });
        return r.etag ?? '*';
      } catch (e) {
        if (statusOf(e) === 412 || statusOf(e) === 404) return undefined;
        throw e;
      }
    },
    async due(now) {
      const out: Array<Versioned<Approval>> = [];
      const filter = odata`PartitionKey eq ${PK} and state eq 'pending' and expiresAt le ${now.toISOString()}`;
      for await (const e of table.listEntities<Row>({ queryOptions: { filter } })) out.push(toVersioned(e));
      return out;
    },
    async approved() {
      const out: Array<Versioned<Approval>> = [];
      const filter = odata`PartitionKey eq ${PK} and state eq 'approved'`;
      for await (const e of table.listEntities<Row>({ queryOptions: { filter } })) out.push(toVersioned(e));
      return out;
    },
  };
}
