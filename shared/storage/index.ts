// Storage ports: the chat side's Stores (contract shared with the bot) and the backend's stores (snapshots,
// sent markers, poll status, the events queue). The only code importing the Azure storage SDKs.
import type { SubscriptionFilter } from '../core/commands';
import { approvalStore, type ApprovalStore } from './approval-store';
import { auditStore, type AuditStore } from './audit-store';
import { roleStore, type RoleStore } from './role-store';
import { conversationStore, prefsStore, submissionStore, templateStore } from './chat-stores';
import { eventBatchStore, EVENT_BATCHES_TABLE, type EventBatchStore } from './event-batch-store';
import { eventQueue, type EventQueue } from './event-queue';
import { markerStore, type MarkerStore } from './marker-store';
import { policyStore, type PolicyStore } from './policy-store';
import { pollStatusStore, type PollStatusStore } from './poll-status-store';
import { snapshotStore, type SnapshotStore } from './snapshot-store';
import { subscriptionStore } from './subscription-store';
import { EVENTS_QUEUE } from './queue-names';
import { openQueue, openTable, type StorageOptions, type StorageTarget } from './table';

/** A conversation the bot has seen: enough to send into it later. `reference` is the transport's address of it (Bot Framework: its ConversationReference as JSON; shared/ imports no chat SDK). */
export interface StoredConversation { conversationId: string; channelId: string; serviceUrl: string; reference: Record<string, unknown>; }
export interface StoredSubscription { id: string; conversationId: string; filter: SubscriptionFilter; createdBy?: string; createdAt: string; }
export interface Stores {
  conversations: { save(c: StoredConversation): Promise<void>; get(conversationId: string): Promise<StoredConversation | undefined>; };
  /** Per-conversation defaults set by `use workspace|experiment`. */
  prefs: { get(conversationId: string): Promise<{ workspace?: string; experiment?: string }>; set(conversationId: string, patch: { workspace?: string; experiment?: string }): Promise<void>; };
  subscriptions: {
    add(conversationId: string, filter: SubscriptionFilter, createdBy?: string): Promise<StoredSubscription>;
    /** id absent = all of this conversation's subscriptions; returns how many were removed. */
    remove(conversationId: string, id?: string): Promise<number>;
    list(conversationId: string): Promise<StoredSubscription[]>;
    all(): Promise<StoredSubscription[]>;
  };
  /** Raw template JSON as loaded; validated with shared/core/templates.ts parseTemplate at load and use. */
  templates: { put(name: string, body: unknown): Promise<void>; get(name: string): Promise<unknown | undefined>; list(): Promise<Array<{ name: string; body: unknown }>>; };
  /** Who submitted which job from chat (for `jobs --mine` and subscriptions by submitter). */
  submissions: { record(s: { workspace: string; experiment: string; job: string; userId: string; userName?: string }): Promise<void>; get(workspace: string, experiment: string, job: string): Promise<{ userId: string; userName?: string } | undefined>; listByUser(workspace: string, userId: string): Promise<Array<{ experiment: string; job: string }>>; };
  /** Large scale requests waiting for (or answered by) an approver: the ETag-guarded state machine of flow 4. */
  approvals: ApprovalStore;
  /** Per-cluster keep-up and idle scale-down progress (flow 5). */
  policies: PolicyStore;
  /** Role grants (core/roles.ts), global or per workspace. */
  roles: RoleStore;
  /** One row per mutating command and approval step, first record kept. */
  audit: AuditStore;
}

/** Creates the tables if missing. */
export async function createStores(target: StorageTarget, opts: StorageOptions = {}): Promise<Stores> {
  const [conversations, prefs, subscriptions, templates, submissions, approvals, policies, roles, audit] = await Promise.all(
    ['conversations', 'prefs', 'subscriptions', 'templates', 'submissions', 'approvals', 'policies', 'roles', 'audit'].map((t) => openTable(target, t, opts)),
  );
  return {
    conversations: conversationStore(conversations),
    prefs: prefsStore(prefs),
    subscriptions: subscriptionStore(subscriptions),
    templates: templateStore(templates),
    submissions: submissionStore(submissions),
    approvals: approvalStore(approvals),
    policies: policyStore(policies),
    roles: roleStore(roles),
    audit: auditStore(audit),
  };
}

export interface BackendStores {
  snapshots: SnapshotStore;
  pollStatus: PollStatusStore;
  markers: MarkerStore;
  events: EventQueue;
  /** The stored event batches the `events` messages reference. */
  batches: EventBatchStore;
}

export { EVENTS_QUEUE };

/** Creates the backend's tables and the `events` queue if missing. */
export async function createBackendStores(target: StorageTarget, opts: StorageOptions & { markerLeaseMs?: number } = {}): Promise<BackendStores> {
  const [snapshots, pollstatus, sent, eventbatches] = await Promise.all(['snapshots', 'pollstatus', 'sent', EVENT_BATCHES_TABLE].map((t) => openTable(target, t, opts)));
  const queue = await openQueue(target, EVENTS_QUEUE);
  const batches = eventBatchStore(eventbatches);
  return {
    snapshots: snapshotStore(snapshots),
    pollStatus: pollStatusStore(pollstatus),
    markers: markerStore(sent, { leaseMs: opts.markerLeaseMs }),
    events: eventQueue(queue, batches),
    batches,
  };
}

export type { StorageIdentity, StorageOptions, StorageSettings, StorageTarget, Versioned } from './table';
export type { SnapshotStore } from './snapshot-store';
export type { PollStatusStore, WorkspaceFailure } from './poll-status-store';
export type { MarkerStore, Claim } from './marker-store';
export type { EventQueue } from './event-queue';
export type { ApprovalStore } from './approval-store';
export type { PolicyStore } from './policy-store';
export type { RoleStore } from './role-store';
export type { AuditStore, AuditEntry, AuditResult } from './audit-store';
export type { EventBatchStore } from './event-batch-store';
export { encodeKey, decodeKey } from './keys';
