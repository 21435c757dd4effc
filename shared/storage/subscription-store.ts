// Subscriptions: one partition per conversation, a short random id per row (people type it in
// `unsubscribe <id>`). The filter is stored as JSON and re-validated on read.
import { randomBytes } from 'node:crypto';
import { odata, type TableClient, type TransactionAction } from '@azure/data-tables';
import type { SubscriptionFilter } from '../core/commands';
import { ProtocolError } from '../errors';
import { decodeKey, encodeKey } from './keys';
import { statusOf, transactionGroups } from './table';
import type { StoredSubscription, Stores } from './store-types';

interface Row {
  partitionKey?: string;
  rowKey?: string;
  filter: string;
  createdBy?: string;
  createdAt: string;
}

function toSubscription(e: Row): StoredSubscription {
  const filter = JSON.parse(e.filter) as unknown;
  if (typeof filter !== 'object' || filter === null || Array.isArray(filter)) {
    throw new ProtocolError(`subscription ${e.rowKey}: expected a filter object, got ${e.filter}`);
  }
  return {
    id: e.rowKey ?? '',
    conversationId: decodeKey(e.partitionKey ?? ''),
    filter: filter as SubscriptionFilter,
    ...(e.createdBy ? { createdBy: e.createdBy } : {}),
    createdAt: e.createdAt,
  };
}

export function subscriptionStore(table: TableClient): Stores['subscriptions'] {
  async function list(conversationId: string): Promise<StoredSubscription[]> {
    const out: StoredSubscription[] = [];
    const filter = odata`PartitionKey eq ${encodeKey(conversationId)}`;
    for await (const e of table.listEntities<Row>({ queryOptions: { filter } })) out.push(toSubscription(e));
    return out.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }
  return {
    async add(conversationId, filter, createdBy) {
      for (let attempt = 0; attempt < 5; attempt++) {
        const sub: StoredSubscription = {
          id: 's' + randomBytes(3).toString('hex'),
          conversationId,
          filter,
          ...(createdBy ? { createdBy } : {}),
          createdAt: new Date().toISOString(),
        };
        try {
          await table.createEntity({
            partitionKey: encodeKey(conversationId),
            rowKey: sub.id,
            filter: JSON.stringify(filter),
            ...(createdBy ? { createdBy } : {}),
            createdAt: sub.createdAt,
          });
          return sub;
        } catch (e) {
          if (statusOf(e) !== 409) throw e; // id collision: draw another
        }
      }
      throw new ProtocolError('could not allocate a free subscription id after 5 tries');
    },
    async remove(conversationId, id) {
      const pk = encodeKey(conversationId);
      if (id) {
        try {
          await table.deleteEntity(pk, id);
          return 1;
        } catch (e) {
          if (statusOf(e) === 404) return 0;
          throw e;
        }
      }
      const ids = (await list(conversationId)).map((s) => s.id);
      const actions = ids.map((rk): TransactionAction => ['delete', { partitionKey: pk, rowKey: rk }]);
      for (const t of transactionGroups(actions)) await table.submitTransaction(t);
      return ids.length;
    },
    list,
    async all() {
      const out: StoredSubscription[] = [];
      for await (const e of table.listEntities<Row>()) out.push(toSubscription(e));
      return out;
    },
  };
}
