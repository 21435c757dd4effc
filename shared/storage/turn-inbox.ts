// The chat turns' inbox: an HTTP function acknowledges the chat at once and leaves the turn here; a queue function
// runs it. Two inboxes, one per queue, with the same rules: the Slack app's requests (`slack-turns`, table
// `slackturns`, bot/slack/intake.ts) and Teams card actions (`card-actions`, table `cardactions`,
// bot/card-action.ts). The table holds, per conversation, the turns waiting (row key = arrival time, so a
// conversation's turns run in the order they came) and one lease row; the queue carries only "conversation X has
// work". Guarantees:
// - a request key (Slack's event_id, or signature + timestamp for commands and button presses; a Teams invoke's
//   activity id) is accepted once: insert-if-absent of a `seen` row, so a retried or replayed request runs
//   nothing. Slack refuses nothing older than its 5-minute signature window, so a key never needs to be accepted
//   again.
// - one drainer per conversation across instances (the lease, ETag-guarded); a message that finds the lease
//   held is sent again, delayed, rather than thrown (throwing would count towards the poison queue).
// - a Slack turn is removed before it runs: at most once. A crash mid-turn loses that turn (the person asks
//   again) rather than running a submit twice. A card action's row stays until its run returns (keepUntilRun):
//   a run that died is delivered again, and the runner's own claim keeps the operation at most once and tells
//   the card what happened.
// A lease left by a dead instance is taken over after LEASE_MS (longer than the function timeout).
import { createHash } from 'node:crypto';
import type { QueueClient } from '@azure/storage-queue';
import type { TableClient } from '@azure/data-tables';
import { InputError } from '../errors';
import { encodeKey } from './keys';
import { CARD_ACTIONS_QUEUE, SLACK_TURNS_QUEUE } from './queue-names';
import { isSealed, seal, sealingKey, unseal } from './sealed';
import { joinedColumns, splitColumns } from './split-column';
import { openQueue, openTable, statusOf, type StorageTarget } from './table';

const LEASE_ROW = '~lease'; // sorts after every turn row (digits)
const LEASE_MS = 6 * 60_000;

export interface QueuedTurn {
  /** Where the turn happens (Slack team and channel, Teams conversation): one at a time, in order. */
  conversation: string;
  /** What makes a redelivery the same request (Slack's event_id; signature and timestamp; an invoke's id). */
  requestKey: string;
  /** The turn as its runner reads it (Slack: the verified raw body, as bolt reads it). */
  body: string;
  contentType: string;
}

export interface TurnInbox {
  /** Keeps the turn and enqueues its conversation; 'duplicate' when its request key was accepted before. */
  accept(turn: QueuedTurn): Promise<'queued' | 'duplicate'>;
  /** Runs the conversation's waiting turns in arrival order; 'busy' = another instance holds it (retried later). */
  drain(conversation: string, run: (turn: QueuedTurn) => Promise<void>): Promise<'drained' | 'busy'>;
}

export interface TurnInboxOptions {
  now?: () => number;
  /** Seconds before a busy conversation's message comes back (default 1). */
  busyDelaySeconds?: number;
  /** SECRETS_KEY (sealed.ts): a turn's body is kept sealed (a submit typed in chat carries its values). */
  secretsKey?: Buffer;
  /** The row is removed after its run rather than before: the runner keeps the operation at most once. */
  keepUntilRun?: boolean;
  /** Where a turn dropped unopened is said (its id and why, never its content). */
  log?: (line: string) => void;
}

const hash = (s: string) => createHash('sha256').update(s).digest('hex');
const turnPartition = (conversation: string) => `turn-${encodeKey(conversation)}`;
/** A turn's row key starts with its arrival (ms, 15 digits): a conversation's turns sort in arrival order. */
export const turnKeyPrefix = (ms: number): string => String(ms).padStart(15, '0');
/** The inboxes' tables (housekeeping expires their old rows). */
export const TURN_TABLES = ['slackturns', 'cardactions'] as const;

/** An inbox queue's message → the conversation it names; anything else is refused with what was expected. */
export function parseTurnsMessage(raw: unknown, queueName: string): string {
  const c = (raw as { conversation?: unknown } | null)?.conversation;
  if (typeof c !== 'string' || !c) {
    throw new InputError('TurnsMessageInvalid', `Expected a ${queueName} message {conversation: "<conversation>"}.`);
  }
  return c;
}

export function turnInbox(queue: QueueClient, table: TableClient, opts: TurnInboxOptions = {}): TurnInbox {
  const now = opts.now ?? Date.now;
  const sealKey = opts.secretsKey ?? sealingKey({ connectionString: '' });
  const log = opts.log ?? ((line: string) => console.error(line));
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

  async function next(partitionKey: string): Promise<(QueuedTurn & { rowKey: string }) | undefined> {
    const filter = `PartitionKey eq '${partitionKey}' and RowKey lt '${LEASE_ROW}'`;
    for await (const row of table.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) {
      const stored = joinedColumns(row);
      const body = unseal(stored, sealKey, `${partitionKey}/${row.rowKey}`);
      // Sealed under another key (an instance configured otherwise) or kept in plain text before turns were
      // sealed: it can never run here; dropped, not stuck, and said so.
      if (body === undefined) {
        const why = isSealed(stored)
          ? 'it was sealed under another SECRETS_KEY than this app has'
          : 'it was stored in plain text before turns were sealed';
        log(`[${table.tableName}] turn ${partitionKey}/${row.rowKey} dropped unrun: ${why}`);
        await table.deleteEntity(partitionKey, row.rowKey as string);
        return next(partitionKey);
      }
      return {
        rowKey: row.rowKey as string,
        conversation: row.conversation as string,
        requestKey: row.requestKey as string,
        contentType: row.contentType as string,
        body,
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
          ...splitColumns(seal(turn.body, sealKey, `${row.partitionKey}/${row.rowKey}`)),
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
          if (!opts.keepUntilRun) await table.deleteEntity(partitionKey, turn.rowKey);
          await run(turn);
          if (opts.keepUntilRun) await table.deleteEntity(partitionKey, turn.rowKey);
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

async function createTurnInbox(
  target: StorageTarget,
  queueName: string,
  tableName: string,
  opts: TurnInboxOptions,
): Promise<TurnInbox> {
  const [queue, table] = await Promise.all([openQueue(target, queueName), openTable(target, tableName)]);
  return turnInbox(queue, table, { secretsKey: sealingKey(target), ...opts });
}

/** The Slack app's inbox: the `slack-turns` queue and the `slackturns` table (created if missing). */
export const createSlackInbox = (target: StorageTarget, opts: TurnInboxOptions = {}) =>
  createTurnInbox(target, SLACK_TURNS_QUEUE, TURN_TABLES[0], opts);

/** Teams card actions' inbox: the `card-actions` queue and the `cardactions` table; rows stay until run. */
export const createCardActionInbox = (target: StorageTarget, opts: TurnInboxOptions = {}) =>
  createTurnInbox(target, CARD_ACTIONS_QUEUE, TURN_TABLES[1], { keepUntilRun: true, ...opts });
