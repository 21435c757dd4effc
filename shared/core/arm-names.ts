// Names from ARM ids: `/subscriptions/…/workspaces/w/experiments/e/jobs/j` → segment after a given type.
import type { WorkspaceRef } from '../compute/model';

/** "rg/workspace": how COMPUTE_WORKSPACES names a workspace, and how logs, reports and storage keys show it. */
export function workspaceLabel(ws: WorkspaceRef): string {
  return `${ws.resourceGroup}/${ws.workspace}`;
}

export function segmentAfter(id: string | undefined, type: string): string | undefined {
  if (!id) return undefined;
  const parts = id.split('/');
  const i = parts.findIndex((p) => p.toLowerCase() === type.toLowerCase());
  return i >= 0 && i + 1 < parts.length && parts[i + 1] ? parts[i + 1] : undefined;
}

export function lastSegment(id: string | undefined): string | undefined {
  return id?.split('/').filter(Boolean).pop();
}

export function secondsBetween(start: string | undefined, end: string | Date | undefined): number | undefined {
  if (!start || !end) return undefined;
  const a = Date.parse(start);
  const b = end instanceof Date ? end.getTime() : Date.parse(end);
  return Number.isFinite(a) && Number.isFinite(b) && b >= a ? Math.round((b - a) / 1000) : undefined;
}
