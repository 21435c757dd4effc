// The Bot Framework transport (bot/transport.ts): botbuilder's CloudAdapter authenticates each request exactly
// as under Express (an empty appId is the local/emulator mode: unauthenticated requests are accepted, so the
// host must listen on 127.0.0.1 only; otherwise the channel's JWT is validated, 401 when it fails), and each
// activity becomes a neutral turn: a message or card button → bot.turn → the reply rendered for the channel;
// a Teams Action.Execute invoke → kept and enqueued, then answered at once with the clicked card in a working
// state; the `card-actions` queue function runs it and updates the card in place (bot/card-action.ts,
// bot/card-action-run.ts); a conversation update → bot.remember.
// This file and proactive.ts are the only production code importing botbuilder. Moving to its successor,
// @microsoft/agents-hosting (CloudAdapter, TurnContext, continueConversation, the same Activity JSON), is a
// change to these two files and package.json: see ARCHITECTURE.md.
import {
  ActivityTypes,
  ConfigurationBotFrameworkAuthentication,
  TurnContext,
  type Activity,
  type ConfigurationBotFrameworkAuthenticationOptions,
  type InvokeResponse,
} from 'botbuilder-core';
// botbuilder's index loads its whole barrel (transcript stores on fs-extra, the speak middleware's HTML parser,
// skills, Teams helpers: ~90 modules a turn never uses); CloudAdapter alone is its lib/cloudAdapter. botbuilder is
// archived, so that path stays as it is.
import { CloudAdapter } from 'botbuilder/lib/cloudAdapter';
import { ADAPTIVE_CARD_CONTENT_TYPE, toActivity } from '../../cards/activity';
import type { Config } from '../../shared/config';
import type { StoredConversation } from '../../shared/storage/index';
import { answerCardAction, type CardActionAnswer, type CardActionDeps } from '../card-action';
import type { ChatBot, ChatResponse, ChatTransport, ConversationSender, TurnInput } from '../transport';
import { activityShapeProblem } from './activity-shape';
import { createProactiveSender, type ProactiveOptions } from './proactive';
import { activityFor } from './render';
import { executeCommand, messageCommand } from './turn-input';

/** The one place that builds the CloudAdapter (and so the bot's credential) from configuration. */
export function createCloudAdapter(bot: Config['bot']): CloudAdapter {
  const options: ConfigurationBotFrameworkAuthenticationOptions = {
    MicrosoftAppId: bot.appId,
    MicrosoftAppPassword: bot.appPassword,
    MicrosoftAppTenantId: bot.appTenantId,
    MicrosoftAppType: bot.appType,
  };
  return new CloudAdapter(new ConfigurationBotFrameworkAuthentication(options));
}

function conversationOf(a: Activity): StoredConversation {
  return {
    conversationId: a.conversation.id,
    channelId: a.channelId,
    serviceUrl: a.serviceUrl,
    reference: TurnContext.getConversationReference(a) as Record<string, unknown>,
  };
}

function turnInput(a: Activity, text: string): TurnInput {
  return {
    text,
    user: { id: a.from?.id ?? '', ...(a.from?.name ? { name: a.from.name } : {}) },
    conversation: conversationOf(a),
    personal: a.conversation?.conversationType === 'personal',
  };
}

function invokeError(status: number, code: string, message: string): InvokeResponse {
  return { status, body: { statusCode: status, type: 'application/vnd.microsoft.error', value: { code, message } } };
}

/** The invoke answer Teams reads: a card that replaces the clicked one, a message shown beside it, or an error. */
function invokeAnswer(answer: CardActionAnswer): InvokeResponse {
  if ('notAccepted' in answer) return invokeError(503, 'ServiceUnavailable', answer.notAccepted);
  const body =
    'card' in answer
      ? {
          statusCode: 200,
          type: ADAPTIVE_CARD_CONTENT_TYPE,
          value: toActivity(answer.card, 'msteams').attachments?.[0]?.content,
        }
      : { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: answer.message };
  return { status: 200, body };
}

/** Teams Universal Actions: kept and enqueued, answered at once with the working card (bot/card-action.ts). */
async function adaptiveCardAction(a: Activity, actions: CardActionDeps | undefined): Promise<InvokeResponse> {
  const text = executeCommand(a.value);
  if (text === undefined)
    return invokeError(400, 'BadRequest', "Expected an Action.Execute with verb 'command' and data.command.");
  if (!actions) return invokeError(503, 'NotConfigured', 'Card actions need their inbox: this bot has none.');
  if (!a.id) return invokeError(400, 'BadRequest', "Expected the invoke's activity id (a redelivery repeats it).");
  return invokeAnswer(
    await answerCardAction(actions, {
      id: a.id,
      ...(a.replyToId ? { cardId: a.replyToId } : {}),
      input: turnInput(a, text),
    }),
  );
}

async function runTurn(ctx: TurnContext, bot: ChatBot, actions: CardActionDeps | undefined): Promise<void> {
  const a = ctx.activity;
  switch (a.type) {
    case ActivityTypes.Message: {
      const reply = await bot.turn(turnInput(a, messageCommand(a)));
      const sent = await ctx.sendActivity(activityFor(a.channelId, reply.view));
      if (sent?.id) await reply.posted(sent.id);
      return;
    }
    case ActivityTypes.Invoke: {
      // Other invokes (search, sign-in) are not ours: 501, as botbuilder's ActivityHandler answers them.
      const response = a.name === 'adaptiveCard/action' ? await adaptiveCardAction(a, actions) : { status: 501 };
      await ctx.sendActivity({ type: ActivityTypes.InvokeResponse, value: response });
      return;
    }
    case ActivityTypes.ConversationUpdate:
      if (a.conversation?.id && a.serviceUrl) await bot.remember(conversationOf(a));
      return;
  }
}

/** What CloudAdapter.process writes to: the minimal Express/Restify response it accepts. */
class CollectedResponse {
  /** Only read by the streaming (socket) path, which an HTTP request does not use. */
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
  toResponse(): ChatResponse {
    const empty = this.body === undefined || this.body === null || this.body === '';
    return { status: this.statusCode, headers: this.headers, ...(empty ? {} : { body: this.body }) };
  }
}

const NO_CONNECTOR =
  "Expected a serviceUrl where the channel's Bot Connector takes the reply: posting the reply there failed.";

function parseActivity(body: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(body);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export interface BotFrameworkTransportOptions extends ProactiveOptions {
  /**
   * Card actions' inbox (where an invoke waits for the `card-actions` queue function), claims, clock and log;
   * without them (a transport built for sending only) a card action is refused, saying so.
   */
  cardActions?: CardActionDeps;
}

export function createBotFrameworkTransport(
  bot: Config['bot'],
  opts: BotFrameworkTransportOptions = {},
): ChatTransport {
  const adapter = createCloudAdapter(bot);
  const sender: ConversationSender = createProactiveSender(adapter, bot.appId, opts);
  const actions = opts.cardActions;
  return {
    sender,
    async handle(request, chatBot) {
      const activity = parseActivity(request.body);
      if (!activity)
        return {
          status: 400,
          body: { error: { code: 'BadRequest', message: 'Expected a Bot Framework activity as JSON.' } },
        };
      const problem = activityShapeProblem(activity);
      if (problem) return { status: 400, body: { error: { code: 'BadRequest', message: `Expected ${problem}.` } } };
      const res = new CollectedResponse();
      await adapter.process(
        { method: request.method, headers: { authorization: request.headers.authorization }, body: activity },
        res,
        (ctx) => runTurn(ctx, chatBot, actions),
      );
      // botbuilder answers a reply it could not post (a serviceUrl that is no Connector) with a 500 carrying
      // the failure's text, which may be another service's answer: it is said without that text.
      if (res.statusCode === 500)
        return { status: 400, body: { error: { code: 'BadRequest', message: NO_CONNECTOR } } };
      return res.toResponse();
    },
  };
}
