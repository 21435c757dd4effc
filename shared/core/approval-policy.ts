// Pure: the approval state machine (DESIGN flow 4) and the card it shows. A scale request above the threshold
// becomes a pending approval; pending → approved | rejected | expired; approved → executed | failed.
// Storage writes each transition with an ETag, so two clicks at once make one transition and the loser reads
// the winner's state back through `decide` ("already approved by X").
import type { WorkspaceRef } from '../compute/model';
import type { ScaleMode } from '../compute/model';
import type { Command } from './commands';
import { commandText } from './command-text';
import { costText, type CostEstimate } from './prices';
import { sameUser } from './roles';
import type { TextView } from './views';

export type ApprovalState = 'pending' | 'approved' | 'rejected' | 'expired' | 'executed' | 'failed';
export type ScaleRequest = Extract<Command, { kind: 'resize' | 'autoscale' }>;
/** A submit waiting for approval: its job name, experiment and cluster are fixed when asked. */
export type SubmitRequest = Extract<Command, { kind: 'submit' }> & {
  name: string;
  experiment: string;
  cluster: string;
  nodes: number;
};
export type ApprovalRequest = ScaleRequest | SubmitRequest;
export interface Person {
  id: string;
  name?: string;
}

export interface Approval {
  id: string;
  state: ApprovalState;
  request: ApprovalRequest;
  /** Where the request acts: fixed when asked, whatever the approver's conversation defaults to. */
  workspace: WorkspaceRef;
  requestedBy: Person;
  /** The conversation it was asked in (the expiry notice goes there). */
  conversationId: string;
  createdAt: string;
  expiresAt: string;
  decidedBy?: Person;
  decidedAt?: string;
  /** When the approved operation was executed (or failed), and why it failed. */
  finishedAt?: string;
  error?: string;
  /** Nodes before → after, VM size and cost per hour, as estimated when asked. */
  estimate?: CostEstimate;
}

/**
 * A request this app cannot open (sealed under another SECRETS_KEY, or a submit kept in plain text before requests
 * were sealed): it never runs, but it expires like any other and is shown without its details. `unreadable` says why.
 */
export type UnreadableApproval = Omit<Approval, 'request'> & { request?: undefined; unreadable: string };
export type StoredApproval = Approval | UnreadableApproval;

export type Verdict = 'approve' | 'reject';

export type Decision =
  | { ok: true; next: Approval }
  | { ok: false; code: 'AlreadyDecided' | 'Expired' | 'SelfApproval' | 'NotAnApprover'; message: string };

const TERMINAL: readonly ApprovalState[] = ['rejected', 'expired', 'executed', 'failed'];
export const isTerminal = (s: ApprovalState): boolean => TERMINAL.includes(s);

export const nameOf = (p: Person): string => p.name || p.id;

/** The nodes a request can reach: what the threshold is compared with. */
export function requestedNodes(r: ApprovalRequest): number {
  return r.kind === 'resize' || r.kind === 'submit' ? r.nodes : r.max;
}

export function needsApproval(
  r: ApprovalRequest,
  threshold: number,
  cost?: { estimate: CostEstimate; budgetPerHour?: number },
): boolean {
  return approvalReason(r, threshold, cost) !== undefined;
}

/** Why a request waits for an approver: above the node threshold, or above the hourly budget; else undefined. */
export function approvalReason(
  r: ApprovalRequest,
  threshold: number,
  cost?: { estimate: CostEstimate; budgetPerHour?: number },
): string | undefined {
  if (requestedNodes(r) > threshold)
    return `${describeRequest(r)} goes above the approval threshold of ${threshold} nodes.`;
  const perHour = cost?.estimate.perHour;
  const budget = cost?.budgetPerHour;
  if (perHour !== undefined && budget !== undefined && perHour > budget) {
    return `${describeRequest(r)} would cost ${costText(cost!.estimate)}, above the budget of $${budget.toFixed(2)}/h.`;
  }
  return undefined;
}

export function scaleModeOf(r: ScaleRequest): ScaleMode {
  return r.kind === 'resize' ? { mode: 'manual', targetNodeCount: r.nodes } : { mode: 'auto', min: r.min, max: r.max };
}

/** "Resize gpu to 5 nodes", "Auto-scale gpu 0–12 nodes", "Submit train as exp/t-1 on gpu (4 nodes)". */
export function describeRequest(r: ApprovalRequest): string {
  if (r.kind === 'submit')
    return (
      `Submit ${r.template} as ${r.experiment}/${r.name} on ${r.cluster} ` +
      `(${r.nodes} node${r.nodes === 1 ? '' : 's'})`
    );
  return r.kind === 'resize'
    ? `Resize ${r.cluster} to ${r.nodes} node${r.nodes === 1 ? '' : 's'}`
    : `Auto-scale ${r.cluster} ${r.min}–${r.max} nodes`;
}

/** A pending request past its expiry is expired, even before the timer wrote it so. */
export function effectiveState(a: Pick<Approval, 'state' | 'expiresAt'>, now: Date): ApprovalState {
  return a.state === 'pending' && now.getTime() >= Date.parse(a.expiresAt) ? 'expired' : a.state;
}

/** Marks an overdue pending request expired; undefined when it is not (or no longer) pending and overdue. */
export function expire<A extends StoredApproval>(a: A, now: Date): A | undefined {
  if (a.state !== 'pending' || effectiveState(a, now) !== 'expired') return undefined;
  return { ...a, state: 'expired', decidedAt: now.toISOString() };
}

function alreadyDecided(a: Approval): Decision {
  const by = a.decidedBy ? nameOf(a.decidedBy) : 'someone';
  const what =
    a.state === 'rejected'
      ? a.decidedBy !== undefined && sameUser(a.decidedBy.id, a.requestedBy.id)
        ? 'cancelled'
        : 'rejected'
      : 'approved';
  return { ok: false, code: 'AlreadyDecided', message: `Request ${a.id} was already ${what} by ${by}.` };
}

/**
 * Who may do what: the requester may reject (cancel) but never approve; anyone else may approve or reject,
 * unless `approvers` is not empty, then only those user ids.
 */
export function decide(a: Approval, verdict: Verdict, by: Person, now: Date, approvers: readonly string[]): Decision {
  const state = effectiveState(a, now);
  if (state === 'expired') {
    const next = expire(a, now);
    // Expired by time but still stored pending: the caller writes the expiry and shows it.
    if (next) return { ok: true, next };
    return {
      ok: false,
      code: 'Expired',
      message: `Request ${a.id} expired at ${shortTime(a.expiresAt)} without an answer.`,
    };
  }
  if (state !== 'pending') return alreadyDecided(a);
  const isRequester = sameUser(by.id, a.requestedBy.id);
  if (verdict === 'approve' && isRequester) {
    return {
      ok: false,
      code: 'SelfApproval',
      message: `You asked for this, so someone else must approve request ${a.id}. You may reject it to cancel.`,
    };
  }
  if (!isRequester && approvers.length > 0 && !approvers.includes(by.id)) {
    return {
      ok: false,
      code: 'NotAnApprover',
      message: `Only the configured approvers may ${verdict} request ${a.id}, and ${nameOf(by)} is not one of them.`,
    };
  }
  return {
    ok: true,
    next: { ...a, state: verdict === 'approve' ? 'approved' : 'rejected', decidedBy: by, decidedAt: now.toISOString() },
  };
}

/** approved → executed, or failed with the reason (shown on the card; never a secret: ARM error messages). */
export function finish(a: Approval, outcome: { ok: true } | { ok: false; error: string }, now: Date): Approval {
  const next: Approval = { ...a, state: outcome.ok ? 'executed' : 'failed', finishedAt: now.toISOString() };
  if (!outcome.ok) next.error = outcome.error;
  return next;
}

/**
 * An approved request whose run was cut off (the host died after `approved` was written, before the outcome was):
 * no one runs it again (at most once), so a later pass settles it by what it finds. `done`: the cluster has the
 * requested scale, or the job exists; `not-run`: it has not, so nothing was changed.
 */
export function settleInterrupted(a: Approval, found: 'done' | 'not-run', now: Date): Approval | undefined {
  if (a.state !== 'approved') return undefined;
  return finish(
    a,
    found === 'done'
      ? { ok: true }
      : { ok: false, error: 'the service stopped before carrying it out, and nothing was changed. Ask again.' },
    now,
  );
}

/** "2024-05-01 14:02 UTC": a time a person reads on a card. */
export function shortTime(iso: string): string {
  return `${iso.slice(0, 16).replace('T', ' ')} UTC`;
}

function statusLine(a: StoredApproval, state: ApprovalState): string {
  const by = a.decidedBy ? nameOf(a.decidedBy) : '';
  switch (state) {
    case 'pending':
      return `${nameOf(a.requestedBy)} asked for this: it waits for someone else to approve it.`;
    case 'approved':
      return `Approved by ${by}: running it now.`;
    case 'executed':
      return `Approved by ${by} and done.`;
    case 'failed':
      return `Approved by ${by}, but it failed: ${a.error ?? 'unknown error'}`;
    case 'rejected':
      return a.decidedBy !== undefined && sameUser(a.decidedBy.id, a.requestedBy.id)
        ? `Cancelled by ${by}.`
        : `Rejected by ${by}.`;
    case 'expired':
      return `Expired at ${shortTime(a.expiresAt)}: nobody answered.`;
  }
}

/** The approval card: what, who asked, until when; Approve / Reject while pending. `note` leads (e.g. a refusal). */
export function approvalView(a: StoredApproval, now: Date, note?: string): TextView {
  const state = effectiveState(a, now);
  const what = a.request ? describeRequest(a.request) : `Request ${a.id}`;
  const facts = [
    { title: 'Request', value: a.id },
    { title: 'Workspace', value: a.workspace.workspace },
    { title: 'Requested by', value: nameOf(a.requestedBy) },
    { title: 'Requested at', value: shortTime(a.createdAt) },
  ];
  if (a.estimate) {
    facts.push(
      { title: 'Nodes', value: `${a.estimate.before} → ${a.estimate.after}` },
      { title: 'VM size', value: a.estimate.vmSize },
      { title: 'Cost', value: costText(a.estimate) },
    );
  }
  if (state === 'pending') facts.push({ title: 'Expires', value: shortTime(a.expiresAt) });
  else if (a.decidedBy) facts.push({ title: 'Answered by', value: nameOf(a.decidedBy) });
  const actions: TextView['actions'] =
    state === 'pending'
      ? [
          { title: 'Approve', command: commandText({ kind: 'approve', approval: a.id }), style: 'positive' },
          { title: 'Reject', command: commandText({ kind: 'reject', approval: a.id }), style: 'destructive' },
        ]
      : a.request
        ? [{ title: 'Cluster', command: commandText({ kind: 'cluster', cluster: a.request.cluster }) }]
        : [];
  const unread = a.request ? '' : `\n\nIts details cannot be read here: it ${a.unreadable}.`;
  const text = statusLine(a, state) + unread;
  return {
    kind: 'text',
    title: state === 'pending' ? `${what}?` : `${what}: ${state}`,
    text: note ? `${note}\n\n${text}` : text,
    facts,
    actions,
  };
}
