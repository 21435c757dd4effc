// Distributed framework jobs on the engine: one process per rank with the rank environment a node gave them
// (Open MPI's OMPI_COMM_WORLD_*, PyTorch's RANK / WORLD_SIZE / MASTER_ADDR / MASTER_PORT), a log per process,
// and customMpi's `mpirun` run by the stand-in when no Open MPI is installed.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AFS, jobBody, runJob, setupCluster, useFastEngine } from './helpers';

const engine = useFastEngine((e) =>
  setupCluster(e, 'c1', { manual: { targetNodeCount: 2 } }, { nodeSetup: { mountVolumes: AFS } }),
);

/** Several python processes start per job: on a loaded machine that takes longer than the helpers' default wait. */
const SLOW = 30_000;
const stdouterr = (job: any) =>
  join(engine.dataDir, 'files', 'acct', 'share1', job.properties.jobOutputDirectoryPathSegment, 'stdouterr');
const PRINT_RANK =
  'import os; e = os.environ; print(" ".join(k + "=" + e.get(k, "-") for k in ["RANK", "WORLD_SIZE", "LOCAL_RANK",' +
  ' "OMPI_COMM_WORLD_RANK", "OMPI_COMM_WORLD_SIZE", "MASTER_ADDR", "MASTER_PORT", "AZ_BATCHAI_TASK_INDEX"]))';

test('pyTorch, 2 nodes, processCount 4: four processes, each with its rank, one master address and port', async () => {
  const job = await runJob(
    engine,
    'ranks',
    jobBody('', {
      customToolkitSettings: undefined,
      nodeCount: 2,
      pyTorchSettings: { pythonScriptFilePath: '-c', commandLineArgs: `'${PRINT_RANK}'`, processCount: 4 },
    }),
    SLOW,
  );
  expect(job.properties.executionState).toBe('succeeded');
  const dir = stdouterr(job);
  const lines = ['stdout.txt', 'stdout-worker-1.txt', 'stdout-worker-2.txt', 'stdout-worker-3.txt'].map((f) =>
    readFileSync(join(dir, f), 'utf8').trim(),
  );
  const port = /MASTER_PORT=(\d+)/.exec(lines[0])?.[1];
  expect(Number(port)).toBeGreaterThanOrEqual(29500);
  expect(lines).toEqual(
    [0, 1, 2, 3].map(
      (r) =>
        `RANK=${r} WORLD_SIZE=4 LOCAL_RANK=${Math.floor(r / 2)} OMPI_COMM_WORLD_RANK=${r} OMPI_COMM_WORLD_SIZE=4` +
        ` MASTER_ADDR=127.0.0.1 MASTER_PORT=${port} AZ_BATCHAI_TASK_INDEX=${r}`,
    ),
  );
}, 40_000);

test('customMpi: one command line, its mpirun starts -np ranked copies; a failing rank fails the job', async () => {
  const ok = await runJob(
    engine,
    'mpi',
    jobBody('', {
      customToolkitSettings: undefined,
      nodeCount: 2,
      customMpiSettings: {
        commandLine:
          'mpirun -np 3 --allow-run-as-root -hostfile $AZ_BATCHAI_MPI_HOST_FILE -x PATH' +
          ` --mca btl_tcp_if_include eth0 python3 -c '${PRINT_RANK}'`,
        processCount: 3,
      },
    }),
    SLOW,
  );
  expect(ok.properties).toMatchObject({ executionState: 'succeeded', toolType: 'custommpi' });
  const ranks = readFileSync(join(stdouterr(ok), 'stdout.txt'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => /^RANK=(\d) WORLD_SIZE=3 /.exec(l)?.[1])
    .sort();
  expect(ranks).toEqual(['0', '1', '2']);

  const failed = await runJob(
    engine,
    'mpi-fail',
    jobBody('', {
      customToolkitSettings: undefined,
      nodeCount: 2,
      customMpiSettings: { commandLine: "mpirun -np 2 bash -c 'exit $((RANK * 7))'" },
    }),
    SLOW,
  );
  expect(failed.properties).toMatchObject({ executionState: 'failed', executionInfo: { exitCode: 7 } });
}, 70_000);

test('customMpi: ranks that write a line in pieces at the same moment still get a line each', async () => {
  // A hold point in the job itself: every rank writes the start of its line (to stdout and stderr), waits until
  // all three have, then writes the end. Ranks writing to the shared files directly splice the three starts into
  // one line every time; that is what PYTHONUNBUFFERED=1 (print: the text, then the newline) did now and then.
  const started = (r: string) => `"$AZ_BATCHAI_JOB_TEMP/started-${r}"`;
  const all = ['0', '1', '2'].map((r) => `[ -e ${started(r)} ]`).join(' && ');
  const rank =
    `printf "rank %s" "$RANK"; printf "rank %s" "$RANK" >&2; : > ${started('$RANK')};` +
    ` until ${all}; do sleep 0.05; done; echo " of $WORLD_SIZE"; echo " of $WORLD_SIZE" >&2`;
  const job = await runJob(
    engine,
    'mpi-pieces',
    jobBody('', {
      customToolkitSettings: undefined,
      nodeCount: 2,
      customMpiSettings: { commandLine: `mpirun -np 3 bash -c '${rank}'`, processCount: 3 },
    }),
    SLOW,
  );
  expect(job.properties.executionState).toBe('succeeded');
  const lines = (f: string) =>
    readFileSync(join(stdouterr(job), f), 'utf8')
      .split('\n')
      .sort();
  const expected = ['', 'rank 0 of 3', 'rank 1 of 3', 'rank 2 of 3'];
  expect(lines('stdout.txt')).toEqual(expected);
  expect(lines('stderr.txt')).toEqual(expected);
}, 40_000);
