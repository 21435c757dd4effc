"""Data-parallel training of y = w*x + b on CPU, in pure Python: a stand-in for a distributed PyTorch job.

Each process (RANK of WORLD_SIZE, as PyTorch's env:// init or Open MPI's OMPI_COMM_WORLD_* give them) makes its
own shard of a synthetic data set, computes the gradient on it every epoch, and the gradients are averaged
through files in a folder every process sees (the job's output directory on the shared file share): an
all-reduce by files. Rank 0 saves the model. Every process logs its own progress to its stdout.
"""
import argparse
import json
import os
import random
import sys
import time

TRUE_W, TRUE_B = 3.0, -1.0


def env_int(*names, default):
    for name in names:
        if os.environ.get(name):
            return int(os.environ[name])
    return default


def shard(rank, size, n):
    """The rank's slice of n points on [0, 1), with noise seeded by the rank: no process sees another's data."""
    rng = random.Random(1000 + rank)
    xs = [i / n for i in range(rank, n, size)]
    return [(x, TRUE_W * x + TRUE_B + rng.gauss(0, 0.05)) for x in xs]


def gradient(data, w, b):
    gw = gb = 0.0
    for x, y in data:
        err = w * x + b - y
        gw += 2 * err * x
        gb += 2 * err
    return gw, gb, len(data)


def write_atomic(path, obj):
    tmp = f"{path}.tmp"
    with open(tmp, "w") as f:
        json.dump(obj, f)
    os.replace(tmp, path)


def all_reduce(sync_dir, epoch, rank, size, value, timeout):
    """Writes this rank's value for the epoch, waits for every rank's, and returns them all (rank order)."""
    write_atomic(os.path.join(sync_dir, f"epoch{epoch}-rank{rank}.json"), value)
    deadline = time.time() + timeout
    paths = [os.path.join(sync_dir, f"epoch{epoch}-rank{r}.json") for r in range(size)]
    while not all(os.path.exists(p) for p in paths):
        if time.time() > deadline:
            missing = [r for r, p in enumerate(paths) if not os.path.exists(p)]
            sys.exit(f"rank {rank}: ranks {missing} did not report epoch {epoch} within {timeout} s")
        time.sleep(0.02)
    out = []
    for p in paths:
        with open(p) as f:
            out.append(json.load(f))
    return out


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--epochs", type=int, default=20)
    p.add_argument("--lr", type=float, default=0.5)
    p.add_argument("--points", type=int, default=1000)
    p.add_argument("--out", default=os.environ.get("AZ_BATCHAI_OUTPUT_MODEL", "."))
    p.add_argument("--timeout", type=float, default=60)
    a = p.parse_args()

    rank = env_int("RANK", "OMPI_COMM_WORLD_RANK", default=0)
    size = env_int("WORLD_SIZE", "OMPI_COMM_WORLD_SIZE", default=1)
    sync_dir = os.path.join(a.out, ".sync")
    os.makedirs(sync_dir, exist_ok=True)
    data = shard(rank, size, a.points)
    print(f"rank {rank} of {size}: {len(data)} points, master {os.environ.get('MASTER_ADDR', '-')}:{os.environ.get('MASTER_PORT', '-')}", flush=True)

    w = b = 0.0
    for epoch in range(1, a.epochs + 1):
        gw, gb, n = gradient(data, w, b)
        parts = all_reduce(sync_dir, epoch, rank, size, [gw, gb, n], a.timeout)
        total = sum(part[2] for part in parts)
        w -= a.lr * sum(part[0] for part in parts) / total
        b -= a.lr * sum(part[1] for part in parts) / total
        loss = sum((w * x + b - y) ** 2 for x, y in data) / len(data)
        print(f"rank {rank} epoch {epoch}: local loss {loss:.4f} w={w:.3f} b={b:.3f}", flush=True)

    if rank == 0:
        write_atomic(os.path.join(a.out, "model.json"), {"w": w, "b": b, "epochs": a.epochs, "world_size": size})
        print(f"rank 0: saved model.json (w={w:.3f}, b={b:.3f}; true w={TRUE_W}, b={TRUE_B})", flush=True)


if __name__ == "__main__":
    main()
