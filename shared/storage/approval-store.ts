// The `approvals` table: one row per request (PK 'approval', RK its short id, typed in `approve <id>`).
// The whole Approval is one JSON column; `state` and `expiresAt` are columns too, for the expiry query.
// Every transition is an ETag-guarded replace: the loser of a race gets `undefined` and reads again.
// The request is sealed (sealed.ts): a waiting submit holds its secret parameters' values until it runs.
import { randomBytes } from 'node:crypto';
import { odata, type TableClient } from '@azure/data-tables';
import type { Approval, StoredApproval } from '../core/approval-policy';
import { InputError, ProtocolError } from '../errors';
import { isSealed, seal, unseal } from './sealed';
import { getIfExists, statusOf, type Versioned } from './table';

export interface ApprovalStore {
  /** Inserts a new request under a fresh id. */
  create(a: Omit<Approval, 'id'>): Promise<Versioned<Approval>>;
  get(id: string): Promise<Versioned<Approval> | undefined>;
  /**
   * Writes `a` only if the row still has `etag`: the new ETag, or undefined when someone else wrote first. An
   * unreadable request is written without its request: it never runs, and a plain one's values leave the table.
   */
  replace(a: StoredApproval, etag: string): Promise<string | undefined>;
  /** Pending requests whose expiry is at or before `now`, those this app cannot open too (expiry needs no request). */
  due(now: Date): Promise<Array<Versioned<StoredApproval>>>;
  /**
   * Requests approved and not yet finished (executed or failed): running now, or cut off by a dead host (those this
   * app can open).
   */
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

const unreadable = (id: string | undefined, why: string) =>
  new InputError('ApprovalUnreadable', `Request ${id} ${why}: it cannot be run. Ask for it again (submit it again).`);

/** The stored body with its request opened, or what is left of it with why it does not open. */
function opened(e: Row, key: Buffer): Partial<StoredApproval> {
  const { request, ...a } = JSON.parse(e.body) as Partial<Approval> & { request?: unknown; unreadable?: string };
  if (typeof request === 'string' && isSealed(request)) {
    const text = unseal(request, key, `approval/${e.rowKey}`);
    if (text === undefined) return { ...a, unreadable: 'was sealed under another SECRETS_KEY than this app has' };
    return { ...a, request: JSON.parse(text) };
  }
  // Written before requests were sealed: a submit's may hold secret values in plain text, and is not run.
  if ((request as { kind?: unknown } | undefined)?.kind === 'submit')
    return { ...a, unreadable: 'was stored before requests were encrypted at rest' };
  return (request === undefined ? a : { ...a, request }) as Partial<StoredApproval>;
}

function toVersioned(e: Row, key: Buffer): Versioned<StoredApproval> {
  const a = opened(e, key);
  if (
    typeof a !== 'object' ||
    a === null ||
    a.id !== e.rowKey ||
    typeof a.state !== 'string' ||
    !(a.request || ('unreadable' in a && typeof a.unreadable === 'string')) ||
    !a.requestedBy
  ) {
    throw new ProtocolError(
      `approval ${e.rowKey}: expected a stored Approval with id, state, request and requestedBy.`,
    );
  }
  return { value: a as StoredApproval, etag: e.etag ?? '*' };
}

const columns = (a: StoredApproval, key: Buffer) => ({
  partitionKey: PK,
  rowKey: a.id,
  state: a.state,
  expiresAt: a.expiresAt,
  body: JSON.stringify(a.request ? { ...a, request: seal(JSON.stringify(a.request), key, `approval/${a.id}`) } : a),
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
      if (!e) return undefined;
      // A row that does not open is refused, never shown or run.
      const v = toVersioned(e, key);
      if (!v.value.request) throw unreadable(id, v.value.unreadable);
      return v as Versioned<Approval>;
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
      const out: Array<Versioned<StoredApproval>> = [];
      const filter = odata`PartitionKey eq ${PK} and state eq 'pending' and expiresAt le ${now.toISOString()}`;
      for await (const e of table.listEntities<Row>({ queryOptions: { filter } })) out.push(toVersioned(e, key));
      return out;
    },
    async approved() {
      const out: Array<Versioned<Approval>> = [];
      const filter = odata`PartitionKey eq ${PK} and state eq 'approved'`;
      for await (const e of table.listEntities<Row>({ queryOptions: { filter } })) {
        // One that cannot be opened (SECRETS_KEY changed since it was approved) cannot be checked: left as it is.
        const v = toVersioned(e, key);
        if (v.value.request) out.push(v as Versioned<Approval>);
      }
      return out;
    },
  };
}
