// `help [command]`: generated from the command table (shared/core/help.ts), so it cannot drift from the grammar.
import { helpView } from '../../shared/core/help';
import type { Handler } from '../handler';

export const help: Handler<'help'> = async (cmd) => ({ view: helpView(cmd.topic) });
