// `approve`, `reject`, `keep-up`: the approval and idle flows (DESIGN flows 4 and 5) are not built yet. Until
// they are, these answer plainly instead of pretending: a large resize asks its requester to confirm instead.
import type { Command } from '../../shared/core/commands';
import type { Handler, Reply } from '../handler';

function notEnabled(cmd: Command, what: string): Reply {
  return {
    view: {
      kind: 'error',
      title: 'Not enabled yet',
      message: `${what} is not enabled in this deployment yet, so \`${cmd.kind}\` did nothing.`,
      hint: 'Large resizes ask the requester to confirm instead of waiting for an approver.',
      actions: [{ title: 'Help', command: 'help' }],
    },
  };
}

export const approve: Handler<'approve'> = async (cmd) => notEnabled(cmd, 'The approval flow');
export const reject: Handler<'reject'> = async (cmd) => notEnabled(cmd, 'The approval flow');
export const keepUp: Handler<'keep-up'> = async (cmd) => notEnabled(cmd, 'Idle scale-down');
