// What a distributed job's processes learnt about each other on a node: their rank among all the job's
// processes, in the names MPI (Open MPI's OMPI_COMM_WORLD_*) and PyTorch's env:// init (RANK, WORLD_SIZE,
// LOCAL_RANK, MASTER_ADDR, MASTER_PORT) use. Every "node" is this machine, so the master address is 127.0.0.1.
import { createHash } from 'node:crypto';

/** A port per job (not per engine), so that two distributed jobs running at once do not meet on one port. */
export function masterPort(jobUuid: string): number {
  return 29500 + (createHash('sha256').update(jobUuid).digest().readUInt16BE(0) % 10000);
}

/** The environment of the process of rank `rank` among `size`, spread over `nodeCount` nodes round robin. */
export function rankEnv(rank: number, size: number, nodeCount: number, port: number): Record<string, string> {
  const localRank = String(Math.floor(rank / Math.max(1, nodeCount)));
  return {
    OMPI_COMM_WORLD_RANK: String(rank),
    OMPI_COMM_WORLD_SIZE: String(size),
    OMPI_COMM_WORLD_LOCAL_RANK: localRank,
    RANK: String(rank),
    WORLD_SIZE: String(size),
    LOCAL_RANK: localRank,
    MASTER_ADDR: '127.0.0.1',
    MASTER_PORT: String(port),
  };
}
