// The `approvals` table: one row per request (PK 'approval', RK its short id, typed in `approve <id>`).
// The whole Approval is one JSON column; `state` and `expiresAt` are columns too, for the expiry query.
// Every transition is an ETag-guarded replace: the loser of a race gets `undefined` and reads again.
// The request is sealed (sealed.ts): a waiting submit holds its secret parameters' values until it runs.
import { randomBytes } from 'node:crypto';
import { odata, type TableClient } from '@azure/data-tables';
import type { Approval } from '../core/approval-policy';
import { InputError, ProtocolError } from '../errors';
import { isSealed, seal, unseal } from './sealed';
import { getIfExists, statusOf, type Versioned } from './table';

export interface ApprovalStore {
  /** Inserts a new request under a fresh id. */
  create(a: Omit<Approval, 'id'>): Promise<Versioned<Approval>>;
  get(id: string): Promise<Versioned<Approval> | undefined>;
  /** Writes `a` only if the row still has `etag`: the new ETag, or undefined when someone else wrote first. */
  replace(a: Approval, etag: string): Promise<string | undefined>;
  /** Pending requests whose expiry is at or before `now`. */
  due(now: Date): Promise<Array<Versioned<Approval>>>;
}

const PK = 'approval';

interface Row {
  rowKey?: string;
  etag?: string;
  state: string;
  expiresAt: string;
  body: string;
}

const unreadable = (id: string | undefined, why: string) =>
  new InputError('ApprovalUnreadable', `Request ${id} ${why}: it cannot be run. Ask for it again (submit it again).`);

/** The stored body with its request opened: a row that does not open is refused, never shown. */
function opened(e: Row, key: Buffer): Partial<Approval> {
  const a = JSON.parse(e.body) as Partial<Approval> & { request?: unknown };
  if (typeof a.request === 'string' && isSealed(a.request)) {
    const request = unseal(a.request, key, `approval/${e.rowKey}`);
    if (request === undefined) throw unreadable(e.rowKey, 'was sealed under another SECRETS_KEY than this app has');
    return { ...a, request: JSON.parse(request) };
  }
  // Written before requests were sealed: a submit's may hold secret values in plain text, and is not run.
  if ((a.request as { kind?: unknown } | undefined)?.kind === 'submit')
    throw unreadable(e.rowKey, 'was stored before requests were encrypted at rest');
  return a as Partial<Approval>;
}

function toVersioned(e: Row, key: Buffer): Versioned<Approval> {
  const a = opened(e, key);
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

const columns = (a: Approval, key: Buffer) => ({
  partitionKey: PK,
  rowKey: a.id,
  state: a.state,
  expiresAt: a.expiresAt,
  body: JSON.stringify({ ...a, request: seal(JSON.stringify(a.request), key, `approval/${a.id}`) }),
});

/** `key`: SECRETS_KEY (sealed.ts), which seals each request. */
export function approvalStore(table: TableClient, key: Buffer): ApprovalStore {
  return {
    async create(fields) {
      for (let attempt = 0; attempt < 5; attempt++) {
        const a: Approval = { id: 'a' + randomBytes(3).toString('hex'), ...fields };
        try {
          const r = await table.createEntity(columns(a, key));
          return { value: a, etag: r.etag ?? '*' };
        } catch (e) {
          if (statusOf(e) !== 409) throw e; // id collision: draw another
        }
      }
      throw new ProtocolError('could not allocate a free approval id after 5 tries');
    },
    async get(id) {
      const e = await getIfExists<Row>(table, PK, id);
      return e && toVersioned(e, key);
    },
    async replace(a, etag) {
      try {
        const r = await table.updateEntity(columns(a, key), 'Replace', { etag });
        return r.etag ?? '*';
      } catch (e) {
        if (statusOf(e) === 412 || statusOf(e) === 404) return undefined;
        throw e;
      }
    },
    async due(now) {
      const out: Array<Versioned<Approval>> = [];
      const filter = odata`PartitionKey eq ${PK} and state eq 'pending' and expiresAt le ${now.toISOString()}`;
      for await (const e of table.listEntities<Row>({ queryOptions: { filter } })) {
        // A row this app cannot open is refused when someone answers it; expiry passes it by.
        try {
          out.push(toVersioned(e, key));
        } catch (err) {
          if (!(err instanceof InputError)) throw err;
        }
      }
      return out;
    },
  };
}
