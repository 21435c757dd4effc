// The shape every command handler has: a typed command and the turn's context in, a view (and possibly what
// to keep following, so that the view's card is updated in place later) out. Handlers never see a chat SDK's types.
import type { WorkspaceRef } from '../shared/compute/model';
import type { Command, CommandKind } from '../shared/core/commands';
import type { View } from '../shared/core/views';
import type { TemplateProgress } from '../shared/templates/template-types';
import type { FollowUpTarget } from '../shared/storage/followup-queue';
import type { BotDeps } from './deps';

export interface TurnInfo {
  conversationId: string;
  userId: string;
  userName?: string;
}

/** Where a command acts when it names no workspace/experiment: the conversation's `use` prefs, else config. */
export interface Scope {
  ref: WorkspaceRef;
  experiment: string;
}

export interface HandlerContext {
  deps: BotDeps;
  turn: TurnInfo;
  /** Resolved on first call (one Table read), then memoized for the turn. */
  scope(): Promise<Scope>;
}

/**
 * What the reply's card keeps showing after the turn: the bot hands it to the `followups` queue, whose function
 * (functions/followups.ts) updates the card in place whenever `key` (what the card shows now) changes.
 */
export interface FollowUp {
  target: FollowUpTarget;
  key: string;
  /** Follow at least until this ISO time (e.g. an approval's expiry), even past the configured maximum. */
  until?: string;
  /** A submitted job's card is also watched for progress: the template's own stall window and chart metric. */
  progress?: TemplateProgress;
}

export interface Reply {
  view: View;
  followUp?: FollowUp;
}

export type Handler<K extends CommandKind> = (
  cmd: Extract<Command, { kind: K }>,
  ctx: HandlerContext,
) => Promise<Reply>;

export type HandlerTable = { [K in CommandKind]: Handler<K> };
