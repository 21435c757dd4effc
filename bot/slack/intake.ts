// The Slack app's HTTP side: one endpoint for the Events API, the `/batchai` slash command and interactivity.
// Per request: refuse anything not signed by Slack with the signing secret within 5 minutes (401, nothing runs),
// answer Slack's url_verification and ssl_check, and leave every other request in the inbox
// (shared/storage/turn-inbox.ts), acknowledging it at once with an empty 200: Slack shows a timeout and
// retries after 3 s, and a cold start or one slow backend call takes longer than that. The inbox accepts a
// request key once, so a retried or replayed request runs nothing. The `slack-turns` queue function runs the
// turns (transport.ts). No bolt and no bot here: a cold start of this function loads node:crypto and the queue.
import { redactText } from '../../shared/core/redact';
import { type InputError, toError } from '../../shared/errors';
import type { TurnInbox } from '../../shared/storage/turn-inbox';
import type { ChatRequest, ChatResponse } from '../transport';
import { parseSlackBody, type SlackBody } from './body';
import { conversationOf, requestKeyOf } from './turn-key';
import { verifySlackSignature } from './verify';

export interface SlackIntakeOptions {
  signingSecret: string;
  inbox: Pick<TurnInbox, 'accept'>;
  /** Milliseconds, for the 5-minute signature window (tests replay old requests). */
  now?: () => number;
  log?: (line: string) => void;
}

export interface SlackIntake {
  handle(request: ChatRequest): Promise<ChatResponse>;
}

export function createSlackIntake(opts: SlackIntakeOptions): SlackIntake {
  const log = opts.log ?? ((line: string) => console.error(line));
  const now = opts.now ?? Date.now;
  return {
    async handle(request) {
      if (request.method !== 'POST') return { status: 405, headers: { allow: 'POST' }, body: '' };
      const verdict = verifySlackSignature(opts.signingSecret, request.headers, request.body, now());
      if (!verdict.ok) {
        log(`[slack] refused a request: ${verdict.reason}`);
        return { status: 401, body: '' };
      }
      let body: SlackBody;
      const contentType = request.headers['content-type'];
      try {
        body = parseSlackBody(request.body, contentType);
      } catch (e) {
        return { status: 400, body: { error: { code: (e as InputError).code, message: toError(e).message } } };
      }
      if (body.ssl_check) return { status: 200, body: '' };
      if (body.type === 'url_verification') return { status: 200, body: { challenge: body.challenge } };
      try {
        const outcome = await opts.inbox.accept({
          conversation: conversationOf(body),
          requestKey: requestKeyOf(body, request.headers),
          body: request.body,
          contentType: contentType ?? 'application/json',
        });
        // A redelivery (or a replay) of a request already accepted: it runs (or ran) from the first copy.
        if (outcome === 'duplicate') {
          const retry = request.headers['x-slack-retry-num'];
          log(`[slack] a request already accepted came again${retry ? ` (retry ${retry})` : ''}: not run again`);
        }
        return { status: 200, body: '' };
      } catch (e) {
        // Not accepted: a 500 makes Slack retry an event, which is accepted once storage answers again.
        log(`[slack] request not accepted: ${redactText(toError(e).message)}`);
        return { status: 500, body: '' };
      }
    },
  };
}
