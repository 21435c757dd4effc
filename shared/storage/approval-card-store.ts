// The `approvalcards` table: the cards an approval request was sent as into approvers' conversations (PK the
// approval id, RK the encoded conversation id: one card per conversation), so each is updated in place when the
// request is answered, runs or expires.
import { odata, type TableClient } from '@azure/data-tables';
import { encodeKey } from './keys';

export interface ApprovalCard {
  conversationId: string;
  activityId: string;
  userId: string;
}

export interface ApprovalCardStore {
  add(approvalId: string, card: ApprovalCard): Promise<void>;
  list(approvalId: string): Promise<ApprovalCard[]>;
}

export function approvalCardStore(table: TableClient): ApprovalCardStore {
  return {
    async add(approvalId, c) {
      await table.upsertEntity({ partitionKey: approvalId, rowKey: encodeKey(c.conversationId), ...c }, 'Replace');
    },
    async list(approvalId) {
      const out: ApprovalCard[] = [];
      const filter = odata`PartitionKey eq ${approvalId}`;
      for await (const e of table.listEntities<ApprovalCard>({ queryOptions: { filter } })) {
        out.push({ conversationId: e.conversationId, activityId: e.activityId, userId: e.userId });
      }
      return out;
    },
  };
}
