// What a Batch AI job runs, per tool, as one bash script for an Azure Batch task (pure). Batch runs a task's
// command line without a shell, so everything goes through `/bin/bash -c '<script>'`, which also lets the
// `$AZ_BATCHAI_...` references of existing job.json files expand as they did on a Batch AI node. Distributed
// tools start under `mpirun` on the primary of a multi-instance task, over the hosts Batch lists in
// $AZ_BATCH_HOST_LIST (the hostfile Batch AI offered as $AZ_BATCHAI_MPI_HOST_FILE).
import { cntkCommand, pythonCommand, type PythonTool } from '../core/python-command';
import type { JobBaseProperties } from '../compute/job-file';
import { toolKeyOf } from '../templates/job-tool';
import { shellQuote } from '../templates/shell-quote';

/** A double-quoted shell word that still expands `$VAR` (paths in job.json refer to $AZ_BATCHAI_...). */
export function expandingQuote(s: string): string {
  return `"${s.replace(/(["\\`])/g, '\\$1')}"`;
}

export function bashCommandLine(script: string): string {
  return `/bin/bash -c ${shellQuote(script)}`;
}

export const HOSTFILE = '$AZ_BATCH_TASK_WORKING_DIR/hostfile';
/** Writes the MPI hostfile from Batch's comma-separated host list. */
export const HOSTFILE_SETUP =
  `tr ',' '\\n' <<< "$AZ_BATCH_HOST_LIST" > "${HOSTFILE}"; ` + `export AZ_BATCHAI_MPI_HOST_FILE="${HOSTFILE}"`;

function python(s: PythonTool, args = s.commandLineArgs): string {
  return pythonCommand(s, args, 'python');
}

/** `command` on `processes` ranks: plain when one process on one node, else mpirun over the hostfile. */
function mpi(processes: number, nodeCount: number, command: string): string {
  if (processes <= 1 && nodeCount <= 1) return command;
  const hosts = nodeCount > 1 ? ` --hostfile "${HOSTFILE}"` : '';
  return `mpirun -np ${processes}${hosts} -bind-to none -map-by slot -x PATH -x LD_LIBRARY_PATH ${command}`;
}

function tensorFlow(p: JobBaseProperties): string {
  const tf = p.tensorFlowSettings!;
  const ps = tf.parameterServerCount ?? 0;
  const workers = tf.workerCount ?? (ps > 0 ? p.nodeCount : 0);
  if (workers === 0 && ps === 0) return python(tf, tf.masterCommandLineArgs);
  // Ranks 0..ps-1 serve parameters, the rest are workers; each learns its index as Batch AI told it.
  const role = [
    'r=${OMPI_COMM_WORLD_RANK:-0}',
    `if [ "$r" -lt ${ps} ]; then export AZ_BATCHAI_TASK_INDEX=$r; ${python(tf, tf.parameterServerCommandLineArgs)};`,
    `else export AZ_BATCHAI_TASK_INDEX=$((r - ${ps})); ${python(tf, tf.workerCommandLineArgs)}; fi`,
  ].join(' ');
  return mpi(workers + ps, p.nodeCount, `/bin/bash -c ${shellQuote(role)}`);
}

/** The tool's command (the part after the environment and directory set-up). */
export function toolCommand(p: JobBaseProperties): string {
  const n = p.nodeCount;
  switch (toolKeyOf(p)) {
    case 'customToolkitSettings':
      return p.customToolkitSettings!.commandLine || 'true';
    // The user's own mpirun line, with the hostfile Batch AI provided.
    case 'customMpiSettings':
      return p.customMpiSettings!.commandLine;
    case 'pyTorchSettings': {
      const s = p.pyTorchSettings!;
      const backend = s.communicationBackend
        ? `export AZ_BATCHAI_PYTORCH_BACKEND=${shellQuote(s.communicationBackend)}; `
        : '';
      // Batch AI's init method pointed at the master: Batch names it as ip:port in $AZ_BATCH_MASTER_NODE.
      const init =
        n > 1 || (s.processCount ?? 1) > 1
          ? 'export AZ_BATCHAI_PYTORCH_INIT_METHOD="tcp://${AZ_BATCH_MASTER_NODE:-127.0.0.1:6105}"; '
          : '';
      return `${backend}${init}${mpi(s.processCount ?? n, n, python(s))}`;
    }
    case 'tensorFlowSettings':
      return tensorFlow(p);
    case 'horovodSettings':
      return mpi(p.horovodSettings!.processCount ?? n, n, python(p.horovodSettings!));
    case 'chainerSettings':
      return mpi(p.chainerSettings!.processCount ?? n, n, python(p.chainerSettings!));
    case 'cntkSettings': {
      const c = p.cntkSettings!;
      return mpi(c.processCount ?? n, n, cntkCommand(c, 'python'));
    }
    case 'caffeSettings': {
      const c = p.caffeSettings!;
      const command = c.configFilePath
        ? ['caffe train', `--solver=${c.configFilePath}`, c.commandLineArgs].filter(Boolean).join(' ')
        : python(c);
      return mpi(c.processCount ?? n, n, command);
    }
    case 'caffe2Settings':
      return python(p.caffe2Settings!);
  }
}
