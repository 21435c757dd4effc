// Pure: does a subscription's filter match an event? Names compare case-insensitively (ARM lower-cases names
// in ids). Experiment, job and submitter narrow to job events; cluster events are heard through 'cluster'.
import type { SubscriptionFilter } from './commands';
import type { WorkspaceRef } from '../compute/model';
import { workspaceLabel } from './arm-names';
import type { BackendEvent, JobTransition } from './events';

export const DEFAULT_STATES: NonNullable<SubscriptionFilter['states']> = ['succeeded', 'failed', 'cluster'];

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

function workspaceMatches(filter: string, ws: WorkspaceRef): boolean {
  return same(filter, ws.workspace) || same(filter, workspaceLabel(ws));
}

/** `job7` or `exp1/job7`. */
function jobMatches(filter: string, experiment: string, job: string): boolean {
  const slash = filter.indexOf('/');
  return slash < 0 ? same(filter, job) : same(filter.slice(0, slash), experiment) && same(filter.slice(slash + 1), job);
}

/** What a job subscription can narrow on. */
export interface JobFacts {
  workspace: WorkspaceRef;
  experiment: string;
  job: string;
  cluster: string;
  /** The chat user id who submitted the job, when known (see Stores.submissions). */
  submittedBy?: string;
}

function statesOf(filter: SubscriptionFilter): NonNullable<SubscriptionFilter['states']> {
  return filter.states && filter.states.length > 0 ? filter.states : DEFAULT_STATES;
}

/**
 * Would this filter hear about `job` reaching `state`? Used for events, and by submit to avoid a second
 * subscription.
 */
export function matchesJob(filter: SubscriptionFilter, job: JobFacts, state: JobTransition): boolean {
  if (filter.workspace && !workspaceMatches(filter.workspace, job.workspace)) return false;
  if (filter.experiment && !same(filter.experiment, job.experiment)) return false;
  if (filter.cluster && !same(filter.cluster, job.cluster)) return false;
  if (filter.job && !jobMatches(filter.job, job.experiment, job.job)) return false;
  if (filter.submittedBy && (!job.submittedBy || filter.submittedBy !== job.submittedBy)) return false;
  return statesOf(filter).includes(state);
}

/** `submittedBy`: the chat user id who submitted the event's job, when known (see Stores.submissions). */
export function matchesSubscription(filter: SubscriptionFilter, e: BackendEvent, submittedBy?: string): boolean {
  if (e.kind === 'cluster') {
    if (filter.workspace && !workspaceMatches(filter.workspace, e.workspace)) return false;
    if (filter.experiment || filter.job || filter.submittedBy) return false;
    if (filter.cluster && !same(filter.cluster, e.cluster)) return false;
    return statesOf(filter).includes('cluster');
  }
  const facts: JobFacts = { workspace: e.workspace, experiment: e.experiment, job: e.job, cluster: e.summary.cluster };
  if (submittedBy) facts.submittedBy = submittedBy;
  return matchesJob(filter, facts, e.to);
}
