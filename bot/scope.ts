// Which workspace and experiment a command acts on when it names none: the conversation's `use` prefs, else the
// configured defaults. Workspaces are restricted to the configured ones (the bot's credential is scoped to them).
import type { WorkspaceRef } from '../shared/compute/model';
import type { Config } from '../shared/config';
import { InputError } from '../shared/errors';
import type { Stores } from '../shared/storage';
import type { Scope } from './handler';

/** `name` is a workspace name or `resourceGroup/workspace`. */
export function findWorkspace(workspaces: WorkspaceRef[], name: string): WorkspaceRef | undefined {
  const n = name.toLowerCase();
  return workspaces.find(
    (w) => w.workspace.toLowerCase() === n || `${w.resourceGroup}/${w.workspace}`.toLowerCase() === n,
  );
}

export function requireWorkspace(workspaces: WorkspaceRef[], name: string): WorkspaceRef {
  const ws = findWorkspace(workspaces, name);
  if (!ws) {
    const known = workspaces.map((w) => w.workspace).join(', ');
    throw new InputError('WorkspaceNotFound', `Workspace ${name} is not one this bot manages. Workspaces: ${known}.`);
  }
  return ws;
}

export async function resolveScope(
  config: Pick<Config, 'compute'>,
  stores: Pick<Stores, 'prefs'>,
  conversationId: string,
): Promise<Scope> {
  const prefs = await stores.prefs.get(conversationId);
  const { workspaces, defaultExperiment } = config.compute;
  // A pref naming a workspace that was since removed from config falls back to the default, not an error.
  const ref = (prefs.workspace && findWorkspace(workspaces, prefs.workspace)) || workspaces[0];
  return { ref, experiment: prefs.experiment || defaultExperiment };
}
