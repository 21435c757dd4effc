// Options whose value a program runs as a command (`tar --to-command=…`, `ssh -o ProxyCommand=…`, `git -c
// core.sshCommand=…`, `find -exec …`): a value there is code, as in another language's program text.
import type { Word } from './shell-scan';

/** Per program: the options (with a joined `=value` or short `-Xvalue`, or the next word) that name a command. */
const RUNS_COMMAND: Record<string, RegExp> = {
  tar: /^(--(checkpoint-action|use-compress-program|to-command|info-script|new-volume-script|rsh-command)|-\w*[IF])/,
  ssh: /^-[A-Za-z]*[oF]/,
  scp: /^-[A-Za-z]*[oFS]/,
  sftp: /^-[A-Za-z]*[oFS]/,
  git: /^(-c|--config-env|--exec-path|--upload-pack|--receive-pack|--exec)/,
  env: /^(-\w*S|--split-string)/,
  make: /^(-[A-Za-z]*E|--eval)/,
  rsync: /^(-[A-Za-z]*e|--(rsh|rsync-path))/,
  zip: /^(-TT|--unzip-command)/,
  less: /^(-[A-Za-z]*P|--prompt)/,
  man: /^(-[A-Za-z]*[PH]|--(pager|html))/,
};
/** find's actions that run the words after them, up to `;` or `+`. */
const FIND_RUNS = /^-(exec|execdir|ok|okdir)$/;

/** The words of `args` (a `tool`'s arguments) that a program runs as a command, each with the option it follows. */
export function commandOptionWords(tool: string, args: Word[]): Array<{ word: Word; option: string }> {
  const out: Array<{ word: Word; option: string }> = [];
  // watch and parallel run their arguments as shell commands: only their option values (numbers) may be values.
  if (tool === 'watch' || tool === 'parallel') return args.map((word) => ({ word, option: 'its command' }));
  if (tool === 'find') {
    let option = '';
    for (const word of args) {
      if (option && /^[;+]$/.test(word.text)) option = '';
      else if (option) out.push({ word, option });
      else if (FIND_RUNS.test(word.text)) option = word.text;
    }
    return out;
  }
  const runs = RUNS_COMMAND[tool];
  if (!runs) return out;
  if (tool === 'ssh') out.push(...remoteCommand(args));
  args.forEach((word, k) => {
    const m = runs.exec(word.text);
    if (!m || !word.text.startsWith('-')) return;
    const option = m[0];
    out.push({ word, option });
    // A value in the next word unless it came joined (`--to-command=…`, `-Icmd`).
    const next = args[k + 1];
    if (word.text.length === option.length && next) out.push({ word: next, option });
  });
  return out;
}

/** ssh's options that take the next word as their value. */
const SSH_VALUED = /^-[A-Za-z]*[BbcDEeFIiJLlmOopQRSWw]$/;

/** The words after ssh's destination: the remote shell runs them as one command line. */
function remoteCommand(args: Word[]): Array<{ word: Word; option: string }> {
  let k = 0;
  for (; k < args.length && args[k]!.text.startsWith('-') && args[k]!.sites.length === 0; k++)
    if (SSH_VALUED.test(args[k]!.text)) k++;
  return args.slice(k + 1).map((word) => ({ word, option: 'after the destination (its remote command)' }));
}

/** Whether `tool` has options whose value it runs as a command. */
export const runsCommandOptions = (tool: string): boolean =>
  ['watch', 'parallel', 'find'].includes(tool) || Object.hasOwn(RUNS_COMMAND, tool);
