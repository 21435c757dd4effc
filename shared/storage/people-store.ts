// The `people` table: where each person last talked to the bot, one row per person and kind of conversation
// (PK the encoded user id, RK `personal` or `channel`), so approvers can be told in their own conversation.
import { odata, type TableClient } from '@azure/data-tables';
import type { ConversationKind, KnownConversations } from '../core/reach';
import { encodeKey } from './keys';

export interface PeopleStore {
  /** `userId` talked in `conversationId` at `at`: it becomes their latest of that kind. */
  seen(userId: string, kind: ConversationKind, conversationId: string, at: Date): Promise<void>;
  get(userId: string): Promise<KnownConversations>;
}

export function peopleStore(table: TableClient): PeopleStore {
  return {
    async seen(userId, kind, conversationId, at) {
      await table.upsertEntity(
        { partitionKey: encodeKey(userId), rowKey: kind, conversationId, at: at.toISOString() },
        'Replace',
      );
    },
    async get(userId) {
      const known: KnownConversations = {};
      const filter = odata`PartitionKey eq ${encodeKey(userId)}`;
      for await (const e of table.listEntities<{ conversationId: string }>({ queryOptions: { filter } })) {
        if ((e.rowKey === 'personal' || e.rowKey === 'channel') && typeof e.conversationId === 'string')
          known[e.rowKey] = e.conversationId;
      }
      return known;
    },
  };
}
