// ARM's generic resource list (`GET /subscriptions/{id}/resources?$filter=resourceType eq '...'`), the call
// @azure/arm-resources makes to discover Batch AI workspaces and Batch accounts. It belongs to
// Microsoft.Resources, not Microsoft.BatchAI, so it takes that provider's api-versions rather than 2018-05-01.
// Only `resourceType eq '...'` filters (joined by `or`) are understood; anything else is refused, not ignored.
import { listWorkspaces } from '../core/lookups';
import type { Core } from '../core/core';
import { ArmHttpError } from './arm-error';
import type { Reply } from './http-io';

export interface GenericResource {
  id: string;
  name: string;
  type: string;
  location: string;
  tags?: Record<string, string>;
}

export const GENERIC_RESOURCES_PATH = /^\/subscriptions\/([^/]+)\/resources\/?$/i;

function typesOf(filter: string | null): Set<string> | undefined {
  if (!filter?.trim()) return undefined;
  const parts = filter.split(/\s+or\s+/i).map((p) => /^\s*resourceType\s+eq\s+'([^']+)'\s*$/i.exec(p)?.[1]);
  if (parts.some((p) => p === undefined)) {
    throw new ArmHttpError(
      400,
      'InvalidFilterInQueryString',
      `The $filter '${filter}' is not supported here: expected resourceType eq '<type>' (joined by or).`,
    );
  }
  return new Set(parts.map((p) => p!.toLowerCase()));
}

export function listGenericResources(core: Core, sub: string, query: URLSearchParams, extra: GenericResource[]): Reply {
  if (!query.get('api-version')) {
    throw new ArmHttpError(
      400,
      'MissingApiVersionParameter',
      'The api-version query parameter (?api-version=) is required for all requests.',
    );
  }
  const types = typesOf(query.get('$filter'));
  const workspaces: GenericResource[] = listWorkspaces(core, sub.toLowerCase()).map((w) => ({
    id: `/subscriptions/${w.sub}/resourceGroups/${w.rg}/providers/Microsoft.BatchAI/workspaces/${w.ws}`,
    name: w.ws,
    type: 'Microsoft.BatchAI/workspaces',
    location: w.location,
    ...(w.tags ? { tags: w.tags } : {}),
  }));
  const all = [
    ...workspaces,
    ...extra.filter((r) => r.id.toLowerCase().startsWith(`/subscriptions/${sub.toLowerCase()}/`)),
  ];
  return { status: 200, body: { value: all.filter((r) => !types || types.has(r.type.toLowerCase())) } };
}
