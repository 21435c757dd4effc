// The `events` queue: the poller's side. At most three messages per workspace and tick (one per part of its listings:
// services/poller.ts), whatever the burst: the events go to the `eventbatches` table first
// (event-batch-store.ts), then a small v2 message that references them (the claim-check pattern). Stored before
// enqueued: the notifier never sees a reference to rows not yet written; a crash between the two leaves rows that
// nobody references, which the sweep removes, while the retried tick emits the same event ids again under a new batch.
// Messages are base64 JSON (the Functions queue trigger's default encoding). A message the tick delivers itself is
// sent hidden, and its receipt lets the tick keep it hidden, delete it, or hand it to the trigger (handoff.ts).
import { randomUUID } from 'node:crypto';
import type { QueueClient } from '@azure/storage-queue';
import type { WorkspaceRef } from '../compute/model';
import type { BackendEvent, EventBatchRef, EventsMessage } from '../core/events';
import { EVENT_BATCHES_TABLE, type EventBatchStore } from './event-batch-store';

export interface EventQueue {
  /**
   * Stores the events and enqueues one message referencing them; returns the message. With `holdSeconds`, the
   * message is hidden that long and comes back with what its sender needs to settle it (services/handoff.ts).
   */
  enqueue(
    workspace: WorkspaceRef,
    events: BackendEvent[],
    tickAt: string,
    holdSeconds?: number,
  ): Promise<EventBatchRef & { held?: HeldMessage }>;
  /** Keeps a held message hidden `seconds` more; returns it with its new receipt. */
  hold(held: HeldMessage, seconds: number): Promise<HeldMessage>;
  /** Deletes a held message: its sender delivered it. */
  complete(held: HeldMessage): Promise<void>;
  /** Makes a held message visible at once: the queue trigger delivers it. */
  release(held: HeldMessage): Promise<void>;
  /**
   * Enqueues a message again, as a new one (its tries start over), visible after `delaySeconds`: for a delivery
   * that made progress and failed on the rest (notifier.ts).
   */
  requeue(message: EventsMessage, delaySeconds: number): Promise<void>;
}

/** A message its sender keeps hidden while it delivers the message itself. */
export interface HeldMessage {
  messageId: string;
  popReceipt: string;
  text: string;
}

const encode = (message: EventsMessage) => Buffer.from(JSON.stringify(message)).toString('base64');

export function eventQueue(queue: QueueClient, batches: Pick<EventBatchStore, 'put'>): EventQueue {
  return {
    async enqueue(workspace, events, tickAt, holdSeconds) {
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
      const text = encode(message);
      if (holdSeconds === undefined) {
        await queue.sendMessage(text);
        return message;
      }
      const { messageId, popReceipt } = await queue.sendMessage(text, { visibilityTimeout: holdSeconds });
      return { ...message, held: { messageId, popReceipt, text } };
    },
    async hold(held, seconds) {
      const r = await queue.updateMessage(held.messageId, held.popReceipt, held.text, seconds);
      return { ...held, popReceipt: r.popReceipt ?? held.popReceipt };
    },
    async complete(held) {
      await queue.deleteMessage(held.messageId, held.popReceipt);
    },
    async release(held) {
      await queue.updateMessage(held.messageId, held.popReceipt, held.text, 0);
    },
    async requeue(message, delaySeconds) {
      await queue.sendMessage(encode(message), { visibilityTimeout: delaySeconds });
    },
  };
}
