// The chat bot, free of any chat SDK: a turn = save the conversation on first contact, note it as where the person
// talks now, parse the command text, dispatch it through the router, answer with a view. Failures of one turn become an
// error view. A long operation's follow-up is handed to the `followups` queue once the transport says where the reply
// went (nothing keeps running in this process after it: on Azure Functions it may be frozen or gone).
import { parseCommand, isParseFailure } from '../shared/core/grammar';
import type { Command } from '../shared/core/commands';
import { conversationKind } from '../shared/core/reach';
import { redactText } from '../shared/core/redact';
import { toError } from '../shared/errors';
import type { StoredConversation } from '../shared/storage';
import type { BotDeps } from './deps';
import { errorView, parseFailureView } from './error-view';
import type { FollowUp, Handler, HandlerContext, Reply, Scope, TurnInfo } from './handler';
import { runGuarded } from './gate';
import { handlers } from './router';
import { resolveScope } from './scope';
import type { ChatBot, TurnInput, TurnReply } from './transport';

const SAVED_MAX = 10_000;

export function createBot(deps: BotDeps): ChatBot {
  /**
   * Conversations this instance already saved: an optimization only, the table stays the truth. Bounded: past
   * SAVED_MAX it starts over (each conversation then costs one more upsert), so a host that lives for months
   * does not keep every conversation it ever saw.
   */
  const saved = new Set<string>();

  async function remember(conversation: StoredConversation): Promise<void> {
    const id = conversation.conversationId;
    if (!id || saved.has(id)) return;
    try {
      await deps.stores.conversations.save(conversation);
      if (saved.size >= SAVED_MAX) saved.clear();
      saved.add(id);
    } catch (e) {
      // The answer still goes out; only later alerts to this conversation depend on the row.
      deps.log(`[bot] could not save conversation ${id}: ${redactText(toError(e).message)}`);
    }
  }

  /** Where this person talks to the bot now: how an approval request reaches them later (core/reach.ts). */
  async function notePerson(input: TurnInput): Promise<void> {
    const { user, conversation } = input;
    if (!user.id || !conversation.conversationId) return;
    try {
      await deps.stores.people.seen(
        user.id,
        conversationKind(input.personal === true),
        conversation.conversationId,
        deps.now(),
      );
    } catch (e) {
      deps.log(`[bot] could not note where ${user.id} talks: ${redactText(toError(e).message)}`);
    }
  }

  async function dispatch(text: string, turn: TurnInfo): Promise<Reply> {
    try {
      const parsed = text ? parseCommand(text) : ({ kind: 'help' } as Command);
      if (isParseFailure(parsed)) return { view: parseFailureView(parsed) };
      let scope: Promise<Scope> | undefined;
      const ctx: HandlerContext = {
        deps,
        turn,
        scope: () => (scope ??= resolveScope(deps.config, deps.stores, turn.conversationId)),
      };
      // The table pairs each kind with its handler; TypeScript cannot correlate the two through an index.
      const handler = handlers[parsed.kind] as Handler<Command['kind']>;
      return await runGuarded(parsed, ctx, () => handler(parsed as never, ctx));
    } catch (e) {
      return { view: errorView(e, deps.log) };
    }
  }

  /** Hands the answered card to the `followups` queue; the answer already went out, so a failure is only logged. */
  async function follow(conversationId: string, activityId: string, followUp: FollowUp): Promise<void> {
    const max = deps.now().getTime() + deps.config.followUps.maxMinutes * 60_000;
    const deadline = new Date(Math.max(max, followUp.until ? Date.parse(followUp.until) : 0)).toISOString();
    try {
      await deps.followUps.start({ target: followUp.target, conversationId, activityId, key: followUp.key, deadline });
    } catch (e) {
      deps.log(`[bot] could not follow card ${activityId}: ${redactText(toError(e).message)}`);
    }
    await watchProgress(conversationId, activityId, followUp);
  }

  /** A submitted job's card also shows its progress for as long as it runs (bot/progress-reader.ts). */
  async function watchProgress(conversationId: string, activityId: string, followUp: FollowUp): Promise<void> {
    const t = followUp.target;
    if (!deps.progressWatches || t.kind !== 'job' || t.headline !== 'submit') return;
    try {
      await deps.progressWatches.add({
        job: t.job,
        conversationId,
        activityId,
        ...(t.submittedBy ? { submittedBy: t.submittedBy } : {}),
        state: {
          stdoutSize: 0,
          stderrSize: 0,
          grewAt: deps.now().toISOString(),
          ...(followUp.progress?.stallMinutes ? { stallMinutes: followUp.progress.stallMinutes } : {}),
        },
        points: [],
        ...(followUp.progress?.metric ? { mainMetric: followUp.progress.metric } : {}),
      });
    } catch (e) {
      deps.log(`[bot] could not watch the progress of card ${activityId}: ${redactText(toError(e).message)}`);
    }
  }

  async function turn(input: TurnInput): Promise<TurnReply> {
    const conversationId = input.conversation.conversationId;
    const info: TurnInfo = { conversationId, userId: input.user.id };
    if (input.user.name) info.userName = input.user.name;
    const [, , reply] = await Promise.all([
      remember(input.conversation),
      notePerson(input),
      dispatch(input.text, info),
    ]);
    const { followUp } = reply;
    return {
      view: reply.view,
      posted: async (messageId) => {
        if (followUp) await follow(conversationId, messageId, followUp);
      },
    };
  }

  return { turn, remember };
}
