// `help [command]`: generated from the command table (shared/core/help.ts), so it cannot drift from the grammar;
// the full list shows only what the person's role lets them run.
import { helpView } from '../../shared/core/help';
import { accessOf, mayRun } from '../access';
import type { Handler } from '../handler';

export const help: Handler<'help'> = async (cmd, ctx) => {
  const access = await accessOf(ctx);
  return { view: helpView(cmd.topic, (c) => mayRun(c, access)) };
};
