// The chat-side stores' types, below index.ts (which builds them) and the files that implement them.
import type { SubscriptionFilter } from '../core/commands';
import type { ApprovalCardStore } from './approval-card-store';
import type { ApprovalStore } from './approval-store';
import type { AuditStore } from './audit-store';
import type { PeopleStore } from './people-store';
import type { PolicyStore } from './policy-store';
import type { RoleStore } from './role-store';

/**
 * A conversation the bot has seen: enough to send into it later. `reference` is the transport's address of it
 * (Bot Framework: its ConversationReference as JSON; shared/ imports no chat SDK).
 */
export interface StoredConversation {
  conversationId: string;
  channelId: string;
  serviceUrl: string;
  reference: Record<string, unknown>;
}
export interface StoredSubscription {
  id: string;
  conversationId: string;
  filter: SubscriptionFilter;
  createdBy?: string;
  createdAt: string;
}
import type { SecretPrints } from '../core/secret-prints';

/** Who submitted a job, and a digest of the body they sent (secrets masked first): a re-submit must match it. */
export interface Submission {
  userId: string;
  userName?: string;
  body?: string;
  /** The prints of the secrets the submit knew: tails mask them (never the secrets themselves). */
  secrets?: SecretPrints;
}

export interface Stores {
  conversations: {
    save(c: StoredConversation): Promise<void>;
    get(conversationId: string): Promise<StoredConversation | undefined>;
  };
  /** Per-conversation defaults set by `use workspace|experiment`. */
  prefs: {
    get(conversationId: string): Promise<{ workspace?: string; experiment?: string }>;
    set(conversationId: string, patch: { workspace?: string; experiment?: string }): Promise<void>;
  };
  subscriptions: {
    add(conversationId: string, filter: SubscriptionFilter, createdBy?: string): Promise<StoredSubscription>;
    /** id absent = all of this conversation's subscriptions; returns how many were removed. */
    remove(conversationId: string, id?: string): Promise<number>;
    list(conversationId: string): Promise<StoredSubscription[]>;
    all(): Promise<StoredSubscription[]>;
  };
  /** Raw template JSON as loaded; validated with shared/core/templates.ts parseTemplate at load and use. */
  templates: {
    put(name: string, body: unknown): Promise<void>;
    get(name: string): Promise<unknown | undefined>;
    /** Every template; one that cannot be read (sealed under another key, not JSON) comes with why, not its body. */
    list(): Promise<Array<{ name: string; body: unknown } | { name: string; unreadable: string }>>;
  };
  /**
   * Who submitted which job from chat (for `jobs --mine`, subscriptions by submitter and who may terminate it).
   * The first record of a job name stays: `claim` writes it only when none exists and answers the one kept.
   */
  submissions: {
    claim(s: Submission & { workspace: string; experiment: string; job: string }): Promise<Submission>;
    /** Drops a claim whose submit failed, only if it is still `s` (the same person and body). */
    release(s: Submission & { workspace: string; experiment: string; job: string }): Promise<void>;
    get(workspace: string, experiment: string, job: string): Promise<Submission | undefined>;
    listByUser(workspace: string, userId: string): Promise<Array<{ experiment: string; job: string }>>;
  };
  /** Large scale requests waiting for (or answered by) an approver: the ETag-guarded state machine of flow 4. */
  approvals: ApprovalStore;
  /** The cards a request was sent as to approvers' conversations (updated in place with it). */
  approvalCards: ApprovalCardStore;
  /** Where each person last talked to the bot (personal and channel), to tell them outside their turn. */
  people: PeopleStore;
  /** Per-cluster keep-up and idle scale-down progress (flow 5). */
  policies: PolicyStore;
  /** Role grants (core/roles.ts), global or per workspace. */
  roles: RoleStore;
  /** One row per mutating command and approval step, first record kept. */
  audit: AuditStore;
}
