// Which fields of a job body a shell reads and which name a path: a template value placed in one is held to
// that field's rules (template-render.ts). Matched on the field's key, without regard to case, so every
// toolkit's spelling counts: commandLine, commandLineArgs, masterCommandLineArgs, workerCommandLineArgs,
// parameterServerCommandLineArgs, jobPreparation.commandLine, and the script and interpreter paths that the
// service put on the command line it ran.
const SHELL_FIELD = /(commandline|commandlineargs|filepath|interpreterpath|^mountcommand|^mountoptions)$/i;
const PATH_FIELD = /^(pathprefix|pathsuffix|stdouterrpathprefix|relativemountpath|path|sourcedirectory)$/i;

export function isShellField(key: string): boolean {
  return SHELL_FIELD.test(key);
}

export function isPathField(key: string): boolean {
  return PATH_FIELD.test(key);
}

/** Shell fields the service puts after a command of its own (python3 <script> <args>): arguments, not commands. */
export function isArgsField(key: string): boolean {
  return /(commandlineargs|filepath)$/i.test(key);
}

/** A script path is a path too: a value there follows the path rule as well as the command line's. */
export function isScriptPathField(key: string): boolean {
  return /filepath$/i.test(key);
}

/** Commands the service runs before the job's environment exists: no value can reach them as a variable. */
export function isMountField(key: string): boolean {
  return /^(mountcommand|mountoptions)$/i.test(key);
}
