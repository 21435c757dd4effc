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
