// Storage ports: the chat side's Stores (contract shared with the bot) and the backend's stores (snapshots,
// sent markers, poll status, the events queue). The only code importing the Azure storage SDKs.
import { approvalStore } from './approval-store';
import { sealingKey } from './sealed';
import { approvalCardStore } from './approval-card-store';
import { auditStore } from './audit-store';
import { roleStore } from './role-store';
import { conversationStore, prefsStore, submissionStore, templateStore } from './chat-stores';
import { eventBatchStore, EVENT_BATCHES_TABLE, type EventBatchStore } from './event-batch-store';
import { eventQueue, type EventQueue } from './event-queue';
import { markerStore, type MarkerStore } from './marker-store';
import { peopleStore } from './people-store';
import { policyStore } from './policy-store';
import { pollStatusStore, type PollStatusStore } from './poll-status-store';
import { snapshotStore, type SnapshotStore } from './snapshot-store';
import { subscriptionStore } from './subscription-store';
import { EVENTS_QUEUE } from './queue-names';
import type { Stores } from './store-types';
import { openQueue, openTable, type StorageOptions, type StorageTarget } from './table';

export type { StoredConversation, StoredSubscription, Stores } from './store-types';

/** Creates the tables if missing. */
export async function createStores(target: StorageTarget, opts: StorageOptions = {}): Promise<Stores> {
  const [
    conversations,
    prefs,
    subscriptions,
    templates,
    submissions,
    approvals,
    approvalcards,
    people,
    policies,
    roles,
    audit,
  ] = await Promise.all(
    [
      'conversations',
      'prefs',
      'subscriptions',
      'templates',
      'submissions',
      'approvals',
      'approvalcards',
      'people',
      'policies',
      'roles',
      'audit',
    ].map((t) => openTable(target, t, opts)),
  );
  return {
    conversations: conversationStore(conversations),
    prefs: prefsStore(prefs),
    subscriptions: subscriptionStore(subscriptions),
    templates: templateStore(templates, sealingKey(target)),
    submissions: submissionStore(submissions),
    approvals: approvalStore(approvals, sealingKey(target)),
    approvalCards: approvalCardStore(approvalcards),
    people: peopleStore(people),
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
export async function createBackendStores(
  target: StorageTarget,
  opts: StorageOptions & { markerLeaseMs?: number } = {},
): Promise<BackendStores> {
  const [snapshots, pollstatus, sent, eventbatches] = await Promise.all(
    ['snapshots', 'pollstatus', 'sent', EVENT_BATCHES_TABLE].map((t) => openTable(target, t, opts)),
  );
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
export type { PeopleStore } from './people-store';
export type { ApprovalCard, ApprovalCardStore } from './approval-card-store';
export type { RoleStore } from './role-store';
export type { AuditStore, AuditEntry, AuditResult } from './audit-store';
export type { EventBatchStore } from './event-batch-store';
export { encodeKey, decodeKey } from './keys';
