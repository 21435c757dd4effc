// Commands that run another command named in their arguments (`timeout 5 cmd`, `sudo -u u cmd`, `mpirun -np 4
// cmd`): the word after the launcher's own options and leading arguments is a command name, held to the command
// name's rule. Sound rather than clever: an option this table does not know is taken to have a value where the
// launcher has many (mpirun, srun), so a value next to it is treated as a possible command name.
import type { Word } from './shell-scan';

interface Launcher {
  /** Options whose value is the next word. */
  valued?: RegExp;
  /** Leading arguments before the command (timeout's duration, taskset's mask). */
  leading?: number;
  /** Options without a value, where any other option takes one (the launchers with many options). */
  flags?: RegExp;
}

const HPC_FLAGS = /^--?(oversubscribe|allow-run-as-root|tag-output|verbose|v|q|quiet|display-map|report-bindings)$/;
const LAUNCHERS: Record<string, Launcher> = {
  command: {},
  builtin: {},
  exec: { valued: /^-a$/ },
  nohup: {},
  setsid: {},
  env: { valued: /^(-u|--unset|-C|--chdir)$/ },
  nice: { valued: /^(-n|--adjustment)$/ },
  stdbuf: { valued: /^-[ioe]$/ },
  time: { valued: /^(-f|--format|-o|--output)$/ },
  timeout: { valued: /^(-s|--signal|-k|--kill-after)$/, leading: 1 },
  chrt: { leading: 1 },
  taskset: { leading: 1 },
  ionice: { valued: /^(-[cnpPu]|--(class|classdata|pid|pgid|uid))$/ },
  strace: { valued: /^(-[oeEpPsSuabIXU]|--(output|trace|signal|user))$/ },
  ltrace: { valued: /^-[oeEpsunaADxlFw]$/ },
  valgrind: {},
  sudo: { valued: /^(-[ugCDhprtUT]|--(user|group|chdir|host|prompt|role|type|other-user|close-from))$/ },
  doas: { valued: /^-[uC]$/ },
  runuser: { valued: /^(-[ugGsw]|--(user|group|supp-group|shell|whitelist-environment))$/ },
  mpirun: { flags: HPC_FLAGS },
  mpiexec: { flags: HPC_FLAGS },
  srun: { flags: /^--?(exclusive|overcommit|label|l|unbuffered|u|pty|quiet|Q|verbose|v|x11|O)$/ },
  horovodrun: { flags: /^--(gloo|mpi|verbose|log-hide-timestamp|disable-cache|elastic|check-build)$/ },
  torchrun: { flags: /^(--(standalone|no[-_]python|run[-_]path|module)|-m)$/ },
};

/** Whether `name` is a launcher: a command that runs the command named in its arguments. */
export const isLauncher = (name: string): boolean => Object.hasOwn(LAUNCHERS, name);

/** A plain number, duration, CPU list or mask (`5`, `2.5s`, `0-3,7`, `0x3`): never a command name here. */
const NUMBER = /^(0x[\da-fA-F]+|[\d.,:-]+[smhd]?)$/;

/**
 * The index of the word a launcher (`name`, at `words[k]`) runs as a command, past its options, their values and
 * its leading arguments; `env` also skips its assignments. `maybe` sees each word with a value skipped where it
 * might be the command name instead (an option's value, a leading argument): only a number is sure not to be one.
 */
export function launchedAt(name: string, words: Word[], k: number, maybe: (w: Word) => void): number {
  const spec = LAUNCHERS[name]!;
  let leading = spec.leading ?? 0;
  let i = k + 1;
  while (i < words.length) {
    const w = words[i]!;
    const option = w.text.startsWith('-') && w.text !== '-' && w.sites.length === 0;
    if (w.text === '--' && w.sites.length === 0) return i + 1;
    if (option) {
      const takes = spec.valued?.test(w.text) || (spec.flags && !spec.flags.test(w.text) && !w.text.includes('='));
      i++;
      if (takes && i < words.length) {
        if (words[i]!.sites.length > 0) maybe(words[i]!);
        i++;
        if (/^--?mca$/.test(w.text)) i++;
      }
    } else if (name === 'env' && /^[A-Za-z_]\w*=/.test(w.text)) i++;
    else if (leading > 0 || (spec.flags && NUMBER.test(w.text))) {
      if (w.sites.length > 0) maybe(w);
      leading--;
      i++;
    } else return i;
  }
  return i;
}
