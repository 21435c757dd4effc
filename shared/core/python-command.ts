// The command a Batch AI python tool (pyTorch, tensorFlow, horovod, chainer, cntk, caffe, caffe2) ran: the
// interpreter, the script and its arguments. One builder for the engine's local processes and the Azure Batch
// translation; only the interpreter a job names nothing for differs (a Batch node has `python`, this machine
// `python3`).
export interface PythonTool {
  pythonScriptFilePath?: string;
  pythonInterpreterPath?: string;
  commandLineArgs?: string;
  processCount?: number;
}

export function pythonCommand(s: PythonTool, args: string | undefined, defaultInterpreter: string): string {
  return [s.pythonInterpreterPath || defaultInterpreter, s.pythonScriptFilePath, args].filter(Boolean).join(' ');
}

/** CNTK's command: BrainScript runs `cntk configFile=…`; Python runs its script as the other python tools do. */
export function cntkCommand(
  c: PythonTool & { languageType?: string; configFilePath?: string },
  defaultInterpreter: string,
): string {
  if ((c.languageType ?? 'Python').toLowerCase() !== 'brainscript')
    return pythonCommand(c, c.commandLineArgs, defaultInterpreter);
  return ['cntk', `configFile=${c.configFilePath ?? ''}`, c.commandLineArgs].filter(Boolean).join(' ');
}
