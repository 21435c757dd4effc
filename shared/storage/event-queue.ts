// The `events` queue: the poller's side. At most two messages per workspace and tick (its experiments listed first,
// then the rest: services/poller.ts), whatever the burst: the events go to the `eventbatches` table first
// (event-batch-store.ts), then a small v2 message that references them (the claim-check pattern). Stored before
// enqueued: the notifier never sees a reference to rows not yet written; a crash between the two leaves rows that
// nobody references, which the sweep removes, while the retried tick emits the same event ids again under a new batch.
// Messages are base64 JSON (the Functions queue trigger's default encoding).
import { randomUUID } from 'node:crypto';
import type { QueueClient } from '@azure/storage-queue';
import type { WorkspaceRef } from '../compute/model';
import type { BackendEvent, EventBatchRef, EventsMessage } from '../core/events';
import { EVENT_BATCHES_TABLE, type EventBatchStore } from './event-batch-store';

export interface EventQueue {
  /** Stores the events and enqueues one message referencing them; returns the message. */
  enqueue(workspace: WorkspaceRef, events: BackendEvent[], tickAt: string): Promise<EventBatchRef>;
  /**
   * Enqueues a message again, as a new one (its tries start over), visible after `delaySeconds`: for a delivery
   * that made progress and failed on the rest (notifier.ts).
   */
  requeue(message: EventsMessage, delaySeconds: number): Promise<void>;
}

const encode = (message: EventsMessage) => Buffer.from(JSON.stringify(message)).toString('base64');

export function eventQueue(queue: QueueClient, batches: Pick<EventBatchStore, 'put'>): EventQueue {
  return {
    async enqueue(workspace, events, tickAt) {
      const batchId = randomUUID();
      const { chunks } = await batches.put(batchId, { workspace, tickAt, events });
      const message: EventBatchRef = {
        v: 2,
        batchId,
        workspace,
        tickAt,
        count: events.length,
        ref: { table: EVENT_BATCHES_TABLE, chunks },
      };
      await queue.sendMessage(encode(message));
      return message;
    },
    async requeue(message, delaySeconds) {
      await queue.sendMessage(encode(message), { visibilityTimeout: delaySeconds });
    },
  };
}
