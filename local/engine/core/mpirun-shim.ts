// customMpi jobs run `mpirun -np N ... program args` on the master node. Where no Open MPI is installed (as
// here), a stand-in `mpirun` placed LAST on the job's PATH (a real one always wins) starts N copies of the
// program on this machine with the rank environment of mpi-env.ts, and exits with the first failure's code.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Options of Open MPI's mpirun that take a value (skipped, with their value); other options are flags. */
const WITH_VALUE = [
  '-hostfile',
  '--hostfile',
  '-machinefile',
  '--machinefile',
  '-H',
  '-host',
  '--host',
  '-x',
  '--map-by',
  '--bind-to',
  '--rank-by',
  '-npernode',
  '--npernode',
  '-N',
  '--prefix',
  '-wdir',
  '--wdir',
];

const SCRIPT = `#!/usr/bin/env bash
# Stand-in for Open MPI's mpirun (see local/engine/core/mpirun-shim.ts): N local copies with rank variables.
np=1
while [ $# -gt 0 ]; do
  case "$1" in
    -np|-n|--np|-c) np="$2"; shift 2 ;;
    -mca|--mca) shift 3 ;;
    ${WITH_VALUE.join('|')}) shift 2 ;;
    --) shift; break ;;
    -*) shift ;;
    *) break ;;
  esac
done
[ $# -gt 0 ] || { echo "mpirun: no program to run" >&2; exit 1; }
nodes=$(grep -c . "\${AZ_BATCHAI_MPI_HOST_FILE:-/dev/null}" 2>/dev/null || echo 1)
[ "$nodes" -gt 0 ] 2>/dev/null || nodes=1
pids=()
for ((r = 0; r < np; r++)); do
  local_rank=$((r / nodes))
  OMPI_COMM_WORLD_RANK=$r OMPI_COMM_WORLD_SIZE=$np OMPI_COMM_WORLD_LOCAL_RANK=$local_rank \\
  RANK=$r WORLD_SIZE=$np LOCAL_RANK=$local_rank "$@" &
  pids+=($!)
done
code=0
for p in "\${pids[@]}"; do wait "$p" || { c=$?; [ $code -ne 0 ] || code=$c; }; done
exit $code
`;

/** Writes the stand-in into `{tempDir}/bin`; returns that folder, to be appended to the job's PATH. */
export function writeMpirunShim(tempDir: string): string {
  const bin = join(tempDir, 'bin');
  mkdirSync(bin, { recursive: true });
  const file = join(bin, 'mpirun');
  writeFileSync(file, SCRIPT);
  chmodSync(file, 0o755);
  return bin;
}
