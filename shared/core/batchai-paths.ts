// ARM paths of Microsoft.BatchAI 2018-05-01: the Batch AI client's URLs, and the cluster ids a job.json names (the
// template input of every backend). Names are checked here, before anything is sent, against the swagger's
// patterns, so a bad name from a chat command gets a message saying what was expected instead of an ARM 400 (or,
// worse, a path that means something else once a '/' slips into it).
import { InputError } from '../errors';
import type { ClusterRef, ExperimentRef, JobRef, WorkspaceRef } from '../compute/model';

export const API_VERSION = '2018-05-01';

const RESOURCE_NAME = /^[-\w_]{1,64}$/;
// ARM resource group names: letters, digits, '-', '_', '.', '(' and ')', up to 90, not ending in '.'.
const RESOURCE_GROUP = /^[-\w._()]{1,90}$/;
const LOCATION = /^[-\w]{1,64}$/;

function check(kind: string, value: unknown, pattern: RegExp, expected: string): string {
  if (typeof value !== 'string' || !pattern.test(value) || (kind === 'resource group' && value.endsWith('.'))) {
    throw new InputError('InvalidName', `${kind} name ${JSON.stringify(value)}: expected ${expected}.`);
  }
  return encodeURIComponent(value);
}

const NAME_EXPECTED = "1-64 characters: letters, digits, '-' or '_'";

/** Validates and URL-encodes a workspace, experiment, job, cluster or file server name. */
export function resourceName(kind: string, value: unknown): string {
  return check(kind, value, RESOURCE_NAME, NAME_EXPECTED);
}

function subscription(subscriptionId: string): string {
  if (!subscriptionId.trim())
    throw new InputError('InvalidName', 'subscription id is empty: expected an Azure subscription id.');
  return `/subscriptions/${encodeURIComponent(subscriptionId)}`;
}

export function resourceGroupPath(sub: string, resourceGroup: string): string {
  const rg = check(
    'resource group',
    resourceGroup,
    RESOURCE_GROUP,
    "1-90 characters: letters, digits, '-', '_', '.', '(' or ')', not ending in '.'",
  );
  return `${subscription(sub)}/resourceGroups/${rg}/providers/Microsoft.BatchAI`;
}

export function subscriptionProviderPath(sub: string): string {
  return `${subscription(sub)}/providers/Microsoft.BatchAI`;
}

export function usagesPath(sub: string, location: string): string {
  const loc = check('location', location, LOCATION, "an Azure region name such as 'eastus'");
  return `${subscriptionProviderPath(sub)}/locations/${loc}/usages`;
}

export function workspacePath(sub: string, ref: WorkspaceRef): string {
  return `${resourceGroupPath(sub, ref.resourceGroup)}/workspaces/${resourceName('workspace', ref.workspace)}`;
}

export function experimentPath(sub: string, ref: ExperimentRef): string {
  return `${workspacePath(sub, ref)}/experiments/${resourceName('experiment', ref.experiment)}`;
}

export function jobPath(sub: string, ref: JobRef): string {
  return `${experimentPath(sub, ref)}/jobs/${resourceName('job', ref.job)}`;
}

export function clusterPath(sub: string, ref: ClusterRef): string {
  return `${workspacePath(sub, ref)}/clusters/${resourceName('cluster', ref.cluster)}`;
}

export function fileServerPath(sub: string, ref: WorkspaceRef & { fileServer: string }): string {
  return `${workspacePath(sub, ref)}/fileServers/${resourceName('file server', ref.fileServer)}`;
}
