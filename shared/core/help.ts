// Help generated from the command table: the same rows the grammar parses with.
import type { HelpView } from './views';
import { COMMANDS, rowsFor, usageOf, verbWord, type CommandSpec } from './command-table';
import { closest } from './edit-distance';

const entry = (c: CommandSpec) => ({
  command: c.kind,
  usage: usageOf(c),
  summary: c.summary,
  examples: [...c.examples],
});

/** All commands the person may run (`may`), or the rows of one topic (`help use` shows both `use` rows). An
 * unknown topic gets the closest command if there is one, else everything, with a title saying so. */
export function helpView(topic?: string, may: (c: CommandSpec) => boolean = () => true): HelpView {
  if (topic === undefined) return { kind: 'help', title: 'Commands', entries: COMMANDS.filter(may).map(entry) };
  const word = topic.trim().replace(/^\//, '').toLowerCase();
  const exact = rowsFor(word);
  if (exact.length > 0) return { kind: 'help', title: `Help: ${verbWord(exact[0])}`, entries: exact.map(entry) };
  const near = closest(word, [...new Set(COMMANDS.map(verbWord))]);
  if (near !== undefined)
    return { kind: 'help', title: `No command "${word}". Did you mean ${near}?`, entries: rowsFor(near).map(entry) };
  return { kind: 'help', title: `No command "${word}". All commands:`, entries: COMMANDS.filter(may).map(entry) };
}
