// `use workspace <w>` / `use experiment <e>`: per-conversation defaults (Stores.prefs).
import { isNotFound } from '../../shared/errors';
import type { Handler } from '../handler';
import { requireWorkspace } from '../scope';

export const use: Handler<'use'> = async (cmd, ctx) => {
  const { deps, turn } = ctx;
  if (cmd.what === 'workspace') {
    const ws = requireWorkspace(deps.config.compute.workspaces, cmd.name);
    await deps.stores.prefs.set(turn.conversationId, { workspace: `${ws.resourceGroup}/${ws.workspace}` });
    return {
      view: {
        kind: 'text',
        title: 'Workspace set',
        text: `Commands in this conversation now act on workspace ${ws.workspace}.`,
        actions: [{ title: 'Clusters', command: 'clusters' }],
      },
    };
  }
  const { ref } = await ctx.scope();
  let note = '';
  try {
    await deps.compute.getExperiment({ ...ref, experiment: cmd.name });
  } catch (e) {
    if (!isNotFound(e)) throw e;
    // Not an error: `submit` creates a missing experiment.
    note = ` It does not exist yet in ${ref.workspace}; the first submit creates it.`;
  }
  await deps.stores.prefs.set(turn.conversationId, { experiment: cmd.name });
  return {
    view: {
      kind: 'text',
      title: 'Experiment set',
      text: `Commands in this conversation now use experiment ${cmd.name}.${note}`,
      actions: [{ title: 'Jobs', command: 'jobs' }],
    },
  };
};
