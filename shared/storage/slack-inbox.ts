// The Slack app's inbox: the HTTP function acknowledges Slack at once and leaves the turn here; the
// `slack-turns` queue function runs it. Table `slackturns` holds, per conversation, the turns waiting (row key =
// arrival time, so a conversation's turns run in the order they came) and one lease row; the queue carries only
// "conversation X has work". Guarantees:
// - a request key (Slack's event_id, or signature + timestamp for commands and button presses) is accepted once:
//   insert-if-absent of a `seen` row, so a retried or replayed request is answered 200 and runs nothing. Slack
//   refuses nothing older than its 5-minute signature window, so a key never needs to be accepted again.
// - one drainer per conversation across instances (the lease, ETag-guarded); a message that finds the lease
//   held is sent again, delayed, rather than thrown (throwing would count towards the poison queue).
// - a turn is removed before it runs: at most once. A crash mid-turn loses that turn (the person asks again)
//   rather than running a submit twice.
// A lease left by a dead instance is taken over after LEASE_MS (longer than the function timeout).
import { createHash } from 'node:crypto';
import type { QueueClient } from '@azure/storage-queue';
import type { TableClient } from '@azure/data-tables';
import { InputError } from '../errors';
import { encodeKey } from './keys';
import { SLACK_TURNS_QUEUE } from './queue-names';
import { openQueue, openTable, statusOf, type StorageTarget } from './table';

export { SLACK_TURNS_QUEUE };
export const SLACK_TURNS_TABLE = 'slackturns';
const LEASE_ROW = '~lease'; // sorts after every turn row (digits)
const LEASE_MS = 6 * 60_000;
// A table string property holds 64 KiB (32 K UTF-16 units): a long body is kept in parts.
const PART = 30_000;

export interface SlackTurn {
  /** Where the turn happens (team and channel): turns of one conversation run one at a time, in order. */
  conversation: string;
  /** Slack's event_id, or the request's signature and timestamp: what makes a redelivery the same request. */
  requestKey: string;
  /** The verified raw body and its content type, as bolt reads them. */
  body: string;
  contentType: string;
}

export interface SlackInbox {
  /** Keeps the turn and enqueues its conversation; 'duplicate' when its request key was accepted before. */
  accept(turn: SlackTurn): Promise<'queued' | 'duplicate'>;
  /** Runs the conversation's waiting turns in arrival order; 'busy' = another instance holds it (retried later). */
  drain(conversation: string, run: (turn: SlackTurn) => Promise<void>): Promise<'drained' | 'busy'>;
}

export interface SlackInboxOptions {
  now?: () => number;
  /** Seconds before a busy conversation's message comes back (default 1). */
  busyDelaySeconds?: number;
}

const hash = (s: string) => createHash('sha256').update(s).digest('hex');
const turnPartition = (conversation: string) => `turn-${encodeKey(conversation)}`;
/** A turn's row key starts with its arrival (ms, 15 digits): a conversation's turns sort in arrival order. */
export const turnKeyPrefix = (ms: number): string => String(ms).padStart(15, '0');

function split(body: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i * PART < body.length || i === 0; i++) out[`body${i}`] = body.slice(i * PART, (i + 1) * PART);
  return out;
}

function joined(row: Record<string, unknown>): string {
  let body = '';
  for (let i = 0; typeof row[`body${i}`] === 'string'; i++) body += row[`body${i}`] as string;
  return body;
}

/** A `slack-turns` queue message → the conversation it names; anything else is refused with what was expected. */
export function parseSlackTurnsMessage(raw: unknown): string {
  const c = (raw as { conversation?: unknown } | null)?.conversation;
  if (typeof c !== 'string' || !c) {
    throw new InputError(
      'SlackTurnsMessageInvalid',
      'Expected a slack-turns message {conversation: "<team>:<channel>"}.',
    );
  }
  return c;
}

export function slackInbox(queue: QueueClient, table: TableClient, opts: SlackInboxOptions = {}): SlackInbox {
  const now = opts.now ?? Date.now;
  const enqueue = (conversation: string, delaySeconds?: number) =>
    queue.sendMessage(Buffer.from(JSON.stringify({ conversation })).toString('base64'), {
      ...(delaySeconds ? { visibilityTimeout: delaySeconds } : {}),
    });

  async function claimLease(partitionKey: string, holder: string): Promise<string | undefined> {
    const lease = { partitionKey, rowKey: LEASE_ROW, holder, until: now() + LEASE_MS };
    try {
      return (await table.createEntity(lease)).etag;
    } catch (e) {
      if (statusOf(e) !== 409) throw e;
    }
    try {
      const held = await table.getEntity<{ until: number }>(partitionKey, LEASE_ROW);
      if (held.until > now()) return undefined;
      return (await table.updateEntity(lease, 'Replace', { etag: held.etag })).etag;
    } catch (e) {
      // Released or taken between our reads: the conversation is someone's, or free for the retry.
      if (statusOf(e) === 404 || statusOf(e) === 412) return undefined;
      throw e;
    }
  }

  async function next(partitionKey: string): Promise<(SlackTurn & { rowKey: string }) | undefined> {
    const filter = `PartitionKey eq '${partitionKey}' and RowKey lt '${LEASE_ROW}'`;
    for await (const row of table.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) {
      return {
        rowKey: row.rowKey as string,
        conversation: row.conversation as string,
        requestKey: row.requestKey as string,
        contentType: row.contentType as string,
        body: joined(row),
      };
    }
    return undefined;
  }

  return {
    async accept(turn) {
      const key = hash(turn.requestKey);
      try {
        await table.createEntity({ partitionKey: `seen-${key.slice(0, 2)}`, rowKey: key, at: now() });
      } catch (e) {
        if (statusOf(e) === 409) return 'duplicate';
        throw e;
      }
      const row = {
        partitionKey: turnPartition(turn.conversation),
        rowKey: `${turnKeyPrefix(now())}-${key}`,
      };
      try {
        await table.createEntity({
          ...row,
          conversation: turn.conversation,
          requestKey: turn.requestKey,
          contentType: turn.contentType,
          ...split(turn.body),
        });
        await enqueue(turn.conversation);
      } catch (e) {
        // Not accepted after all: forget the key and the turn, so that Slack's retry (after our 500) is.
        await Promise.allSettled([
          table.deleteEntity(row.partitionKey, row.rowKey),
          table.deleteEntity(`seen-${key.slice(0, 2)}`, key),
        ]);
        throw e;
      }
      return 'queued';
    },
    async drain(conversation, run) {
      const partitionKey = turnPartition(conversation);
      const etag = await claimLease(partitionKey, hash(`${now()}${Math.random()}`));
      if (!etag) {
        await enqueue(conversation, opts.busyDelaySeconds ?? 1);
        return 'busy';
      }
      try {
        for (let turn = await next(partitionKey); turn; turn = await next(partitionKey)) {
          await table.deleteEntity(partitionKey, turn.rowKey);
          await run(turn);
        }
      } finally {
        await table.deleteEntity(partitionKey, LEASE_ROW, { etag }).catch((e: unknown) => {
          if (statusOf(e) !== 404 && statusOf(e) !== 412) throw e;
        });
      }
      return 'drained';
    },
  };
}

/** Opens (creating if missing) the `slack-turns` queue and the `slackturns` table. */
export async function createSlackInbox(target: StorageTarget, opts: SlackInboxOptions = {}): Promise<SlackInbox> {
  const [queue, table] = await Promise.all([
    openQueue(target, SLACK_TURNS_QUEUE),
    openTable(target, SLACK_TURNS_TABLE),
  ]);
  return slackInbox(queue, table, opts);
}
