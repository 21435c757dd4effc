// Every conversation's activities, kept as the channel keeps them: in memory for reads, and appended to one
// JSON-lines file per conversation so an alert that arrived while nobody looked (or before a restart) is
// still there. Each add or replace bumps the conversation's sequence number; readers ask for "what changed
// after seq N" and get new and updated activities, in their original order.
import { appendFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../shared/errors';

/** An activity as stored: the bot's own, plus the channel's id, timestamp, and `proactive: true` on alerts. */
export type ChatActivity = Record<string, unknown> & { id: string; type: string; proactive?: boolean };

interface Entry {
  activity: ChatActivity;
  pos: number;
  seq: number;
}
interface Conversation {
  entries: Map<string, Entry>;
  seq: number;
  nextPos: number;
  waiters: Set<() => void>;
}
type LogLine = { op: 'add' | 'replace'; activity: ChatActivity };

export interface Changes {
  activities: ChatActivity[];
  /** The cursor for the next read: the conversation's current sequence number. */
  last: number;
}

/** Conversation ids as channels use them (Teams ids hold `:` `@` `;`); nothing that could walk a path. */
export function checkConversationId(id: string): string {
  if (!/^[\w\-.:@;|=+,]{1,200}$/.test(id)) {
    throw new InputError(
      'ConversationIdInvalid',
      `Conversation id "${id.slice(0, 50)}": expected 1-200 letters, digits or - _ . : @ ; | = + ,`,
    );
  }
  return id;
}

function wake(conv: Conversation): void {
  const waiters = [...conv.waiters];
  conv.waiters.clear();
  waiters.forEach((w) => w());
}

export class ConversationStore {
  private readonly conversations = new Map<string, Conversation>();
  private readonly dir: string;

  constructor(dataDir: string) {
    this.dir = join(dataDir, 'conversations');
    mkdirSync(this.dir, { recursive: true });
    for (const file of readdirSync(this.dir).filter((f) => f.endsWith('.jsonl'))) this.replay(file);
  }

  private replay(file: string): void {
    const id = Buffer.from(file.slice(0, -'.jsonl'.length), 'base64url').toString('utf8');
    const conv = this.conversation(id);
    for (const line of readFileSync(join(this.dir, file), 'utf8').split('\n')) {
      if (!line.trim()) continue;
      let parsed: LogLine;
      try {
        parsed = JSON.parse(line) as LogLine;
      } catch {
        continue; // a line cut short by a crash mid-write: everything before it is intact
      }
      this.apply(conv, parsed);
    }
  }

  private conversation(id: string): Conversation {
    let conv = this.conversations.get(id);
    if (!conv) {
      conv = { entries: new Map(), seq: 0, nextPos: 1, waiters: new Set() };
      this.conversations.set(id, conv);
    }
    return conv;
  }

  private apply(conv: Conversation, line: LogLine): Entry {
    conv.seq++;
    const existing = conv.entries.get(line.activity.id);
    const entry =
      existing && line.op === 'replace'
        ? { activity: line.activity, pos: existing.pos, seq: conv.seq }
        : { activity: line.activity, pos: conv.nextPos++, seq: conv.seq };
    conv.entries.set(line.activity.id, entry);
    return entry;
  }

  private write(conversationId: string, line: LogLine): void {
    const conv = this.conversation(conversationId);
    // Synchronous append: lines land in the order the channel accepted them, and a 200 means it is on disk.
    appendFileSync(
      join(this.dir, `${Buffer.from(conversationId).toString('base64url')}.jsonl`),
      `${JSON.stringify(line)}\n`,
    );
    this.apply(conv, line);
    wake(conv);
  }

  /** Stores a new activity; `id` is assigned here (unique within the conversation). */
  add(conversationId: string, activity: Record<string, unknown> & { type: string }): ChatActivity {
    const conv = this.conversation(checkConversationId(conversationId));
    const stored: ChatActivity = {
      ...activity,
      id: `m${String(conv.nextPos).padStart(6, '0')}`,
      timestamp: typeof activity.timestamp === 'string' ? activity.timestamp : new Date().toISOString(),
      conversation: { ...(activity.conversation as object | undefined), id: conversationId },
    };
    this.write(conversationId, { op: 'add', activity: stored });
    return stored;
  }

  /** Replaces an activity in place (a card updated by the bot); undefined if there is no such activity. */
  replace(
    conversationId: string,
    activityId: string,
    activity: Record<string, unknown> & { type: string },
  ): ChatActivity | undefined {
    const previous = this.conversations.get(conversationId)?.entries.get(activityId);
    if (!previous) return undefined;
    const stored: ChatActivity = {
      ...activity,
      id: activityId,
      timestamp: previous.activity.timestamp,
      localTimestamp: new Date().toISOString(),
      conversation: { ...(activity.conversation as object | undefined), id: conversationId },
      ...(previous.activity.replyToId ? { replyToId: previous.activity.replyToId } : {}),
      ...(previous.activity.proactive ? { proactive: true } : {}),
    } as ChatActivity;
    this.write(conversationId, { op: 'replace', activity: stored });
    return stored;
  }

  get(conversationId: string, activityId: string): ChatActivity | undefined {
    return this.conversations.get(conversationId)?.entries.get(activityId)?.activity;
  }

  /** Activities added or replaced after `after`, in conversation order. */
  changes(conversationId: string, after: number): Changes {
    const conv = this.conversations.get(conversationId);
    if (!conv) return { activities: [], last: 0 };
    const changed = [...conv.entries.values()].filter((e) => e.seq > after).sort((a, b) => a.pos - b.pos);
    return { activities: changed.map((e) => e.activity), last: conv.seq };
  }

  /** As changes(), but if nothing changed yet, waits up to `waitMs` for something to (or for `signal`). */
  async waitForChanges(conversationId: string, after: number, waitMs: number, signal?: AbortSignal): Promise<Changes> {
    const now = this.changes(conversationId, after);
    // An already aborted signal never fires 'abort' again: a read arriving after the server began stopping (a
    // browser's next long-poll on its kept-alive connection) would otherwise hold its timer, and the process,
    // for the whole wait.
    if (now.activities.length > 0 || waitMs <= 0 || signal?.aborted) return now;
    const conv = this.conversation(checkConversationId(conversationId));
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        conv.waiters.delete(done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, waitMs);
      conv.waiters.add(done);
      signal?.addEventListener('abort', done);
    });
    return this.changes(conversationId, after);
  }

  /** Wakes every waiting reader (at shutdown). */
  wakeAll(): void {
    for (const conv of this.conversations.values()) wake(conv);
  }
}
