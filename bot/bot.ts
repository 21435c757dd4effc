// The chat bot: one ActivityHandler over the router. A turn = save the conversation on first contact, find the
// command text (typed, card button, or Teams Action.Execute), parse, dispatch, answer with a card. Failures of
// one turn become an error card. A long operation's follow-up is handed to the `followups` queue before the
// turn ends (nothing keeps running in this process after it: on Azure Functions it may be frozen or gone).
import {
  ActivityHandler, TurnContext, type Activity, type AdaptiveCardInvokeResponse, type AdaptiveCardInvokeValue,
} from 'botbuilder';
import { toActivity } from '../cards/activity';
import { parseCommand, isParseFailure } from '../shared/core/grammar';
import type { Command } from '../shared/core/commands';
import { toError } from '../shared/errors';
import { channelOf } from '../shared/services/notifier';
import type { StoredConversation } from '../shared/storage';
import type { BotDeps } from './deps';
import { redactText } from '../shared/core/redact';
import { errorView, parseFailureView } from './error-view';
import type { FollowUp, Handler, HandlerContext, Reply, Scope, TurnInfo } from './handler';
import { handlers } from './router';
import { resolveScope } from './scope';
import { executeCommand, messageCommand } from './turn-input';

function storedConversation(activity: Activity): StoredConversation {
  return {
    conversationId: activity.conversation.id,
    channelId: activity.channelId,
    serviceUrl: activity.serviceUrl,
    reference: TurnContext.getConversationReference(activity) as Record<string, unknown>,
  };
}

export class ChatBot extends ActivityHandler {
  /** Conversations this instance already saved: an optimization only, the table stays the truth. */
  private readonly saved = new Set<string>();

  constructor(private readonly deps: BotDeps) {
    super();
    this.onMessage(async (ctx, next) => {
      const reply = await this.answer(ctx, messageCommand(ctx.activity));
      const channel = channelOf(ctx.activity.channelId);
      const sent = await ctx.sendActivity(toActivity(reply.view, channel));
      if (reply.followUp && sent?.id) await this.follow(ctx.activity.conversation.id, sent.id, reply.followUp);
      await next();
    });
    this.onConversationUpdate(async (ctx, next) => {
      await this.remember(ctx.activity);
      await next();
    });
  }

  /** Teams Universal Actions: the invoke response carries the new card, which replaces the clicked one. */
  protected override async onAdaptiveCardInvoke(ctx: TurnContext, value: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse> {
    const text = executeCommand(value);
    if (text === undefined) {
      return { statusCode: 400, type: 'application/vnd.microsoft.error', value: { code: 'BadRequest', message: "Expected verb 'command' with data.command." } };
    }
    const reply = await this.answer(ctx, text);
    const activity = toActivity(reply.view, 'msteams');
    const card = activity.attachments?.[0]?.content as unknown as Record<string, unknown>;
    if (reply.followUp && ctx.activity.replyToId) await this.follow(ctx.activity.conversation.id, ctx.activity.replyToId, reply.followUp);
    return { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: card };
  }

  private async answer(ctx: TurnContext, text: string): Promise<Reply> {
    const a = ctx.activity;
    const turn: TurnInfo = { conversationId: a.conversation.id, userId: a.from?.id ?? '', channel: channelOf(a.channelId) };
    if (a.from?.name) turn.userName = a.from.name;
    const [, reply] = await Promise.all([this.remember(a), this.dispatch(text, turn)]);
    return reply;
  }

  private async dispatch(text: string, turn: TurnInfo): Promise<Reply> {
    try {
      const parsed = text ? parseCommand(text) : ({ kind: 'help' } as Command);
      if (isParseFailure(parsed)) return { view: parseFailureView(parsed) };
      let scope: Promise<Scope> | undefined;
      const ctx: HandlerContext = {
        deps: this.deps,
        turn,
        scope: () => (scope ??= resolveScope(this.deps.config, this.deps.stores, turn.conversationId)),
      };
      // The table pairs each kind with its handler; TypeScript cannot correlate the two through an index.
      const handler = handlers[parsed.kind] as Handler<Command['kind']>;
      return await handler(parsed as never, ctx);
    } catch (e) {
      return { view: errorView(e, this.deps.log) };
    }
  }

  private async remember(activity: Activity): Promise<void> {
    const id = activity.conversation?.id;
    if (!id || this.saved.has(id) || !activity.serviceUrl) return;
    try {
      await this.deps.stores.conversations.save(storedConversation(activity));
      this.saved.add(id);
    } catch (e) {
      // The answer still goes out; only later alerts to this conversation depend on the row.
      this.deps.log(`[bot] could not save conversation ${id}: ${redactText(toError(e).message)}`);
    }
  }

  /** Hands the answered card to the `followups` queue; the answer already went out, so a failure is only logged. */
  private async follow(conversationId: string, activityId: string, followUp: FollowUp): Promise<void> {
    const max = this.deps.now().getTime() + this.deps.config.followUps.maxMinutes * 60_000;
    const deadline = new Date(Math.max(max, followUp.until ? Date.parse(followUp.until) : 0)).toISOString();
    try {
      await this.deps.followUps.start({ target: followUp.target, conversationId, activityId, key: followUp.key, deadline });
    } catch (e) {
      this.deps.log(`[bot] could not follow card ${activityId}: ${redactText(toError(e).message)}`);
    }
  }
}

export function createBot(deps: BotDeps): ChatBot {
  return new ChatBot(deps);
}
