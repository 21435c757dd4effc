// The `events` queue: the poller's side. Messages are base64 JSON (the Functions queue trigger's default
// encoding). A tick's events for one workspace go in as few messages as fit the 64 KiB limit; the notifier
// builds at most one digest per conversation per message.
import { randomUUID } from 'node:crypto';
import type { QueueClient } from '@azure/storage-queue';
import type { WorkspaceRef } from '../batchai/port';
import type { BackendEvent, EventBatch } from '../core/events';

/** 64 KiB of base64 carries 48 KiB of JSON; keep a margin for the envelope. */
const MAX_JSON_BYTES = 45_000;

export interface EventQueue {
  /** Returns the number of messages sent. */
  enqueue(workspace: WorkspaceRef, events: BackendEvent[], tickAt: string): Promise<number>;
}

export function chunkEvents(workspace: WorkspaceRef, events: BackendEvent[], tickAt: string, maxBytes = MAX_JSON_BYTES): EventBatch[] {
  const batches: EventBatch[] = [];
  let current: BackendEvent[] = [];
  let size = 0;
  for (const e of events) {
    const n = Buffer.byteLength(JSON.stringify(e)) + 1;
    if (current.length > 0 && size + n > maxBytes) { batches.push(batch(current)); current = []; size = 0; }
    current.push(e);
    size += n;
  }
  if (current.length > 0) batches.push(batch(current));
  return batches;
  function batch(evs: BackendEvent[]): EventBatch {
    return { v: 1, batchId: randomUUID(), workspace, tickAt, events: evs };
  }
}

export function eventQueue(queue: QueueClient): EventQueue {
  return {
    async enqueue(workspace, events, tickAt) {
      const batches = chunkEvents(workspace, events, tickAt);
      for (const b of batches) await queue.sendMessage(Buffer.from(JSON.stringify(b)).toString('base64'));
      return batches.length;
    },
  };
}
