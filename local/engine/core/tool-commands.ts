// What a job runs, per tool: the shell command of each process and its role. Everything runs through `bash -c`
// so `$AZ_BATCHAI_...` references in script paths and arguments expand as they did on a node.
import { cntkCommand, pythonCommand, type PythonTool } from '../../../shared/core/python-command';
import type { JobBaseProperties, ToolType } from '../../../shared/batchai/types';
import { toolKeyOf, type ToolKey } from '../../../shared/templates/job-tool';
import { InputError } from '../../../shared/errors';
import { invalidContent } from './errors';

export interface TaskSpec {
  role: 'master' | 'worker' | 'ps';
  index: number;
  command: string;
}

// The 2018-05-01 ToolType enum has no 'pytorch'; the service reported PyTorch jobs as 'custom'.
const TOOL_TYPE: Record<ToolKey, ToolType> = {
  cntkSettings: 'cntk',
  pyTorchSettings: 'custom',
  tensorFlowSettings: 'tensorflow',
  caffeSettings: 'caffe',
  caffe2Settings: 'caffe2',
  chainerSettings: 'chainer',
  customToolkitSettings: 'custom',
  customMpiSettings: 'custommpi',
  horovodSettings: 'horovod',
};

/** The one tool setting a job names, and the toolType the service reported for it. */
export function toolOf(p: JobBaseProperties): { key: ToolKey; toolType: ToolType } {
  let key: ToolKey;
  try {
    key = toolKeyOf(p);
  } catch (e) {
    // The same rule, answered as the service answered a bad body.
    throw e instanceof InputError ? invalidContent(e.message) : e;
  }
  return { key, toolType: TOOL_TYPE[key] };
}

function python(s: PythonTool, args = s.commandLineArgs): string {
  return pythonCommand(s, args, 'python3');
}

function replicas(count: number, command: string): TaskSpec[] {
  return Array.from({ length: Math.max(1, count) }, (_, i) => ({
    role: i === 0 ? 'master' : 'worker',
    index: i,
    command,
  }));
}

export function tasksOf(p: JobBaseProperties): TaskSpec[] {
  const n = p.nodeCount;
  if (p.customToolkitSettings)
    return [{ role: 'master', index: 0, command: p.customToolkitSettings.commandLine ?? 'true' }];
  if (p.customMpiSettings) return [{ role: 'master', index: 0, command: p.customMpiSettings.commandLine }];
  if (p.tensorFlowSettings) {
    const tf = p.tensorFlowSettings;
    if (tf.workerCount === undefined && tf.parameterServerCount === undefined)
      return [{ role: 'master', index: 0, command: python(tf, tf.masterCommandLineArgs) }];
    return [
      ...Array.from(
        { length: tf.workerCount ?? n },
        (_, i): TaskSpec => ({ role: 'worker', index: i, command: python(tf, tf.workerCommandLineArgs) }),
      ),
      ...Array.from(
        { length: tf.parameterServerCount ?? 0 },
        (_, i): TaskSpec => ({ role: 'ps', index: i, command: python(tf, tf.parameterServerCommandLineArgs) }),
      ),
    ];
  }
  if (p.cntkSettings) {
    const c = p.cntkSettings;
    return replicas(c.processCount ?? n, cntkCommand(c, 'python3'));
  }
  if (p.caffeSettings) {
    const c = p.caffeSettings;
    const command = c.configFilePath
      ? ['caffe train', `--solver=${c.configFilePath}`, c.commandLineArgs].filter(Boolean).join(' ')
      : python(c);
    return replicas(c.processCount ?? n, command);
  }
  const s: PythonTool | undefined = p.pyTorchSettings ?? p.chainerSettings ?? p.horovodSettings ?? p.caffe2Settings;
  if (!s) throw invalidContent('The job names no tool.');
  return replicas(s.processCount ?? n, python(s));
}

/** stdout/stderr file names of a task: the master writes stdout.txt as on the service; others get their own. */
export function taskLogNames(t: TaskSpec): { out: string; err: string } {
  if (t.role === 'master' || (t.role === 'worker' && t.index === 0)) return { out: 'stdout.txt', err: 'stderr.txt' };
  return { out: `stdout-${t.role}-${t.index}.txt`, err: `stderr-${t.role}-${t.index}.txt` };
}
