// A small HTTP client for the chat server's user side (used by the CLI and the tests).
import type { ChatActivity, Changes } from './store';
import type { UserInput } from './inbound';
import type { Timing } from './server';

export class ChatUnreachableError extends Error {
  override readonly name = 'ChatUnreachableError';
  readonly code = 'ChatUnreachable';
}

export class ChatRequestError extends Error {
  override readonly name = 'ChatRequestError';
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export interface ChatClient {
  /** Posts a user message; `ackMs`: how long the bot took to acknowledge it, `answerMs`: to reply (if it did). */
  send(conversationId: string, input: UserInput): Promise<{ id: string; seq: number } & Timing>;
  /** New and updated activities after `after`; waits up to `waitSeconds` (≤ 30) if there are none yet. */
  changes(conversationId: string, after: number, waitSeconds?: number): Promise<Changes>;
}

export function chatClient(baseUrl: string): ChatClient {
  const base = baseUrl.replace(/\/+$/, '');
  const call = async <T>(path: string, init?: RequestInit): Promise<T> => {
    let res: Response;
    try {
      res = await fetch(`${base}${path}`, init);
    } catch {
      throw new ChatUnreachableError(`No chat server at ${base}: start it with npm start.`);
    }
    const body = (await res.json().catch(() => undefined)) as { error?: { code: string; message: string } } | undefined;
    if (!res.ok) {
      throw new ChatRequestError(
        body?.error?.code ?? 'HttpError',
        body?.error?.message ?? `HTTP ${res.status} from ${path}`,
        res.status,
      );
    }
    return body as T;
  };
  const conv = (id: string) => `/api/conversations/${encodeURIComponent(id)}`;
  return {
    send: (id, input) =>
      call(`${conv(id)}/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(input),
      }),
    changes: (id, after, waitSeconds = 0) => call(`${conv(id)}/activities?after=${after}&wait=${waitSeconds}`),
  };
}

export type { ChatActivity };
