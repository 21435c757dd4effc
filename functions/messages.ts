// HTTP trigger `messages`: the Bot Framework endpoint. Adapts the Functions v4 request/response to botbuilder's
// CloudAdapter.process, which authenticates exactly as it does under Express (empty MicrosoftAppId accepts
// unauthenticated requests: the local mode; otherwise the channel's JWT is validated, 401 when it fails).
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import type { ActivityHandler, CloudAdapter } from 'botbuilder';
import type { FunctionDefinition } from './definition';
import { getServices } from './services';

export interface MessagesServices {
  bot: Pick<ActivityHandler, 'run'>;
  adapter: Pick<CloudAdapter, 'process'>;
}

/** What CloudAdapter.process writes to: the minimal Express/Restify response it accepts. */
class CollectedResponse {
  /** Only read by the streaming (socket) path, which this HTTP function does not use. */
  readonly socket = null;
  statusCode = 200;
  body: unknown;
  readonly headers: Record<string, string> = {};
  status(code: number): this {
    this.statusCode = code;
    return this;
  }
  send(body?: unknown): this {
    this.body = body;
    return this;
  }
  header(name: string, value: unknown): this {
    this.headers[name] = String(value);
    return this;
  }
  end(): this {
    return this;
  }
  toInit(): HttpResponseInit {
    const init: HttpResponseInit = { status: this.statusCode, headers: this.headers };
    if (this.body === undefined || this.body === null || this.body === '') return init;
    if (typeof this.body === 'string') return { ...init, body: this.body };
    return { ...init, jsonBody: this.body };
  }
}

export function createMessagesHandler(services: () => Promise<MessagesServices>) {
  return async (request: HttpRequest, _context: InvocationContext): Promise<HttpResponseInit> => {
    let body: unknown;
    try {
      body = await request.json();
    } catch {
      return { status: 400, jsonBody: { error: { code: 'BadRequest', message: 'Expected a Bot Framework activity as JSON.' } } };
    }
    const { bot, adapter } = await services();
    const res = new CollectedResponse();
    const authorization = request.headers.get('authorization') ?? undefined;
    await adapter.process(
      { method: request.method, headers: { authorization }, body: body as Record<string, unknown> },
      res,
      (turn) => bot.run(turn),
    );
    return res.toInit();
  };
}

export const messagesFunction: FunctionDefinition = {
  name: 'messages',
  trigger: { type: 'http', methods: ['POST'], route: 'messages', authLevel: 'anonymous' },
  // The process-wide composition (functions/services.ts): one bot and one CloudAdapter beside the poller.
  handler: createMessagesHandler(getServices),
};
