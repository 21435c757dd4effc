// Pure: does a subscription's filter match an event? Names compare case-insensitively (ARM lower-cases names
// in ids). Experiment, job and submitter narrow to job events; cluster events are heard through 'cluster'.
import type { SubscriptionFilter } from './commands';
import type { BackendEvent } from './events';

export const DEFAULT_STATES: NonNullable<SubscriptionFilter['states']> = ['succeeded', 'failed', 'cluster'];

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

function workspaceMatches(filter: string, e: BackendEvent): boolean {
  return same(filter, e.workspace.workspace) || same(filter, `${e.workspace.resourceGroup}/${e.workspace.workspace}`);
}

/** `job7` or `exp1/job7`. */
function jobMatches(filter: string, experiment: string, job: string): boolean {
  const slash = filter.indexOf('/');
  return slash < 0 ? same(filter, job) : same(filter.slice(0, slash), experiment) && same(filter.slice(slash + 1), job);
}

/** `submittedBy`: the chat user id who submitted the event's job, when known (see Stores.submissions). */
export function matchesSubscription(filter: SubscriptionFilter, e: BackendEvent, submittedBy?: string): boolean {
  const states = filter.states && filter.states.length > 0 ? filter.states : DEFAULT_STATES;
  if (filter.workspace && !workspaceMatches(filter.workspace, e)) return false;
  if (e.kind === 'cluster') {
    if (filter.experiment || filter.job || filter.submittedBy) return false;
    if (filter.cluster && !same(filter.cluster, e.cluster)) return false;
    return states.includes('cluster');
  }
  if (filter.experiment && !same(filter.experiment, e.experiment)) return false;
  if (filter.cluster && !same(filter.cluster, e.summary.cluster)) return false;
  if (filter.job && !jobMatches(filter.job, e.experiment, e.job)) return false;
  if (filter.submittedBy && (!submittedBy || filter.submittedBy !== submittedBy)) return false;
  return states.includes(e.to);
}
