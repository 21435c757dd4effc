// The typed command union: what a chat line (or a card button) means once parsed. The grammar
// (grammar.ts) produces these; the bot dispatches on `kind` from a table of handlers.
import type { Role } from './roles';

export type { JobState } from '../compute/model';
import type { JobState } from '../compute/model';

/** A job named in chat: `job7` (the conversation's default experiment) or `exp1/job7`. */
export interface JobName {
  experiment?: string;
  job: string;
}

/** What a subscription matches. Every field absent = everything in the workspace. */
export interface SubscriptionFilter {
  workspace?: string;
  experiment?: string;
  cluster?: string;
  job?: string;
  /** Jobs submitted by this chat user id. */
  submittedBy?: string;
  /** Job states and cluster changes to hear about; empty = the default set (succeeded, failed, cluster). */
  states?: Array<JobState | 'created' | 'deleted' | 'cluster'>;
}

export type Command =
  | { kind: 'help'; topic?: string }
  | { kind: 'clusters' }
  | { kind: 'cluster'; cluster: string }
  | { kind: 'jobs'; experiment?: string; state?: JobState; mine: boolean }
  | { kind: 'job'; job: JobName }
  | { kind: 'logs'; job: JobName; lines?: number; stderr: boolean }
  | { kind: 'outputs'; job: JobName; directory?: string }
  | { kind: 'templates' }
  | { kind: 'template'; template: string }
  | {
      kind: 'submit';
      template: string;
      params: Record<string, string>;
      cluster?: string;
      experiment?: string;
      name?: string;
      dryRun: boolean;
    }
  | { kind: 'resize'; cluster: string; nodes: number }
  | { kind: 'autoscale'; cluster: string; min: number; max: number }
  | { kind: 'scale-to-zero'; cluster: string }
  /** `confirmed` is set only by the Confirm button of the confirmation card (or `terminate <job> --yes`). */
  | { kind: 'terminate'; job: JobName; confirmed: boolean }
  /** `mine`: the bot sets `filter.submittedBy` to the chat user's id (the grammar does not know it). */
  | { kind: 'subscribe'; filter: SubscriptionFilter; mine?: boolean }
  | { kind: 'unsubscribe'; id?: string }
  | { kind: 'subscriptions' }
  | { kind: 'use'; what: 'workspace' | 'experiment'; name: string }
  | { kind: 'approve'; approval: string }
  | { kind: 'reject'; approval: string }
  /** From the idle warning card: keep the cluster up for `hours` more. */
  | { kind: 'keep-up'; cluster: string; hours: number }
  /** From a stuck-job alert: wait one more stall window before alerting again. */
  | { kind: 'keep-waiting'; job: JobName }
  | { kind: 'roles' }
  /** `workspace` absent = a global grant. */
  | { kind: 'roles-grant'; user: string; role: Role; workspace?: string }
  | { kind: 'roles-revoke'; user: string; workspace?: string }
  | { kind: 'audit'; count: number; user?: string; cluster?: string };

export type CommandKind = Command['kind'];

/** A line that is not a command: what was expected, and the nearest command's usage. */
export interface ParseFailure {
  kind: 'parse-error';
  message: string;
  /** The command the input was closest to, if any, with its usage line. */
  suggestion?: { command: CommandKind; usage: string };
}
