// The shape every command handler has: a typed command and the turn's context in, a view (and possibly a
// follow-up that keeps updating that view's card in place) out. Handlers never see botbuilder types.
import type { WorkspaceRef } from '../shared/batchai/port';
import type { Command, CommandKind } from '../shared/core/commands';
import type { Channel, View } from '../shared/core/views';
import type { BotDeps, BotTiming } from './deps';

export interface TurnInfo {
  conversationId: string;
  userId: string;
  userName?: string;
  channel: Channel;
}

/** Where a command acts when it names no workspace/experiment: the conversation's `use` prefs, else config. */
export interface Scope {
  ref: WorkspaceRef;
  experiment: string;
}

export interface HandlerContext {
  deps: BotDeps;
  turn: TurnInfo;
  timing: BotTiming;
  /** Resolved on first call (one Table read), then memoized for the turn. */
  scope(): Promise<Scope>;
}

/** Runs after the reply was sent; each `update` replaces the reply's card in place. Stops when `signal` aborts. */
export type FollowUp = (update: (view: View) => Promise<void>, signal: AbortSignal) => Promise<void>;

export interface Reply {
  view: View;
  followUp?: FollowUp;
}

export type Handler<K extends CommandKind> = (cmd: Extract<Command, { kind: K }>, ctx: HandlerContext) => Promise<Reply>;

export type HandlerTable = { [K in CommandKind]: Handler<K> };
