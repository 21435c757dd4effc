// Every command passes here between parsing and its handler: the role check (access.ts) and, for changes,
// the audit row around the run (audited.ts). Reading commands open to viewers cost no extra read.
import type { Command } from '../shared/core/commands';
import { accessOf, mayRun, refusal, specOf } from './access';
import { audited, auditRefusal } from './audited';
import type { HandlerContext, Reply } from './handler';

/** A dry run and an unconfirmed terminate change nothing: they are not audit rows. */
const isChange = (c: Command): boolean =>
  !(c.kind === 'submit' && c.dryRun) && !(c.kind === 'terminate' && !c.confirmed);

export async function runGuarded(cmd: Command, ctx: HandlerContext, run: () => Promise<Reply>): Promise<Reply> {
  const spec = specOf(cmd);
  // help reads the roles itself, to list only what the person may run.
  if (spec.role === 'viewer' && !spec.audited) return run();
  const access = await accessOf(ctx);
  const recorded = spec.audited === true && isChange(cmd);
  if (!mayRun(spec, access)) {
    if (recorded) await auditRefusal(cmd, ctx, access.workspace, 'RoleRequired');
    return { view: refusal(spec, access, ctx.turn.userId) };
  }
  return recorded ? audited(cmd, ctx, access.workspace, run) : run();
}
